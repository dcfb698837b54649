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
    LoanMonth,
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


@pytest.mark.parametrize(
    "start, end",
    [
        (D(2025, 1, 1), D(2025, 12, 31)),  # whole months counted, then the raw loans
        (D(2025, 2, 10), D(2025, 3, 20)),  # parts of months: their days
        (D(2025, 1, 15), D(2025, 4, 30)),  # a part, whole months, then raw
        (D(2025, 3, 1), D(2025, 3, 31)),  # one whole month
        (D(2025, 2, 3), D(2025, 2, 25)),  # within a month
        (D(2025, 3, 10), D(2025, 4, 20)),  # days counted, then raw
    ],
)
def test_the_months_give_what_the_loans_give(activity, network, start, end):
    period = Period(start, end)
    libraries = _libraries(network).values()
    raw = {lib: summaries.raw_cube(period, lib) for lib in libraries}
    assert sum(raw[None].values()) > 0
    for day in range(90):  # January to March counted
        summaries.refresh_day(D(2025, 1, 1) + dt.timedelta(days=day))
    for month in (D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)):
        following = D(2025, month.month + 1, 1)
        days = LoanDay.objects.filter(day__gte=month, day__lt=following)
        assert sum(LoanMonth.objects.filter(month=month).values_list("loans", flat=True)) == sum(
            days.values_list("loans", flat=True)
        )
    for library in libraries:
        assert summaries.loan_cube(period, library) == raw[library]
        assert series.Loans(period, library).cube == raw[library]


def test_whole_months_are_read_from_their_own_rows(activity, network):
    for day in range(90):
        summaries.refresh_day(D(2025, 1, 1) + dt.timedelta(days=day))
    LoanMonth.objects.create(month=D(2025, 2, 1), library=network["b"], medium="text", loans=5)
    whole = series.Loans(Period(D(2025, 2, 1), D(2025, 2, 28)), network["b"]).counted("library")
    part = series.Loans(Period(D(2025, 2, 2), D(2025, 2, 28)), network["b"]).counted("library")
    assert whole[network["b"].pk] == part[network["b"].pk] + 5


@pytest.mark.parametrize(
    "end, refreshed",
    [
        (D(2025, 4, 30), 90),  # the year so far: January to March counted, April read raw
        (D(2025, 3, 31), 90),  # up to the last day counted
        (D(2025, 3, 31), 120),  # days counted after the period: the year's rows are too many
    ],
)
def test_the_year_so_far_by_commune_from_the_summaries(activity, network, end, refreshed):
    period = Period(D(2025, 1, 1), end)
    raw = {code: series.active_by_commune(period, lib) for code, lib in _libraries(network).items()}
    assert sum(row.value for row in raw[None]) > 0
    for day in range(refreshed):
        summaries.refresh_day(D(2025, 1, 1) + dt.timedelta(days=day))
    read = summaries.active_by_commune(period, None) is not None
    assert read == (refreshed == 90)
    for code, library in _libraries(network).items():
        assert series.active_by_commune(period, library) == raw[code], code
