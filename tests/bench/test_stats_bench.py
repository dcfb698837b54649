"""The statistics benchmark builds its network and loans, times the report and the dashboards
from the raw rows then from the summary tables (checked equal), and the refresh of a day; it
reports them (no speed asserted)."""

import pytest

from maillon.bench import stats_bench
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer

pytestmark = pytest.mark.django_db


def test_run_times_the_report_the_dashboards_and_the_refresh(monkeypatch):
    monkeypatch.setattr(stats_bench, "DAY_LOANS", 300)
    monkeypatch.setattr(stats_bench, "LIBRARIES", 6)
    run = stats_bench.run(seed=3, rounds=1, loans=3000)
    assert Loan.objects.count() == 3300 and run["day_refresh"]["runs"] == 1
    # One loan in 20 by a hold from another library: the hold and its two journeys.
    assert run["holds"] == Hold.objects.filter(status=HoldStatus.FULFILLED).count() == 150
    assert Transfer.objects.count() == 300
    assert Transfer.objects.filter(reason="hold", hold__isnull=False).count() == 150
    assert run["first_refresh"]["loans"] == 3300 and run["first_refresh"]["snapshots"] == 1
    for key in stats_bench.LABELS:
        assert run["raw"][key]["median"] > 0 and run["summaries"][key]["median"] > 0
    text = stats_bench.markdown({"SQLite": run}, "machine", "maillon bench --only stats")
    assert "| SQLite | annual report, network | 1 |" in text
    assert "| SQLite | one day of 300 loans | 1 |" in text
    assert run["daily_run"]["runs"] == 1 and "| SQLite | the daily run: the last 7 days" in text
