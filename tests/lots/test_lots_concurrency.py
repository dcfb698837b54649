"""Two desks put the same item in two lots at once: exactly one wins, the other gets a clear
refusal. Real threads on PostgreSQL (SQLite lets one writer in at a time)."""

import threading

import pytest
from django.db import connection

from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item
from maillon.lots import services
from maillon.lots.models import LotItem
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_lots(desk, network, make_item, book):
    first = services.create(desk["a"], network["a"], "Lot un")
    second = services.create(desk["a"], network["a"], "Lot deux")
    return first, second, make_item(book)


def test_without_the_lock_both_pass_the_check(two_lots, monkeypatch):
    first, second, item = two_lots
    past_checks = threading.Barrier(2)
    original = services._addable

    def check_then_wait(lot, item_):
        refusal = original(lot, item_)
        past_checks.wait(TIMEOUT)  # both desks have read "in no lot" before either writes
        return refusal

    monkeypatch.setattr(item_service, "lock", lambda item_: Item.objects.get(pk=item_.pk))
    monkeypatch.setattr(services, "_addable", check_then_wait)
    outcomes = in_parallel(
        lambda: services.add(user("libr"), first, item.barcode),
        lambda: services.add(user("libr"), second, item.barcode),
    )
    # Both passed the check; only the database's constraint stopped the second insert.
    errors = [o for o in outcomes if isinstance(o, services.LotError)]
    assert len(errors) == 1 and errors[0].code == "in_another_lot", outcomes
    assert (
        errors[0].message.endswith("was just put in another lot.") or "vient" in errors[0].message
    )
    assert LotItem.objects.filter(item=item).count() == 1


def test_with_the_lock_exactly_one_wins_with_a_clear_refusal(two_lots):
    first, second, item = two_lots
    for _round in range(3):
        LotItem.objects.all().delete()
        outcomes = in_parallel(
            lambda: services.add(user("libr"), first, item.barcode),
            lambda: services.add(user("libr"), second, item.barcode),
        )
        wins = [o for o in outcomes if isinstance(o, Item)]
        errors = [o for o in outcomes if isinstance(o, services.LotError)]
        assert len(wins) == 1 and len(errors) == 1, outcomes
        # Refused after waiting for the item: it names the lot that took it.
        assert errors[0].code == "in_another_lot" and "LOT" in errors[0].message
        assert LotItem.objects.filter(item=item).count() == 1


def test_two_desks_receive_the_same_lot_once(desk, network, make_item, book):
    lot = services.create(desk["a"], network["a"], "Caisse")
    for _n in range(3):
        services.add(desk["a"], lot, make_item(book).barcode)
    services.send(desk["a"], lot, network["b"])
    outcomes = in_parallel(
        lambda: services.receive(user("libb"), lot, network["b"]),
        lambda: services.receive(user("libb"), lot, network["b"]),
    )
    assert all(hasattr(o, "received") for o in outcomes), [repr(o) for o in outcomes]
    assert sorted(len(o.received) for o in outcomes) == [0, 3], outcomes
    assert sum(o.already for o in outcomes) == 1
