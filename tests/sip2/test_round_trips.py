"""What a kiosk waits for on PostgreSQL: the messages sent to the database for one request,
counted by libpq's own trace of the protocol (each simple query message is a round trip).

A checkout or a check-in reads the terminal's account, begins its transaction, locks its rows
and reads what it decides on in one message; the account read there is checked before the
service uses any row, and a changed account ends that transaction before it wrote anything."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from maillon.bench.sip2_bench import messages_sent
from maillon.circulation.models import Loan
from maillon.sip2 import protocol
from maillon.sip2.models import Terminal
from maillon.sip2.services import Session, answer

from .test_server import date

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's round trips"),
    pytest.mark.django_db(transaction=True),  # the services' own transactions, as in the server
]


def logged_in(terminal) -> Session:
    account, password = terminal
    session = Session()
    assert (
        answer(session, protocol.with_trailer(f"9300CN{account.login}|CO{password}|", "0"))[:3]
        == "941"
    )
    assert answer(session, "9900302.00").startswith("98")  # the account read whole, once
    return session


def lend(session: Session, card: str, barcode: str) -> str:
    return answer(session, f"11YN{date()}{' ' * 18}AOAAA|AA{card}|AB{barcode}|AC|")


def give_back(session: Session, barcode: str) -> str:
    return answer(session, f"09N{date()}{date()}APAAA|AOAAA|AB{barcode}|AC|")


def test_the_first_message_reads_the_account_begins_and_locks(terminal, reader, make_item, book):
    make_item(book)  # stays on the shelf: the search entry is left as it is
    first, second = make_item(book), make_item(book)
    session = logged_in(terminal)
    assert lend(session, reader.card_number, first.barcode).startswith("121")  # caches warm
    assert give_back(session, first.barcode).startswith("101")

    with messages_sent() as sent:
        assert lend(session, reader.card_number, second.barcode).startswith("121")
    assert sent[0].startswith("BEGIN; SELECT t.")  # the account, then the locks
    assert "FOR UPDATE" in sent[0] and sent[0].count("; SELECT") == 4
    # Then the loan, the copy's state with the record's copies read after it (one message),
    # the audit entry, the commit.
    assert any(m.startswith('UPDATE "catalogue_item"') and "; SELECT" in m for m in sent)
    assert len(sent) == 5, sent
    assert sent[-1] == "COMMIT"

    with messages_sent() as sent:
        assert give_back(session, second.barcode).startswith("101")
    assert sent[0].startswith("BEGIN; SELECT t.") and "FOR UPDATE" in sent[0]
    assert len(sent) == 5, sent  # the loan closed, the audit entry, the copy and its record, commit


def test_a_changed_account_read_with_the_locks_is_acted_on(terminal, reader, make_item, book):
    first, second = make_item(book), make_item(book)
    session = logged_in(terminal)
    account, _password = terminal

    # Its right to lend withdrawn: the checkout's transaction ends at its first message,
    # and the answer says why, as when the account is read before.
    Terminal.objects.filter(pk=account.pk).update(can_checkout=False)
    refused = lend(session, reader.card_number, first.barcode)
    assert refused.startswith("120") and "|AF" in refused
    assert not Loan.objects.filter(item=first).exists()
    assert not connection.in_atomic_block and connection.get_autocommit()

    # Given back: it lends again, from the next message on.
    Terminal.objects.filter(pk=account.pk).update(can_checkout=True)
    assert lend(session, reader.card_number, first.barcode).startswith("121")

    # Its user deactivated: refused, nothing written.
    get_user_model().objects.filter(pk=account.user_id).update(is_active=False)
    assert lend(session, reader.card_number, second.barcode).startswith("120")
    assert not Loan.objects.filter(item=second).exists()

    # Disabled by the coordinator: the session ends, the copy stays on loan to the reader.
    Terminal.objects.filter(pk=account.pk).update(is_active=False)
    assert give_back(session, first.barcode) == "96"
    assert session.close and session.terminal is None
    assert Loan.objects.filter(item=first, returned_at__isnull=True).exists()


def test_a_request_refused_before_any_statement_still_sees_the_account(
    terminal, reader, make_item, book
):
    session = logged_in(terminal)
    account, _password = terminal
    Terminal.objects.filter(pk=account.pk).update(is_active=False)
    # No barcode: the service refuses before it sends anything; the account is read then.
    assert answer(session, f"11YN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB|AC|") == "96"
    assert session.close


def test_a_renewal_locks_and_reads_what_it_decides_on_in_one_message(
    terminal, reader, make_item, book, desk, network
):
    from maillon.circulation.services import checkout

    item = make_item(book)
    earlier = dt.date.today() - dt.timedelta(days=10)
    checkout(desk["a"], network["a"], reader.card_number, item.barcode, today=earlier)
    session = logged_in(terminal)
    with messages_sent() as sent:
        renewed = answer(
            session, f"29NN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB{item.barcode}|"
        )
    assert renewed.startswith("301"), renewed
    # The account; the loan with its patron (the card checked); BEGIN with the patron, the
    # copy and the loan locked and what the renewal decides on, read after them; the loan, the
    # audit entry, the commit.
    locking = [m for m in sent if "FOR UPDATE" in m]
    assert len(locking) == 1 and locking[0].count("FOR UPDATE") == 3
    assert locking[0].startswith("BEGIN; ") and "network_closure" in locking[0]
    assert len(sent) == 6, sent
