"""The collection policy benchmark's weeding and proposals steps, on a small network: the
one-library list and the network's in one statement, the daily sum of the loans per library
and kind, and the report's section."""

import datetime as dt

from django.utils import timezone

from maillon.bench import collections_bench
from maillon.circulation.models import Loan
from maillon.rotation.models import KindLoans
from tests.circulation.conftest import TODAY
from tests.weeding.conftest import default_criteria, years_ago  # noqa: F401


def test_weeding_and_proposals_steps(network, make_item, record_of):
    a, b = network["a"], network["b"]
    for n in range(4):
        make_item(record_of(f"Roman {n}", year=TODAY.year - 20), a, last_loan_at=years_ago(5))
        item = make_item(record_of(f"Polar {n}", year=TODAY.year - 20), b)
        Loan.objects.create(
            item=item,
            library=b,
            checked_out_at=timezone.now() - dt.timedelta(days=3),
            due_on=TODAY,
            loan_days=21,
            returned_at=timezone.now(),
        )
    weeding = collections_bench.weeding(a, 1)
    assert weeding["proposed"] == 4 and weeding["network_proposed"] == 4
    assert weeding["one"]["runs"] == collections_bench.WARM_RUNS and weeding["one"]["cold"] > 0
    assert weeding["network_ms"] > 0 and weeding["network_cold_ms"] > 0
    assert collections_bench.build_kinds()["kinds_refresh_loans"] == 4
    assert KindLoans.objects.get().loans == 4
    found = collections_bench.proposals(a, 1)
    assert found["daily_loans"] == 0
    # A cold run apart, then the warm runs the median and p95 are taken from.
    assert found["one"]["runs"] == collections_bench.WARM_RUNS and found["one"]["cold"] > 0
    run = {
        "items": 8,
        "records": 8,
        "library": "AAA",
        "library_items": 4,
        "weeding": weeding,
        "inventory": {
            "section": 0,
            **{
                key: {"median": 1, "p95": 1, "runs": 1}
                for key in ("report", "early_scan", "early_page", "late_scan", "late_page")
            },
        },
        "proposals": found,
        "built": {"kinds_refresh_s": 1.5, "kinds_refresh_loans": 4},
        "load": "0.1 0.1 0.1",
    }
    text = collections_bench.markdown({"PostgreSQL": run}, "Machine: test.", "maillon bench")
    assert "`maillon weeding-candidates --network`" in text
    assert "First sum over 4 loans (once, at installation): 2 s" in text
