"""The demo's statistics: two years of activity written once, which the report reads without
errors for every library and the network."""

import datetime as dt

from maillon.circulation.models import Loan
from maillon.stats import checks
from maillon.stats.demo import build_stats
from maillon.stats.report import build

TODAY = dt.date(2026, 3, 2)


def test_two_years_of_believable_activity(network, make_patron, make_item, record_of):
    for n in range(40):
        home = network["a"] if n % 2 else network["b"]
        make_patron(
            f"Lecteur {n}",
            home=home,
            city=f"Commune {n % 3}",
            registered_on=dt.date(2023, 1, 1),
            expires_on=dt.date(2027, 1, 1),
        )
    for n in range(60):
        make_item(record_of(), network["a"] if n % 2 else network["b"], audience="adult")
    made = build_stats(TODAY)
    assert made["loans"] > 0 and made["renewals"] > 0
    assert build_stats(TODAY) == {}  # once
    last = Loan.objects.filter(checked_out_at__year=2025)
    assert last.count() >= 100 and not last.filter(patron_key="").exists()
    for library in (network["a"], network["b"], None):
        report = build(2025, library)
        assert report.values["loans"] > 0 and report.values["active"] > 0
        assert report.values["holdings"] > 0
        found = checks.run(report, build(2024, library))
        assert checks.is_ready(found), [c.message for c in found]
    network_active = build(2025, None).values["active"]
    assert network_active <= sum(build(2025, network[k]).values["active"] for k in ("a", "b"))
