"""Renewals at the desk and by the patron: limits, holds, card problems."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillon.circulation.models import LoanRule
from maillon.circulation.services import (
    CirculationError,
    checkout,
    place_hold,
    renew,
    renew_own,
)
from maillon.network.models import Closure
from maillon.patrons.models import Patron
from maillon.patrons.services import block_patron

from .conftest import TODAY


def code(fn, *args, **kwargs) -> str:
    with pytest.raises(CirculationError) as caught:
        fn(*args, **kwargs)
    return caught.value.code


def test_renew_until_exhausted(desk, network, make_patron, make_item, book):
    patron, item = make_patron(), make_item(book)
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    later = TODAY + dt.timedelta(days=10)
    loan = renew(desk["b"], network["b"], item.barcode, today=later)  # at any desk
    assert loan.due_on == later + dt.timedelta(days=21) and loan.renewals == 1
    loan = renew_own(patron, loan, today=later + dt.timedelta(days=5))
    assert loan.renewals == 2
    assert code(renew_own, patron, loan, today=later + dt.timedelta(days=9)) == "renewals_exhausted"


def test_renewal_refused_when_someone_waits(desk, network, make_patron, make_item, book):
    patron, item = make_patron(), make_item(book)
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    place_hold(desk["a"], network["a"], make_patron("Attente"), book, network["a"], today=TODAY)
    assert code(renew_own, patron, loan, today=TODAY + dt.timedelta(days=10)) == "on_hold"


def test_renewal_allowed_when_another_copy_is_pulled_for_the_hold(
    desk, network, make_patron, make_item, book
):
    patron, item = make_patron(), make_item(book)
    make_item(book, network["b"])  # on the shelf: the hold takes it
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    place_hold(desk["a"], network["a"], make_patron("Attente"), book, network["a"], today=TODAY)
    assert renew_own(patron, loan, today=TODAY + dt.timedelta(days=10)).renewals == 1


def test_renewal_refused_for_card_problems_and_strangers(
    desk, network, make_patron, make_item, book
):
    patron, item = make_patron(), make_item(book)
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    assert code(renew_own, make_patron("Intrus"), loan, today=TODAY) == "not_your_loan"
    Patron.objects.filter(pk=patron.pk).update(expires_on=TODAY + dt.timedelta(days=5))
    assert (
        code(renew, desk["a"], network["a"], loan, today=TODAY + dt.timedelta(days=6))
        == "patron_expired"
    )


def test_renewal_too_early_and_not_on_loan(desk, network, make_patron, make_item, book, types):
    patron, item = make_patron(), make_item(book)
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    assert code(renew_own, patron, loan, today=TODAY) == "renewal_too_early"
    assert (
        code(renew, desk["a"], network["a"], make_item(book).barcode, today=TODAY) == "not_on_loan"
    )
    LoanRule.objects.create(item_type=types["DVD"], renewals=0, loan_days=7)
    dvd = make_item(book, item_type="DVD")
    dvd_loan = checkout(desk["a"], network["a"], make_patron("Cinéphile"), dvd, today=TODAY)
    assert (
        code(renew_own, dvd_loan.patron, dvd_loan, today=TODAY + dt.timedelta(days=3))
        == "renewals_exhausted"
    )


def test_renewal_follows_the_lenders_calendar_and_blocks_as_they_stand(
    desk, network, make_patron, make_item, book
):
    """Read once the loan is locked: a closure or a block recorded just before decides."""
    patron, item = make_patron(), make_item(book)
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    later = TODAY + dt.timedelta(days=10)
    new_due = later + dt.timedelta(days=21)
    Closure.objects.create(
        library=network["a"], start=new_due, end=new_due + dt.timedelta(days=2), reason="Travaux"
    )
    renewed = renew(desk["b"], network["b"], item.barcode, today=later)  # at another desk
    assert renewed.due_on == new_due + dt.timedelta(days=3)  # the lender's closure, not B's
    block_patron(desk["a"], patron, network["a"], "lost")
    assert code(renew_own, patron, loan, today=later + dt.timedelta(days=5)) == "patron_blocked"


# A renewal's statements: the loan found with its patron, then (inside the test's transaction,
# a savepoint and its release) the patron, the copy and the loan locked and what it decides on
# read after them in one statement (blocks, holds, rules, calendar: four statements of their
# own before; on PostgreSQL with the three locks, one round trip), the loan written, the audit
# entry.
RENEWAL_STATEMENTS = {"sqlite": 9, "postgresql": 6}


def test_a_renewal_reads_what_it_decides_on_in_one_statement(
    desk, network, make_patron, make_item, book
):
    patron, item = make_patron(), make_item(book)
    checkout(desk["a"], network["a"], patron, item, today=TODAY)
    with CaptureQueriesContext(connection) as captured:
        renew(desk["a"], network["a"], item.barcode, today=TODAY + dt.timedelta(days=10))
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == RENEWAL_STATEMENTS[connection.vendor], "\n".join(statements)
