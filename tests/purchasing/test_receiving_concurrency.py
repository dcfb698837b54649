"""Two desks receive the same order line at once: one outcome. Real threads on PostgreSQL;
the first test shows the race without the line's lock."""

import threading

import pytest
from django.db import connection

from maillon.catalogue.models import Item, ItemStatus
from maillon.purchasing import receiving
from maillon.purchasing.models import OrderLine, Receipt
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def _both(line):
    return in_parallel(
        lambda: receiving.receive(
            user("libr"), OrderLine.objects.get(pk=line.pk), ["NA001", "NA002"]
        ),
        lambda: receiving.receive(
            user("volunt"), OrderLine.objects.get(pk=line.pk), ["NB001", "NB002"]
        ),
    )


def test_without_the_locks_both_desks_receive_the_same_copies(sent_order, monkeypatch):
    line = sent_order.lines.get(quantity=2)
    past_check = threading.Barrier(2)
    original = receiving.receive_refusal

    def check_then_wait(line_, quantity):
        refusal = original(line_, quantity)
        past_check.wait(TIMEOUT)  # both desks counted the awaited copies before either writes
        return refusal

    monkeypatch.setattr(
        receiving, "_lock_line", lambda pk: OrderLine.objects.select_related("order").get(pk=pk)
    )
    monkeypatch.setattr(
        receiving,
        "_lock_waiting_items",
        lambda line_, count: list(
            Item.objects.filter(pk__in=line_.ordered_items.values("item"))
            .filter(status=ItemStatus.ON_ORDER)
            .order_by("pk")[:count]
        ),
    )
    monkeypatch.setattr(receiving, "receive_refusal", check_then_wait)
    outcomes = _both(line)
    assert all(isinstance(o, Receipt) for o in outcomes), outcomes
    # Four copies received on a line of two: the race is real.
    assert sum(r.quantity for r in Receipt.objects.filter(line=line)) == 4


def test_with_the_lock_one_desk_receives_the_other_is_told(sent_order):
    line = sent_order.lines.get(quantity=2)
    outcomes = _both(line)
    receipts = [o for o in outcomes if isinstance(o, Receipt)]
    errors = [o for o in outcomes if isinstance(o, receiving.PurchasingError)]
    assert len(receipts) == 1 and len(errors) == 1, outcomes
    assert errors[0].code == "more_than_ordered"
    line.refresh_from_db()
    assert line.received == 2
    received = Item.objects.filter(barcode__in=["NA001", "NA002", "NB001", "NB002"])
    assert received.count() == 2
    assert not Item.objects.filter(
        pk__in=line.ordered_items.values("item"), status=ItemStatus.ON_ORDER
    ).exists()
