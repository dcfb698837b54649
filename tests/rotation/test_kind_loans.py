"""Loans per library and item type (maillon.rotation.kinds): read from the daily summary and the
loans it does not hold yet, they are the loans' own counts whenever the summary was refreshed."""

import datetime as dt
import random
import zoneinfo
from collections import Counter

from django.utils import timezone

from maillon.circulation.models import Loan
from maillon.rotation import kinds
from maillon.rotation.models import KindLoans
from tests.circulation.conftest import TODAY

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _lend(draw, items, count, days):
    """`count` loans over the last `days` days, some just around local midnights."""
    now = timezone.now()
    for _n in range(count):
        item, library = draw.choice(items)
        day = timezone.localdate() - dt.timedelta(days=draw.randint(0, days))
        minutes = draw.choice([1, 30, 600, 1410, 1439])  # 00:01 … 23:59 local
        moment = dt.datetime.combine(day, dt.time(), PARIS) + dt.timedelta(minutes=minutes)
        Loan.objects.create(
            item=item,
            library=library,
            checked_out_at=min(moment, now),
            due_on=TODAY,
            loan_days=21,
            returned_at=now,
        )


def _expected(since):
    return Counter(
        (library_id, item_type_id)
        for library_id, item_type_id in Loan.objects.filter(checked_out_at__gte=since).values_list(
            "library_id", "item__item_type_id"
        )
    )


def test_the_summary_and_the_loans_it_lacks_count_every_loan(network, make_item, record_of):
    draw = random.Random(13)
    a, b = network["a"], network["b"]
    items = [
        (make_item(record_of(), home, item_type=kind), draw.choice([a, b]))
        for home in (a, b)
        for kind in ("LIVRE", "DVD", "NOUV")
        for _n in range(3)
    ]
    # A period starting in the middle of a day, local time, at 00:30 and at 23:45.
    starts = [
        timezone.now() - dt.timedelta(days=40, hours=5),
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=20), dt.time(0, 30), PARIS),
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=10), dt.time(23, 45), PARIS),
    ]

    def check():
        for since in starts:
            assert kinds.loans_by_kind(since) == _expected(since), since

    _lend(draw, items, 120, 60)
    check()  # nothing summed yet: all read from the loans
    assert kinds.refresh() == 120
    assert KindLoans.objects.exists()
    check()
    _lend(draw, items, 40, 60)  # lent since the refresh, some on the periods' first days
    check()
    assert kinds.refresh() == 40
    check()
    assert kinds.refresh() == 0  # twice: nothing counted twice
    check()
    assert sum(KindLoans.objects.values_list("loans", flat=True)) == 160


def test_the_daily_work_refreshes_the_summary(network, make_item, record_of):
    from maillon.jobs.registry import DAILY_TASKS

    draw = random.Random(5)
    _lend(draw, [(make_item(record_of(), network["a"]), network["a"])], 3, 5)
    task = DAILY_TASKS["maillon.rotation.job_kinds.kind_loans_refresh"]
    assert task(TODAY) == {"loans": 3}
    assert task(TODAY) == {"loans": 0}
