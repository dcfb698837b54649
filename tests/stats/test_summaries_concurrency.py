"""Two refreshes of the same day at once (the worker's daily run and `maillon stats-refresh
--day`): the second waits for the first, then counts the same rows again; nothing is counted
twice. Real threads on PostgreSQL."""

import datetime as dt
import time

import pytest
from django.db import connection

from maillon.stats import summaries
from maillon.stats.models import (
    ActiveBorrower,
    LoanDay,
    LoanMonth,
    RefreshedMonth,
    TransferMonth,
)
from tests.circulation.test_concurrency import in_parallel

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]

DAY = dt.date(2025, 2, 5)  # P1 and P2 borrowed at BBB (tests/stats_fixtures.py)


def test_two_refreshes_of_a_day_count_it_once(activity):
    outcomes = in_parallel(lambda: summaries.refresh_day(DAY), lambda: summaries.refresh_day(DAY))
    assert outcomes == [2, 2]
    assert sum(LoanDay.objects.filter(day=DAY).values_list("loans", flat=True)) == 2
    assert ActiveBorrower.objects.filter(year=2025).count() == 2


def _slow_month_writes(monkeypatch) -> None:
    """A pause between deleting a month's rows and writing them again: two refreshes that do
    not wait for each other both delete before either writes."""
    write = LoanMonth.objects.bulk_create

    def slowly(*args, **kwargs):
        time.sleep(0.5)
        return write(*args, **kwargs)

    monkeypatch.setattr(LoanMonth.objects, "bulk_create", slowly)


def _month_total() -> int:
    return sum(LoanMonth.objects.filter(month=dt.date(2025, 2, 1)).values_list("loans", flat=True))


OTHER = dt.date(2025, 2, 20)  # no loan that day


def test_two_days_of_a_month_refreshed_at_once_add_it_up_once(activity, monkeypatch):
    summaries.refresh_day(DAY)
    _slow_month_writes(monkeypatch)
    in_parallel(lambda: summaries.refresh_day(DAY), lambda: summaries.refresh_day(OTHER))
    days = LoanDay.objects.filter(day__gte=dt.date(2025, 2, 1), day__lte=dt.date(2025, 2, 28))
    assert _month_total() == sum(days.values_list("loans", flat=True)) == 2


def test_without_the_months_lock_it_is_added_up_twice(activity, monkeypatch):
    monkeypatch.setattr(
        summaries,
        "lock_month",
        lambda month: RefreshedMonth.objects.get_or_create(month=month),
    )
    summaries.refresh_day(DAY)
    _slow_month_writes(monkeypatch)
    in_parallel(lambda: summaries.refresh_day(DAY), lambda: summaries.refresh_day(OTHER))
    assert _month_total() == 4  # each refresh wrote the month's two loans: the race is real


APRIL = dt.date(2025, 4, 1)  # A1 sent AAA → BBB for P2's hold on 22 April


def _shuttle_twice(monkeypatch) -> int:
    RefreshedMonth.objects.create(month=APRIL)  # counted before: neither waits to create it
    write = TransferMonth.objects.bulk_create

    def slowly(*args, **kwargs):
        time.sleep(0.5)
        return write(*args, **kwargs)

    monkeypatch.setattr(TransferMonth.objects, "bulk_create", slowly)
    count = lambda: summaries.count_shuttle(APRIL, dt.date(2025, 4, 30))  # noqa: E731
    in_parallel(count, count)
    return sum(TransferMonth.objects.filter(month=APRIL).values_list("transfers", flat=True))


def test_two_counts_of_a_months_shuttle_at_once_count_it_once(activity, monkeypatch):
    assert _shuttle_twice(monkeypatch) == 1


def test_without_the_months_lock_the_shuttle_is_counted_twice(activity, monkeypatch):
    monkeypatch.setattr(
        summaries,
        "lock_month",
        lambda month: RefreshedMonth.objects.get_or_create(month=month),
    )
    assert _shuttle_twice(monkeypatch) == 2  # the race is real
