"""The shuttle's and the holds' counts (TransferMonth, ShuttleDay, HoldDay), made by the daily
run: the dashboards give from them what the raw transfers and holds give, for any period, the
network and each library; the matrix reads a month whole only once counted to its end, the days
counted from the day rows, the rest from the raw rows."""

import datetime as dt

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from maillon.circulation.models import Hold, HoldStatus, Transfer, TransferReason
from maillon.stats import series, summaries
from maillon.stats.facts import Period
from maillon.stats.models import HoldDay, ShuttleDay, TransferMonth

D = dt.date


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def shuttle(activity, network):
    """Over 2025, every 11 days: a document sent AAA → BBB, and on every other of those days one
    sent BBB → MD; a hold collected at BBB every 13 days after a wait of 1 to 4 days, one
    collected at AAA every 29 days after a wait of 2 days and 5 hours."""
    a, b, md = network["a"], network["b"], network["md"]
    item = activity["items"]["B1"]
    record = item.record
    for n, day in enumerate(D(2025, 1, 3) + dt.timedelta(days=k) for k in range(0, 365, 11)):
        for origin, to in [(a, b)] + ([(b, md)] if n % 2 else []):
            Transfer.objects.create(
                item=item,
                from_library=origin,
                to_library=to,
                reason=TransferReason.MANUAL,
                sent_at=_at(day),
                received_at=_at(day + dt.timedelta(days=2)),
                received_library=to,
            )
    for step, pickup, wait in ((13, b, None), (29, a, dt.timedelta(days=2, hours=5))):
        for n, day in enumerate(D(2025, 1, 2) + dt.timedelta(days=k) for k in range(0, 365, step)):
            placed = _at(day - dt.timedelta(days=6))
            Hold.objects.create(
                record=record,
                pickup_library=pickup,
                created_at=placed,
                status=HoldStatus.FULFILLED,
                ready_at=placed + (wait or dt.timedelta(days=1 + n % 4)),
                closed_at=_at(day, 15),
            )


PERIODS = [
    Period.year(2025),
    Period(D(2025, 2, 15), D(2025, 9, 30)),
    Period(D(2025, 4, 1), D(2025, 4, 30)),
    Period(D(2025, 3, 3), D(2025, 3, 3)),
    Period(D(2025, 11, 20), D(2026, 1, 10)),
]


def _both(period, library):
    return (
        series.shuttle_matrix(period, library).rows(),
        series.shuttle_by_month(period, library),
        series.hold_lenders(period, library),
        series.holds(period, library),
    )


def test_the_months_give_what_the_raw_rows_give(shuttle, network):
    places = [None, network["a"], network["b"], network["md"]]
    raw = {(p, lib and lib.code): _both(p, lib) for p in PERIODS for lib in places}
    # 33 AAA → BBB and 16 BBB → MD in 2025 (the 34th and 17th on 1 January 2026), and A1's hold
    assert sum(total for _s, _l, total in raw[PERIODS[0], None][0]) == 33 + 16 + 1
    summaries.run(D(2026, 1, 1))  # every day to 31/12/2025 counted, and the shuttle's months
    whole, rest = summaries.months_counted(PERIODS[1])
    assert whole == [D(2025, month, 1) for month in range(3, 10)]
    assert rest == [Period(D(2025, 2, 15), D(2025, 2, 28))]
    for period in PERIODS:
        for library in places:
            assert _both(period, library) == raw[period, library and library.code], period


def _may(model, **where):
    rows = model.objects.filter(day__gte=D(2025, 5, 1), day__lte=D(2025, 5, 31), **where)
    return rows.aggregate(**{name: Sum(name) for name in ("placed", "collected", "moved")})


def test_counted_rows_are_read(shuttle, network):
    summaries.run(D(2026, 1, 1))
    # AAA: a hold placed on 21 May, collected on the 27th after 2 days and 5 hours.
    assert _may(HoldDay, pickup_library=network["a"]) == {"placed": 1, "collected": 1, "moved": 0}
    held = HoldDay.objects.get(day=D(2025, 5, 27), pickup_library=network["a"])
    assert held.waited == dt.timedelta(days=2, hours=5)
    # P2's hold at BBB, placed on 12 April, its copy sent by the shuttle, collected on the 29th.
    at_b = HoldDay.objects.get(day=D(2025, 4, 29), pickup_library=network["b"])
    assert (at_b.moved, at_b.collected) == (1, 2)  # and the fixture's of the 29th
    sent = ShuttleDay.objects.get(day=D(2025, 4, 22), library=network["a"])
    assert (sent.sent, sent.sent_for_holds, sent.received) == (1, 1, 0)  # A1 for P2's hold
    # What the rows say is what the panels read: a day's row changed shows.
    ShuttleDay.objects.filter(pk=sent.pk).update(sent_for_holds=11)
    lenders = {lib.code: out for lib, out, _came in series.hold_lenders(PERIODS[2], None)}
    assert lenders["AAA"] == 11
    april = TransferMonth.objects.get(
        month=D(2025, 4, 1), from_library=network["a"], reason=TransferReason.MANUAL
    )
    TransferMonth.objects.filter(pk=april.pk).update(transfers=april.transfers + 100)
    pair = (network["a"].pk, network["b"].pk)
    everything = ("from_library", "to_library")
    counts = summaries.shuttle_counts(PERIODS[2], Q(), everything)
    assert counts[pair] == april.transfers + 100 + 1  # and A1's hold
    # A month counted only to its 10th: the matrix reads it from the raw rows, the day rows
    # up to the 10th.
    summaries.count_shuttle(D(2025, 4, 1), D(2025, 4, 10))
    assert summaries.months_counted(PERIODS[2]) == ([], [PERIODS[2]])
    # The 1st, 12th and 23rd, and A1 for its hold on the 22nd.
    assert summaries.shuttle_counts(PERIODS[2], Q(), everything)[pair] == 4
    counted, rest = summaries.days_counted(PERIODS[2])
    assert rest == [Period(D(2025, 4, 11), D(2025, 4, 30))]
    assert (
        ShuttleDay.objects.filter(counted).count()
        == ShuttleDay.objects.filter(day__gte=D(2025, 4, 1), day__lte=D(2025, 4, 10)).count()
        > 0
    )
