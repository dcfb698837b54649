"""Two desks at the same moment on the same item: exactly one outcome (invariant 3).

Real threads, each with its own PostgreSQL connection, started together by a barrier. SQLite
lets one writer in at a time (transactions start IMMEDIATE), so the race cannot happen there and
these tests would prove nothing: they are skipped.

The first test shows the race is real: with the item lock taken away and both desks held after
their checks, both believe the item is free, and only the partial unique index stops the second
loan — with a database error instead of a message for people. With the lock, the second desk
waits, then reads the item as it is and gets a clear refusal.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation import common, loans
from maillon.circulation.configuration import save_rule
from maillon.circulation.models import Hold, HoldStatus, Loan, LoanRule, Transfer
from maillon.circulation.services import (
    CheckinResult,
    CirculationError,
    checkin,
    checkout,
    place_hold,
)
from maillon.core.prepared import Prepared
from maillon.network.models import Role

from .conftest import TODAY
from .helpers import assert_item_consistent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 20


def unlock_items_by_barcode(monkeypatch) -> None:
    """The desk's read of an item by its barcode, the same query without FOR UPDATE: shows the
    race the lock prevents."""
    monkeypatch.setattr(
        common,
        "_LOCK_BY_BARCODE",
        Prepared(
            lambda barcode: Item.objects.select_related(
                "item_type", "collection", "record", "owner"
            ).filter(barcode=barcode),
            str,
        ),
    )


def in_parallel(*calls) -> list:
    """Run each call in its own thread (own connection), all released at once; return what
    each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(slot: int, call) -> None:
        try:
            start.wait(TIMEOUT)
            outcomes[slot] = call()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each desk got
            outcomes[slot] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def user(username: str):
    """The actor fetched fresh in the thread, on its own connection."""
    return get_user_model().objects.get(username=username)


def test_without_the_lock_both_desks_pass_the_checks(
    desk, network, make_patron, make_item, book, monkeypatch
):
    item = make_item(book)
    first, second = make_patron("Un"), make_patron("Deux")
    past_checks = threading.Barrier(2)
    original = loans._item_refusal

    def check_then_wait(item_, patron_):
        refusal = original(item_, patron_)
        past_checks.wait(TIMEOUT)  # both desks have read the item before either writes
        return refusal

    unlock_items_by_barcode(monkeypatch)  # each desk reads the item as it was
    monkeypatch.setattr(loans, "_item_refusal", check_then_wait)
    outcomes = in_parallel(
        lambda: checkout(user("libr"), network["a"], first.card_number, item.barcode, today=TODAY),
        lambda: checkout(user("libr"), network["a"], second.card_number, item.barcode, today=TODAY),
    )
    assert sum(isinstance(o, Loan) for o in outcomes) == 1
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 1, outcomes
    assert Loan.objects.count() == 1


def test_two_checkouts_of_one_item(desk, network, make_patron, make_item, book):
    item = make_item(book)
    first, second = make_patron("Un"), make_patron("Deux")
    outcomes = in_parallel(
        lambda: checkout(user("libr"), network["a"], first.card_number, item.barcode, today=TODAY),
        lambda: checkout(user("libb"), network["b"], second.card_number, item.barcode, today=TODAY),
    )
    winners = [o for o in outcomes if isinstance(o, Loan)]
    losers = [o for o in outcomes if isinstance(o, CirculationError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "already_on_loan"
    assert Loan.objects.get().pk == winners[0].pk
    assert assert_item_consistent(item).loan_count == 1


def test_two_checkins_of_one_item(desk, network, make_patron, make_item, book):
    item = make_item(book)  # home AAA, returned at BBB: it must travel home, once
    checkout(desk["a"], network["a"], make_patron(), item, today=TODAY)
    outcomes = in_parallel(
        lambda: checkin(user("libb"), network["b"], item.barcode, today=TODAY),
        lambda: checkin(user("libb"), network["b"], item.barcode, today=TODAY),
    )
    assert all(isinstance(o, CheckinResult) for o in outcomes), outcomes
    assert sorted(o.repeated for o in outcomes) == [False, True]
    assert {o.action for o in outcomes} == {"transfer"}
    assert Transfer.objects.count() == 1
    assert sum(o.loan is not None for o in outcomes) == 1
    assert Loan.objects.get().returned_at is not None
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT


def test_two_desks_capture_one_item_for_two_holds(desk, network, make_patron, make_item, book):
    item = make_item(book)  # on AAA's shelf, on its pull list
    here = place_hold(desk["a"], network["a"], make_patron("Ici"), book, network["a"], today=TODAY)
    there = place_hold(desk["a"], network["a"], make_patron("Là"), book, network["b"], today=TODAY)
    outcomes = in_parallel(
        lambda: checkin(user("libr"), network["a"], item.barcode, today=TODAY),
        lambda: checkin(user("volunt"), network["a"], item.barcode, today=TODAY),
    )
    assert all(isinstance(o, CheckinResult) for o in outcomes), outcomes
    assert {o.hold.pk for o in outcomes} == {here.pk}
    assert sorted(o.repeated for o in outcomes) == [False, True]
    statuses = dict(Hold.objects.values_list("pk", "status"))
    assert statuses == {here.pk: HoldStatus.READY, there.pk: HoldStatus.WAITING}
    assert not Transfer.objects.exists()
    assert_item_consistent(item)


def test_two_copies_returned_at_once_for_one_hold(desk, network, make_patron, make_item, book):
    first, second = make_item(book), make_item(book, network["b"])
    lender = make_patron("Prêteur")
    checkout(desk["a"], network["a"], lender, first, today=TODAY)
    checkout(desk["b"], network["b"], make_patron("Autre"), second, today=TODAY)
    hold = place_hold(
        desk["a"], network["a"], make_patron("Attente"), book, network["head"], today=TODAY
    )
    outcomes = in_parallel(
        lambda: checkin(user("libr"), network["a"], first.barcode, today=TODAY),
        lambda: checkin(user("libb"), network["b"], second.barcode, today=TODAY),
    )
    assert all(isinstance(o, CheckinResult) for o in outcomes), outcomes
    assert sum(o.hold is not None and o.hold.pk == hold.pk for o in outcomes) == 1
    assert Transfer.objects.filter(hold=hold).count() == 1
    hold.refresh_from_db()
    assert hold.status == HoldStatus.IN_TRANSIT
    assert_item_consistent(first)
    assert_item_consistent(second)


def test_two_coordinators_adding_one_scope_make_one_rule(staff, types, default_rule):
    coordinator = staff[Role.COORDINATOR].username
    dvd = types["DVD"].pk
    outcomes = in_parallel(
        *[
            lambda days=days: save_rule(
                user(coordinator), LoanRule(item_type_id=dvd, loan_days=days)
            )
            for days in (7, 14)
        ]
    )
    refused = [o for o in outcomes if isinstance(o, CirculationError)]
    assert len(refused) == 1 and refused[0].code == "rule_scope_taken", outcomes
    assert LoanRule.objects.filter(item_type_id=dvd).count() == 1
