"""Two refreshes of the same day at once (the worker's daily run and `maillon stats-refresh
--day`): the second waits for the first, then counts the same rows again; nothing is counted
twice. Real threads on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection

from maillon.stats import summaries
from maillon.stats.models import ActiveBorrower, LoanDay
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
