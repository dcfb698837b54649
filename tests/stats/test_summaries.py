"""The summary tables (`maillon stats-refresh`): the report gives the same figures from them
as from the raw rows; a day counted twice changes nothing; a dashboard reads the days counted
and the raw loans after; the holdings at 31/12 are kept as they were when the year ended."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from maillon.catalogue.models import Item
from maillon.jobs.registry import DAILY_TASKS
from maillon.stats import series, summaries
from maillon.stats.facts import Period
from maillon.stats.models import (
    ActiveBorrower,
    CommuneBorrower,
    HoldingSnapshot,
    LoanDay,
    RefreshedDay,
)
from maillon.stats.report import build
from tests.stats.test_annual_figures import EXPECTED

D = dt.date


def _libraries(network):
    return {"AAA": network["a"], "BBB": network["b"], None: None, "MD": network["md"]}


def _rows():
    return (
        sorted(
            LoanDay.objects.values_list(
                "day",
                "library",
                "medium",
                "audience",
                "md_stock",
                "keyed",
                "loans",
            )
        ),
        sorted(
            ActiveBorrower.objects.values_list(
                "year",
                "library",
                "patron_key",
                "patron_category_code",
                "patron_age_band",
                "patron_commune",
            )
        ),
    )


def test_the_report_is_the_same_from_the_summaries(activity, network):
    out = StringIO()
    call_command("stats_refresh", "--date=2026-01-02", stdout=out)
    assert out.getvalue().strip().endswith(": 1.")  # last year's holdings taken
    assert summaries.covers(Period.year(2025))
    assert HoldingSnapshot.objects.filter(year=2025).exists()
    for code, library in _libraries(network).items():
        from_summaries = build(2025, library).values
        raw = build(2025, library, summaries_first=False).values
        assert from_summaries == raw, code
        if code in EXPECTED:
            assert {k: from_summaries.get(k) for k in EXPECTED[code]} == EXPECTED[code]
    # They are read indeed: a row added to the summaries shows in the report, not in the raw one.
    LoanDay.objects.create(day=D(2025, 6, 1), library=network["b"], medium="text", loans=5)
    assert build(2025, network["b"]).values["loans"] == 8
    assert build(2025, network["b"], summaries_first=False).values["loans"] == 3


def test_a_year_not_fully_counted_reads_the_raw_rows(activity, network):
    summaries.refresh_day(D(2025, 2, 5))
    LoanDay.objects.filter(day=D(2025, 2, 5)).update(loans=100)
    assert not summaries.covers(Period.year(2025))
    assert build(2025, network["b"]).values["loans"] == 3


def test_a_day_counted_twice_changes_nothing(activity, network):
    assert summaries.refresh_day(D(2025, 2, 5)) == 2
    once = _rows()
    assert summaries.refresh_day(D(2025, 2, 5)) == 2
    assert _rows() == once
    # P1 and P2 borrowed at BBB that day: two borrowers of the year there.
    assert len(once[1]) == 2 and sum(row[-1] for row in once[0]) == 2
    first = summaries.run(D(2025, 3, 1))
    again = summaries.run(D(2025, 3, 1))
    # From a week before the last day counted (30 January) to yesterday: 5 February's 2 loans.
    assert (first["days"], first["loans"]) == (30, 2)
    assert (again["days"], again["loans"]) == (7, 0)  # the last week is counted again
    assert RefreshedDay.objects.get(day=D(2025, 2, 5)).loans == 2


def test_the_daily_work_counts_the_summaries():
    assert "maillon.stats.job_kinds.stats_refresh" in DAILY_TASKS


def test_a_dashboard_reads_the_days_counted_then_the_raw_loans(activity, network):
    period = Period.year(2025)
    raw = {g: series.loans_by(period, None, g) for g in ("month", "library", "medium", "audience")}
    for day in range(90):  # January to March counted; April (4 loans) read raw
        summaries.refresh_day(D(2025, 1, 1) + dt.timedelta(days=day))
    assert summaries.counted_until(period) == D(2025, 3, 31)
    for group_by, rows in raw.items():
        assert series.loans_by(period, None, group_by) == rows, group_by
    assert series.loans_by(period, network["a"], "month")[3].value == 1  # A1 on 12 April


def test_borrowers_by_commune_are_the_same_from_the_summaries(activity, network):
    period = Period.year(2025)
    raw = {code: series.active_by_commune(period, lib) for code, lib in _libraries(network).items()}
    assert sum(row.value for row in raw[None]) > 0
    call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
    assert summaries.active_by_commune(period, None) is not None  # read from the summaries
    for code, library in _libraries(network).items():
        assert series.active_by_commune(period, library) == raw[code], code
    # The network's are read from their own table: a borrower added there shows.
    CommuneBorrower.objects.create(year=2025, patron_commune="Parthenay", patron_key="k-new")
    found = {row.key: row.value for row in series.active_by_commune(period, None)}
    assert found["Parthenay"] == {row.key: row.value for row in raw[None]}["Parthenay"] + 1


def test_holdings_at_31_12_stay_what_they_were(activity, network):
    before = build(2025, network["a"]).values["holdings"]
    assert summaries.snapshot_holdings(2025) == 7  # 4 + 2 own at AAA and BBB, M1 of the MD
    Item.objects.filter(barcode=activity["items"]["A2"].barcode).update(home=network["b"])
    assert build(2025, network["a"]).values["holdings"] == before == 4
    assert build(2025, network["a"], summaries_first=False).values["holdings"] == 3
    out = StringIO()
    call_command("stats_refresh", "--snapshot=2025", stdout=out)  # on demand: taken again
    assert build(2025, network["a"]).values["holdings"] == 3
    assert "31/12/2025" in out.getvalue()


@pytest.mark.parametrize("year", [2023])
def test_a_year_without_data_gives_zeros_from_the_summaries(activity, network, year):
    summaries.snapshot_holdings(year)
    values = build(year, None).values
    assert values["holdings"] == 0 and values["loans"] == 0
