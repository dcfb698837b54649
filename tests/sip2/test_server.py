"""A terminal talking to the SIP2 server over TCP: login, status, checkout, checkin, and more."""

import asyncio
import socket
import threading

import pytest
from django.conf import settings
from django.db.backends.signals import connection_created

from maillon.audit.models import ActorKind, AuditEntry
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan
from maillon.sip2 import protocol
from maillon.sip2.server import keep_connections, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server():
    """The server on a free port, in a thread with its own event loop."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder = {}

    def run():
        asyncio.set_event_loop(loop)
        holder["server"] = loop.run_until_complete(start("127.0.0.1", 0))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    port = holder["server"].sockets[0].getsockname()[1]
    yield port

    async def stop():
        holder["server"].close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        loop.stop()

    asyncio.run_coroutine_threadsafe(stop(), loop)
    thread.join(10)
    loop.close()


class Terminal:
    """The terminal's side: sends a request with sequence number and checksum, reads the answer."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.sequence = 0
        self.buffer = b""

    def raw(self, data: bytes) -> str:
        self.sock.sendall(data)
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(4096)
            assert chunk, "connection closed"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r", 1)
        return line.decode("utf-8")

    def send(self, text: str) -> protocol.Message | str:
        self.sequence = (self.sequence + 1) % 10
        request = protocol.with_trailer(text, str(self.sequence))
        response = self.raw(request.encode("utf-8") + b"\r")
        assert protocol.verify_checksum(response), response
        assert f"AY{self.sequence}AZ" in response
        return response

    def close(self) -> None:
        self.sock.close()


def date() -> str:
    return protocol.sip_date(protocol.dt.datetime.now())


def test_login_status_checkout_checkin_over_tcp(server, terminal, reader, make_item, book):
    account, password = terminal
    item = make_item(book)
    sip = Terminal(server)
    try:
        assert sip.send(f"9300CN{account.login}|COwrong|CPAAA|").startswith("940")
        before_login = f"2300120260101    000000AOAAA|AA{reader.card_number}|\r"
        assert sip.raw(before_login.encode()) == "96"  # nothing but login before login
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")

        status = sip.send("9900302.00")
        assert status.startswith("98YYYYNN030003") and "AOAAA|" in status
        assert len(status[14:32]) == 18 and status[32:36] == "2.00"

        patron = sip.send(f"23001{date()}AOAAA|AA{reader.card_number}|AC|")
        assert patron.startswith("24" + " " * 14 + "001") and "BLY|" in patron
        assert f"AE{reader.first_name} {reader.surname}|" in patron

        lent = sip.send(f"11YN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB{item.barcode}|AC|")
        assert lent.startswith("121NYN"), lent
        loan = Loan.objects.get(item=item, returned_at__isnull=True)
        assert f"AH{protocol.sip_date(loan.due_on)}|" in lent
        assert "AJLe Petit Prince|" in lent

        again = sip.send(f"11YN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB{item.barcode}|AC|")
        assert again.startswith("120") and "|AF" in again  # refused, with the French reason

        item.refresh_from_db()
        assert item.status == ItemStatus.ON_LOAN
        entry = AuditEntry.objects.filter(action="checkout", object_id=item.pk).get()
        assert entry.actor_kind == ActorKind.TERMINAL and entry.actor_id == account.pk

        back = sip.send(f"09N{date()}{date()}APAAA|AOAAA|AB{item.barcode}|AC|")
        assert back.startswith("101NUN"), back  # returned, no alert: shelve here
        assert "CTAAA|" in back
        item.refresh_from_db()
        assert item.status == ItemStatus.AVAILABLE
        assert AuditEntry.objects.filter(actor_kind=ActorKind.TERMINAL, action="checkin").exists()

        resend = sip.raw(b"97AZFEF5\r")
        assert resend == back  # the last answer, as it was

        assert sip.send(f"35{date()}AOAAA|AA{reader.card_number}|").startswith("36Y")
    finally:
        sip.close()


def test_checkin_elsewhere_answers_where_the_item_goes(
    server, terminal, reader, make_item, book, network
):
    account, password = terminal
    item = make_item(book, home=network["b"], current=network["b"])
    sip = Terminal(server)
    try:
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
        back = sip.send(f"09N{date()}{date()}APAAA|AOAAA|AB{item.barcode}|AC|")
        assert back.startswith("101NUY"), back  # alert: the item travels
        assert "CTBBB|" in back and "AQBBB|" in back
    finally:
        sip.close()


def test_a_terminal_without_lending_refuses_and_cp1252_is_read(
    server, terminal, reader, make_item, book
):
    account, password = terminal
    account.can_checkout = False
    account.save()
    item = make_item(book)
    sip = Terminal(server)
    try:
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
        refused = sip.send(f"11YN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB{item.barcode}|")
        assert refused.startswith("120")
        assert not Loan.objects.filter(item=item).exists()
        # A terminal sending Latin-1 text: the message is still understood.
        text = f"2300120260101    000000AOAAA|AA{reader.card_number}|ACé|"
        answer = sip.raw(text.encode("cp1252") + b"\r")
        assert answer.startswith("24")
    finally:
        sip.close()


def test_renew_item_information_and_patron_information(
    server, terminal, reader, make_item, book, today
):
    account, password = terminal
    item = make_item(book)
    sip = Terminal(server)
    try:
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
        card = reader.card_number
        assert sip.send(f"11YN{date()}{' ' * 18}AOAAA|AA{card}|AB{item.barcode}|").startswith("121")
        info = sip.send(f"17{date()}AOAAA|AB{item.barcode}|")
        assert info.startswith("1804") and "AJLe Petit Prince|" in info
        patron = sip.send(f"63001{date()}Y         AOAAA|AA{card}|AC|")
        assert patron[2:16] == " " * 14
        assert patron[37:61] == "0000" + "0000" + "0001" + "0000" + "0000" + "0000"
        assert f"AU{item.barcode}|" in patron
        assert "CQ" not in patron  # no PIN given, none checked
        wrong_pin = sip.send(f"63001{date()}Y         AOAAA|AA{card}|AD1234|")
        assert "CQN|" in wrong_pin
        renewal = sip.send(f"29NN{date()}{' ' * 18}AOAAA|AA{card}|AB{item.barcode}|")
        assert renewal[:3] in {"301", "300"}
        assert renewal.startswith("300") == ("|AF" in renewal)  # a refusal says why
        all_renewed = sip.send(f"65{date()}AOAAA|AA{card}|")
        assert all_renewed.startswith("66")
    finally:
        sip.close()


def test_the_server_threads_keep_their_database_connection(server, terminal, reader):
    """With ``keep_connections`` (as ``maillon sip2-server`` runs), each worker thread opens
    its database connection once and keeps it from one request to the next."""
    account, password = terminal
    opened: list[int] = []

    def note(sender, connection, **kwargs) -> None:
        opened.append(threading.get_ident())

    kept = {alias: dict(db) for alias, db in settings.DATABASES.items()}
    keep_connections()
    connection_created.connect(note)
    sip = Terminal(server)
    try:
        assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
        for _ in range(12):
            assert sip.send(f"23001{date()}AOAAA|AA{reader.card_number}|AC|").startswith("24")
    finally:
        sip.close()
        connection_created.disconnect(note)
        for alias, db in kept.items():
            settings.DATABASES[alias]["CONN_MAX_AGE"] = db["CONN_MAX_AGE"]
    assert opened and len(opened) == len(set(opened))  # at most one connection per thread
