"""The circulation benchmark: what it measures stays comparable, and what it writes says it."""

import datetime as dt

from maillon.bench.circulation_bench import Network, queries_per_checkout
from maillon.bench.circulation_report import circulation_markdown, fresh_database
from maillon.catalogue.search import index_records
from maillon.circulation.services import checkout


def test_a_checkout_costs_the_same_statements_with_40_loans_or_2(
    network, desk, make_patron, make_record, make_item
):
    """Limits are counted by the database, not by loading the loans: the benchmark's
    collective borrower must not pay per loan held."""
    valid = {"expires_on": dt.date.today() + dt.timedelta(days=200)}
    ordinary = make_patron("Martin", **valid)
    school = make_patron("École", category="collective", **valid)
    for patron, count in ((ordinary, 2), (school, 40)):
        for n in range(count):
            checkout(desk["a"], network["a"], patron, make_item(make_record(f"{patron} {n}")))
    measured = make_item(make_record("Mesuré"))
    index_records([measured.record_id])  # as the benchmark's catalogue is (see build)
    pool = [measured.barcode]
    counts = queries_per_checkout(
        Network(
            desk=network["a"],
            actor=desk["a"],
            key="",
            borrowers={"2 loans": ordinary.card_number, "40 loans": school.card_number},
            pool=pool,
        )
    )
    # The exempt school may skip the limit count; it never pays per loan held.
    assert 0 < counts["40 loans"] <= counts["2 loans"]


def figures(median: float, p95: float) -> dict:
    return {"runs": 200, "median": median, "p95": p95}


def run(service_p95: float, http_p95: float) -> dict:
    both = {"checkout": figures(1, service_p95), "checkin": figures(1, 2)}
    web = {"checkout": figures(5, http_p95), "checkin": figures(5, 6)}
    return {
        "service": {"2 loans": both, "300 loans": both},
        "http": {"2 loans": web, "300 loans": web},
        "queries": {"2 loans": 20, "300 loans": 20},
        "baseline": figures(0.5, 0.8),
        "round_trip": figures(0.04, 0.06),
        "build_s": 30,
        "load": "0.5 0.4 0.3",
        "counts": {"items": 6000, "open_loans": 1500, "holds": 140},
    }


def test_the_section_marks_missed_targets_and_gives_the_ratios():
    text = circulation_markdown(
        {"SQLite": run(4, 12), "PostgreSQL": run(14, 40)},
        "Machine: test.",
        "maillon bench --only circulation",
    )
    rows = [line for line in text.splitlines() if line.startswith("| SQLite | service")]
    assert len(rows) == 4 and all(row.endswith("| yes |") for row in rows)
    missed = [
        line
        for line in text.splitlines()
        if line.startswith("| PostgreSQL |") and "checkout" in line and "**no**" in line
    ]
    assert len(missed) == 4  # service > 10 ms and HTTP > 30 ms, both borrowers
    assert "| SQLite | 1.00 | 1.00 | 20 | 20 |" in text
    # Baseline, ratio and the machine's round trip.
    assert "| SQLite | 0.50 | 0.80 | 1.00 | 2.0 | 0.04 |" in text
    assert "Machine: test." in text and "`maillon bench --only circulation`" in text


def test_each_run_starts_from_an_empty_sqlite_file(tmp_path):
    search_db = tmp_path / "catalogue-1000.sqlite3"
    stale = tmp_path / "circulation.sqlite3"
    stale.write_text("old run")
    (tmp_path / "circulation.sqlite3-wal").write_text("old run")
    assert fresh_database(f"sqlite:///{search_db}") == f"sqlite:///{stale}"
    assert not stale.exists() and not (tmp_path / "circulation.sqlite3-wal").exists()
