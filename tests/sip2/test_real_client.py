"""A SIP2 client from PyPI (the `sip2` package, as a self-check kiosk's software would use it)
drives the server over TCP: login, patron information, checkout, checkin, renew."""

import logging
from pathlib import Path

import pytest
from Sip2.sip2 import Sip2

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan

from .test_server import server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def client(port: int, account) -> Sip2:
    sip = Sip2()
    sip.hostName, sip.hostPort = "127.0.0.1", port
    sip.tlsEnable = False
    sip.socketTimeout = 20
    sip.institutionId = account.library.code
    sip.scLocation = account.library.code
    # Its own logger, given before connecting: left to itself, the client opens sip2.log in
    # the working directory (the repository's root). Its messages reach pytest's log capture.
    sip.log = logging.getLogger("tests.sip2.client")
    assert sip.connect()
    return sip


def test_a_kiosk_journey_with_a_real_client(server, terminal, reader, make_item, book):  # noqa: F811
    account, password = terminal
    lent, renewed = make_item(book), make_item(book)
    log_existed = (Path.cwd() / "sip2.log").exists()
    sip = client(server, account)
    try:
        login = sip.sip_login_response(
            sip.get_response(sip.sip_login_request(account.login, password))
        )
        assert login["fixed"]["Ok"] == "1"

        sip.patron = reader.card_number
        info = sip.sip_patron_information_response(
            sip.get_response(sip.sip_patron_information_request("charged"))
        )
        assert info["fixed"]["PatronStatus"] == " " * 14
        assert info["variable"]["AE"] == [f"{reader.first_name} {reader.surname}"]
        assert info["variable"]["BL"] == ["Y"]

        for item in (lent, renewed):
            out = sip.sip_checkout_response(
                sip.get_response(sip.sip_checkout_request(item.barcode))
            )
            assert out["fixed"]["Ok"] == "1", out
            assert out["variable"]["AJ"] == ["Le Petit Prince"]
        assert Loan.objects.filter(patron=reader, returned_at__isnull=True).count() == 2

        back = sip.sip_checkin_response(sip.get_response(sip.sip_checkin_request(lent.barcode)))
        assert back["fixed"]["Ok"] == "1" and back["fixed"]["Alert"] == "N"
        lent.refresh_from_db()
        assert lent.status == ItemStatus.AVAILABLE

        loan = Loan.objects.get(item=renewed, returned_at__isnull=True)
        renewal = sip.sip_renew_response(
            sip.get_response(sip.sip_renew_request(itemIdentifier=renewed.barcode))
        )
        loan.refresh_from_db()
        if renewal["fixed"]["Ok"] == "1":
            assert loan.renewals == 1
        else:  # the rules refused: the kiosk is told why, in French
            assert loan.renewals == 0 and renewal["variable"]["AF"][0]

        info = sip.sip_patron_information_response(
            sip.get_response(sip.sip_patron_information_request("charged"))
        )
        assert info["fixed"]["ChargedItemsCount"] == "0001"
        assert info["variable"]["AU"] == [renewed.barcode]
    finally:
        sip.disconnect()
    assert (Path.cwd() / "sip2.log").exists() == log_existed  # the client wrote no file of its own
