"""The documents held on each evening (HoldingDay), written by the daily run from the days
documents came and went: on every evening they are what the annual report's rule counts on the
items and the deposits' entries; turnover reads them."""

import datetime as dt

from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus, Record, md_stock
from maillon.stats import facts, series, summaries
from maillon.stats.facts import Period
from maillon.stats.models import HoldingDay
from tests.stats.test_report_sources import deposits  # noqa: F401 (a fixture)

D = dt.date


def _by_rule(day: dt.date, library, medium: str) -> int:
    """The report's rule for one library and kind of document on one evening, on the items."""
    period = Period(day, day)
    own = facts.holdings(period, library).exclude(md_stock()).filter(record__doc_type=medium)
    md = facts.md_holdings(period, library).filter(record__doc_type=medium)
    return own.count() + md.count()


def _evenings():
    """Every evening where something changed, with the days around them."""
    changes = {day for _library, _medium, _md, day, _n in facts.holding_changes()}
    days = {d + dt.timedelta(days=shift) for d in changes for shift in (-1, 0, 1)}
    return sorted(days | {D(2024, 11, 1), D(2026, 6, 1)})


def test_every_evening_holds_what_the_rule_counts(deposits, network, make_item, record_of):  # noqa: F811
    # A copy still on order never counts.
    on_order = make_item(record_of("Commandé"), network["a"], audience="adult")
    Item.objects.filter(pk=on_order.pk).update(status=ItemStatus.ON_ORDER)
    days = _evenings()
    summaries.count_held(days)
    libraries = [network["a"], network["b"], network["md"]]
    checked = 0
    mediums = set(Item.objects.values_list("record__doc_type", flat=True))
    assert {"text", "video", "periodical"} <= mediums
    for day in days:
        rows = {(r.library_id, r.medium): r for r in HoldingDay.objects.filter(day=day)}
        for library in libraries:
            for medium in mediums:
                row = rows.get((library.pk, medium))
                counted = (row.own + row.md) if row else 0
                assert counted == _by_rule(day, library, medium), (day, library.code, medium)
                checked += counted
    assert checked > 0

    def evening(library, day, column):
        return sum(getattr(r, column) for r in HoldingDay.objects.filter(library=library, day=day))

    # The MD's at BBB: D1, D2 and D3 from 1 March 2025; D2 back on 1 November.
    b = network["b"]
    assert [evening(b, d, "md") for d in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 11, 1))] == [
        0,
        3,
        2,
    ]
    a = network["a"]
    assert evening(a, D(2025, 5, 31), "own") - evening(a, D(2025, 6, 1), "own") == 1  # A4


def test_turnover_reads_the_evening_counted(activity, network):
    period = Period(D(2025, 1, 1), D(2025, 6, 30))
    before = {row.key: row.value for row in series.turnover(period, None)}
    summaries.count_held([period.end])
    # What changes on the items afterwards does not change what that evening held.
    Item.objects.filter(home=network["a"]).update(home=network["b"])
    assert {row.key: row.value for row in series.turnover(period, None)} == before
    # A1, A2, A3, A5 and M1 (the MD's, at AAA before the deposits were kept)
    assert series.documents_held(period, network["a"])[network["a"].pk] == 5
    # An evening not counted is counted on the items as they are now.
    other = Period(D(2025, 1, 1), D(2025, 7, 1))
    assert series.documents_held(other, network["a"])[network["a"].pk] == 0


def test_today_reads_yesterday_evening(activity, network):
    today = timezone.localdate()
    summaries.count_held([today - dt.timedelta(days=1)])
    held = series.documents_held(Period(D(today.year, 1, 1), today), None)
    Item.objects.filter(home=network["a"]).update(home=network["b"])  # after the count
    assert series.documents_held(Period(D(today.year, 1, 1), today), None) == held
    assert held[network["a"].pk] == 5  # A1, A2, A3, A5 and M1


def test_collection_age_is_counted_by_band_on_an_evening(activity, network):
    years = {"Livre": 2024, "Album": 2010, "Film": None, "Revue": 2000}
    for title, year in years.items():
        Record.objects.filter(title=title).update(year=year)
    summaries.count_ages(D(2025, 12, 31))
    Record.objects.update(year=1900)  # afterwards: the evening counted stays as it was
    when, rows = series.collection_age(Period.year(2025), None)
    # Held on 31/12/2025: A1, A5, B1 (2024: 1 year); A2, M1 (2010: 15 years); A3 (no year);
    # B2 (2000: 25 years). A4 was withdrawn.
    assert when == D(2025, 12, 31)
    assert {r.key: r.value for r in rows} == {
        "0-2": 3,
        "3-5": 0,
        "6-10": 0,
        "11-20": 2,
        "21+": 1,
        "": 1,
    }
    # AAA's, and a period ended before the first evening counted reads that evening.
    when, rows = series.collection_age(Period(D(2025, 1, 1), D(2025, 3, 31)), network["a"])
    assert when == D(2025, 12, 31)
    assert [r.value for r in rows] == [2, 0, 0, 2, 0, 1]
