"""The proposals read faster (idle copies a batch at a time, the stock counted from an index)
are the ones the plain reading gives: on a small random network, each kind is compared with
the same rules computed in Python from every item, loan and hold."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.lots import services as lots
from maillon.lots.models import LotItem
from maillon.rotation import proposals
from tests.circulation.conftest import TODAY
from tests.conftest import make_library

# Days ago, none near the 12 months' edge (365 days): the reference and the page agree on it.
AGES = [3, 40, 200, 320, 420, 700, 1500]


@pytest.fixture
def town(network, desk, make_item, record_of):
    """Five libraries, 80 records of one to four copies at random homes, some on loan, lost
    or away from home, some never lent; loans over two years, waiting holds, a lot."""
    draw = random.Random(2026)
    now = timezone.now()
    libraries = [network["a"], network["b"], network["head"]]
    libraries += [make_library(code, name=f"Bibliothèque {code}") for code in ("CCC", "DDD")]
    items = []
    for n in range(80):
        record = record_of(f"Titre {n}")
        for _copy in range(draw.randint(1, 4)):
            home = draw.choice(libraries)
            age = draw.choice([*AGES, None])
            item = make_item(
                record,
                home,
                current=draw.choice([home] * 6 + libraries),
                item_type=draw.choice(["LIVRE", "LIVRE", "DVD"]),
                status=draw.choice([ItemStatus.AVAILABLE] * 6 + [ItemStatus.LOST]),
                last_loan_at=None if age is None else now - dt.timedelta(days=age),
                acquired_on=draw.choice([None, TODAY - dt.timedelta(days=draw.choice(AGES))]),
            )
            items.append(item)
    for _n in range(300):
        item = draw.choice(items)
        Loan.objects.create(
            item=item,
            library=draw.choice(libraries),
            checked_out_at=now - dt.timedelta(days=draw.choice(AGES), minutes=draw.randint(0, 999)),
            due_on=TODAY,
            loan_days=21,
            returned_at=now,
        )
    for n in range(40):
        Hold.objects.create(
            record=draw.choice(items).record,
            pickup_library=draw.choice(libraries),
            created_at=now - dt.timedelta(hours=n),
            status=HoldStatus.WAITING,
        )
    crate = lots.create(desk["head"], network["a"], "Caisse")
    shelf = [
        i
        for i in items
        if i.home_id == i.current_id == network["a"].pk and i.status == ItemStatus.AVAILABLE
    ]
    for item in draw.sample(shelf, 3):
        lots.add(desk["head"], crate, item.barcode)
    return libraries


def _idle_here_by_hand(library, since, limit):
    """(item, library sent to, loans or holds) of the first `limit` idle copies of `library`
    wanted elsewhere, most idle first (no loan date last on PostgreSQL, first on SQLite)."""
    in_lots = set(LotItem.objects.values_list("item_id", flat=True))

    def idle(item):
        if item.status != ItemStatus.AVAILABLE or item.current_id != item.home_id:
            return False
        if item.pk in in_lots:
            return False
        if item.last_loan_at is not None:
            return item.last_loan_at < since
        return item.acquired_on is None or item.acquired_on < since.date()

    never_last = connection.vendor == "postgresql"
    shelf = sorted(
        (i for i in Item.objects.filter(home=library) if idle(i)),
        key=lambda i: (
            (i.last_loan_at is None) == never_last,
            i.last_loan_at or since,
            i.pk,
        ),
    )[:5000]
    found = []
    for item in shelf:
        holds = list(
            Hold.objects.filter(record=item.record_id, status=HoldStatus.WAITING)
            .exclude(pickup_library=library)
            .order_by("created_at")
        )
        if holds:
            found.append((item.pk, holds[0].pickup_library_id, len(holds)))
        else:
            lent = Counter(
                Loan.objects.filter(item__record=item.record_id, checked_out_at__gte=since)
                .exclude(library=library)
                .values_list("library_id", flat=True)
            )
            if lent:
                n, where = max((n, where) for where, n in lent.items())
                found.append((item.pk, where, n))
        if len(found) == limit:
            break
    return found


@pytest.mark.parametrize("batches,limit", [((200, 800, 4000), 50), ((2, 3, 5, 100), 4)])
def test_idle_copies_wanted_elsewhere_as_computed_by_hand(town, monkeypatch, batches, limit):
    monkeypatch.setattr(proposals, "IDLE_BATCHES", batches)
    monkeypatch.setattr(proposals, "LIMIT", limit)
    since = proposals._since(12)
    compared = 0
    for library in town:
        expected = _idle_here_by_hand(library, since, limit)
        found = proposals._idle_here(library, since, 12, {lib.pk: lib for lib in town})
        got = [(p.item.pk, p.to_library.pk) for p in found]
        assert got == [(pk, to) for pk, to, _n in expected]
        for p, (_pk, _to, n) in zip(found, expected, strict=True):
            assert f" {n} " in p.why
        compared += len(got)
    assert compared >= 10  # the network proposes enough to compare


def test_the_stock_per_library_and_kind_is_every_copy_on_shelf_or_lent(town):
    by_hand = Counter(
        (item.home_id, item.item_type_id)
        for item in Item.objects.all()
        if item.status in proposals.ON_SHELF_OR_LENT
    )
    assert proposals._stock() == by_hand and sum(by_hand.values()) > 100
