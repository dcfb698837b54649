"""The demo's report of last year reads the MD's deposits (their history written by the
deposits demo) and acquisitions dated no later than the items came in."""

import datetime as dt

from maillon.catalogue.models import Item
from maillon.deposits.demo import build_deposits
from maillon.deposits.models import DepositEntry
from maillon.network.models import Library
from maillon.stats.demo import build_stats
from maillon.stats.report import build

TODAY = dt.date(2026, 11, 25)


def test_last_years_report_reads_the_deposits_and_the_acquisitions(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    made = build_deposits(TODAY)
    lent = DepositEntry.objects.filter(returned_on__isnull=True).count()
    assert made["history"] == lent > 0
    build_stats(TODAY)
    secondigny = Library.objects.get(code="SEC")
    values = build(2025, secondigny).values
    assert values["holdings_md"] > 0 and values["holdings"] > 0
    network = build(2025, None).values
    assert network["holdings_md"] == lent
    assert sum(network.get(f"added.D{n}", 0) for n in range(1, 5)) > 0
    assert not Item.objects.filter(acquired_on__year__gt=TODAY.year).exists()
