"""The checks compare a report with the year before read alone (the few figures they compare,
not a whole second report): the same checks, in fewer statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.network.models import Role
from maillon.stats import checks
from maillon.stats.report import build


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
