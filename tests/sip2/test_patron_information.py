"""What a kiosk is told of a patron (63/64, 23/24): the card's blocks in the status flags, the
loans charged soonest due first and those overdue, the holds ready (AS: the copy waiting on the
shelf) and the others (CD). And what each request costs in SQL statements: a fixed number,
whatever the loans a patron holds."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillon.catalogue.search import index_records
from maillon.circulation.models import HoldStatus
from maillon.circulation.services import checkin, checkout, place_hold
from maillon.patrons.services import block_patron
from maillon.sip2 import protocol
from maillon.sip2.services import Session, answer

from .test_server import date


def fields(response: str, tag: str) -> list[str]:
    return [part[2:] for part in response.split("|") if part[:2] == tag]


def patron_information(session: Session, card: str) -> str:
    return answer(session, f"63001{date()}{' ' * 10}AOAAA|AA{card}|")


def test_loans_overdue_and_holds_as_a_kiosk_lists_them(
    terminal, reader, make_patron, make_item, make_record, book, desk, network
):
    account, _password = terminal
    today = timezone.localdate()
    late, recent = make_item(book), make_item(book)
    checkout(desk["a"], network["a"], reader, recent, today=today)
    checkout(desk["a"], network["a"], reader, late, today=today - dt.timedelta(days=60))
    # A hold waiting on the shelf here for the reader, and one waiting for a copy on loan.
    on_shelf = make_item(make_record("Vol de nuit"))
    ready = place_hold(desk["a"], network["a"], reader, on_shelf.record, network["a"])
    checkin(desk["a"], network["a"], on_shelf)
    ready.refresh_from_db()
    assert ready.status == HoldStatus.READY
    away = make_item(make_record("Terre des hommes"))
    other = make_patron(surname="Autre", expires_on=today + dt.timedelta(days=300))
    checkout(desk["a"], network["a"], other, away)
    waiting = place_hold(desk["a"], network["a"], reader, away.record, network["a"])

    response = patron_information(Session(terminal=account), reader.card_number)
    assert response.startswith("64" + " " * 14)
    # Holds ready, overdue, charged, fines, recalls, holds not ready.
    assert response[37:61] == "0001" + "0001" + "0002" + "0000" + "0000" + "0001"
    assert fields(response, "AU") == [late.barcode, recent.barcode]  # soonest due first
    assert fields(response, "AT") == [late.barcode]
    assert fields(response, "AS") == [on_shelf.barcode]
    assert fields(response, "CD") == [str(waiting.pk)]
    assert fields(response, "AE") == [f"{reader.first_name} {reader.surname}"]


def test_a_blocked_card_denies_charge_renewal_and_holds(terminal, reader, desk, network):
    account, _password = terminal
    session = Session(terminal=account)
    assert patron_information(session, reader.card_number)[2:16] == " " * 14
    block_patron(desk["a"], reader, network["a"], "lost")
    for response in (
        patron_information(session, reader.card_number),
        answer(session, f"23001{date()}AOAAA|AA{reader.card_number}|"),
    ):
        flags = response[2:16]
        assert flags[:5] == "YY YY" and flags[5:] == " " * 9, response
    unknown = patron_information(session, "00000000")
    assert unknown[2:16] == "YYYY" + " " * 10 and fields(unknown, "BL") == ["N"]


# SQL statements of one request from a logged-in terminal. Each message reads the terminal's
# account again, and its user's roles with it, in one statement (for 11 and 09 on PostgreSQL,
# in the service's first round trip, with its locks); inside the test's transaction the
# services' own transactions are savepoints (two statements for a checkout or a checkin).
STATEMENTS = {
    # Lock the patron and the copy, count after the locks with the rules, limits and calendar
    # (on PostgreSQL these three and the account in one round trip), the loan, the copy's
    # state, the record's copies with its search entry (unchanged: another copy stays on the
    # shelf; on PostgreSQL read in the message that writes the copy) and the audit entry.
    "11": {"sqlite": 10, "postgresql": 6},
    # Lock the copy, its loan with the patron (the card in the answer) and whether a hold waits
    # on the record (none: the holds are not read; on PostgreSQL in the round trip of the
    # lock, with the account), close it, the audit entry, the copy's state, the search entry
    # as for 11.
    "09": {"sqlite": 9, "postgresql": 6},
    "63": 5,  # the account, the patron with its block flag, loans, holds, the network's limits
    "23": 4,  # the account, the patron, the network's limits, loans counted per library
}


def test_each_request_costs_a_fixed_number_of_statements(
    terminal, reader, make_item, book, desk, network
):
    account, password = terminal
    make_item(book)  # stays on the shelf: the index shows the record available here all along
    items = [make_item(book) for _ in range(3)]
    index_records([book.pk])
    session = Session()
    login = answer(session, protocol.with_trailer(f"9300CN{account.login}|CO{password}|", "0"))
    assert login.startswith("941")
    card = reader.card_number
    # The first message after a login reads the account whole (its objects, once).
    assert answer(session, f"23001{date()}AOAAA|AA{card}|").startswith("24")
    counted: dict[str, list[int]] = {code: [] for code in STATEMENTS}
    for item in items:  # each the same, whatever the loans the reader holds
        requests = {
            "11": f"11YN{date()}{' ' * 18}AOAAA|AA{card}|AB{item.barcode}|AC|",
            "63": f"63001{date()}{' ' * 10}AOAAA|AA{card}|",
            "23": f"23001{date()}AOAAA|AA{card}|",
        }
        for code, text in requests.items():
            with CaptureQueriesContext(connection) as captured:
                assert answer(session, text)[:2] == f"{int(code) + 1}"
            counted[code].append(len(captured))
    for item in items:
        text = f"09N{date()}{date()}APAAA|AOAAA|AB{item.barcode}|AC|"
        with CaptureQueriesContext(connection) as captured:
            assert answer(session, text).startswith("101")
        counted["09"].append(len(captured))
    expected = {
        code: n if isinstance(n, int) else n[connection.vendor] for code, n in STATEMENTS.items()
    }
    assert counted == {code: [n] * len(items) for code, n in expected.items()}
