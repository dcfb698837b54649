"""What kiosks are told of the network's loan limits (the "too many items charged" flag), and
terminals that keep failing to log in are shut out for a while."""

import socket

import pytest

from maillon.circulation.models import NetworkPolicy
from maillon.circulation.services import checkout
from maillon.sip2 import protocol
from maillon.sip2.services import Session, answer

from .test_server import (
    Terminal,
    date,
    server,  # noqa: F401 (the fixture)
)

TOO_MANY_ITEMS = 5  # position of "too many items charged" in the 14 patron status flags


def status_flags(session: Session, card: str, code: str = "23") -> str:
    summary = "          " if code == "63" else ""
    response = answer(session, f"{code}001{date()}{summary}AOAAA|AA{card}|")
    return response[2:16]


def test_the_flag_follows_the_network_limits(terminal, reader, make_item, book, desk, network):
    account, _password = terminal
    session = Session(terminal=account)
    policy = NetworkPolicy.current()
    policy.max_loans_network, policy.max_loans_per_library = 2, None
    policy.save()
    assert status_flags(session, reader.card_number)[TOO_MANY_ITEMS] == " "
    for _ in range(2):
        checkout(desk["a"], network["a"], reader, make_item(book))
    for code in ("23", "63"):
        flags = status_flags(session, reader.card_number, code)
        assert flags[TOO_MANY_ITEMS] == "Y" and flags[:5] == " " * 5, code
    # The library's own limit counts only the loans made there.
    policy.max_loans_network, policy.max_loans_per_library = None, 2
    policy.save()
    assert status_flags(session, reader.card_number)[TOO_MANY_ITEMS] == "Y"
    elsewhere = Session(terminal=account)
    account.library = network["b"]
    account.save(update_fields=["library"])  # the session reads its terminal at each message
    assert status_flags(elsewhere, reader.card_number)[TOO_MANY_ITEMS] == " "


@pytest.mark.django_db(transaction=True)
def test_failed_logins_close_the_connection_and_lock_the_account(
    server,  # noqa: F811
    terminal,
    settings,
):
    settings.LOGIN_FAILURE_LIMIT = 3
    account, password = terminal
    sip = Terminal(server)
    try:
        for _ in range(3):  # each checked, each refused
            assert sip.send(f"9300CN{account.login}|COwrong|CPAAA|").startswith("940")
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("940")
        sip.sock.settimeout(10)
        assert sip.sock.recv(100) == b""  # closed by the server
    finally:
        sip.close()
    again = Terminal(server)  # the right password, on a new connection: still locked
    try:
        refused = again.send(f"9300CN{account.login}|CO{password}|CPAAA|")
        assert refused.startswith("940")
        with pytest.raises((AssertionError, ConnectionError, socket.timeout)):
            again.send("9900302.00")
    finally:
        again.close()


@pytest.mark.django_db(transaction=True)
def test_a_good_login_starts_afresh(server, terminal, settings):  # noqa: F811
    settings.LOGIN_FAILURE_LIMIT = 3
    account, password = terminal
    sip = Terminal(server)
    try:
        for _ in range(5):  # failures with a success among them never lock
            assert sip.send(f"9300CN{account.login}|COwrong|CPAAA|").startswith("940")
            assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
        status = sip.send("9900302.00")
        assert protocol.verify_checksum(status) and status.startswith("98")
    finally:
        sip.close()
