"""The overview of the annual report reads what it needs once: every place's figures counted
together (a statement per fact, grouped by library), the year before alone (the few figures the
checks compare), the figures' definitions once; the same figures and checks as each report
built alone."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.network.models import Role
from maillon.stats import checks, summaries
from maillon.stats.facts import Period
from maillon.stats.figures import all_figures, compute, compute_each
from maillon.stats.report import build
from tests.conftest import make_library


@pytest.mark.parametrize("code", ["a", "b", None])
def test_the_year_before_read_alone_gives_the_same_checks(activity, network, monkeypatch, code):
    monkeypatch.setattr(checks, "JUMP_FLOOR", 0)  # the fixture's small numbers do jump
    library = network[code] if code else None
    report = build(2025, library)
    whole = checks.run(report, build(2024, library))
    with CaptureQueriesContext(connection) as alone:
        before = checks.year_before(2024, library)
    with CaptureQueriesContext(connection) as full:
        build(2024, library)
    assert checks.run(report, before) == whole
    assert any(c.level == checks.WARNING and c.key in checks.JUMPING for c in whole)
    assert len(alone.captured_queries) < len(full.captured_queries) / 2


def test_the_overview_reads_the_figures_once(client, staff, activity, network):
    client.force_login(staff[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("stats:annual_overview", args=[2025]))
    assert page.status_code == 200
    categories = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "patrons_patroncategory"')
    ]
    assert len(categories) == 3  # once per kind of category, not once per report


@pytest.mark.parametrize("refreshed", [False, True])
def test_every_library_counted_at_once_as_alone(activity, network, refreshed):
    if refreshed:  # the summaries cover 2025 (loans, borrowers, holdings at 31/12)
        call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
        assert summaries.loans_counted(Period.year(2025))
        assert summaries.snapshot_year(Period.year(2025)) == 2025
    libraries = [*network.values(), make_library("NEW")]  # one without any row
    every = all_figures()
    for year in (2024, 2025):
        period = Period.year(year)
        together = compute_each(every, period, libraries)
        assert together == {lib.pk: compute(every, period, lib) for lib in libraries}, year
    assert together[network["a"].pk]["loans"] > 0


def test_the_overview_statements_do_not_grow_with_each_place_s_figures(
    client, staff, activity, network
):
    client.force_login(staff[Role.COORDINATOR])
    url = reverse("stats:annual_overview", args=[2025])

    def statements():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        sqls = [q["sql"] for q in queries.captured_queries]
        by_fact = [s for s in sqls if s.split(" FROM ", 1)[-1].startswith('"circulation_loan"')]
        return page.context["places"], len(by_fact)

    places, loans = statements()
    assert loans == 3  # all places this year and the year before, then the network
    for place in places:
        alone = build(2025, place.library)
        assert place.report.values == alone.values
        assert place.checks == checks.run(alone, build(2024, place.library))
    for n in range(3):
        make_library(f"NEW{n}")
    assert statements()[1] == loans
