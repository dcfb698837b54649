"""The SIP2 benchmark's load-independent figures: each request's statements and CPU time,
measured on real requests, and how the report shows them."""

from django.db import connection

from maillon.bench.sip2_bench import ROWS, commits, markdown, per_request
from maillon.circulation.models import Loan, NetworkPolicy
from maillon.sip2.models import Terminal

LABELS = [
    "service checkout",
    "service checkin",
    "11 checkout",
    "63 patron information",
    "09 checkin",
]


def test_each_request_counted_and_timed(terminal, reader, make_item, book, policy):
    account, password = terminal
    make_item(book)  # stays on the shelf
    copies = [make_item(book) for _ in range(4)]
    account = Terminal.objects.select_related("library").get(pk=account.pk)
    out = per_request(account, password, reader.card_number, [c.barcode for c in copies])
    assert list(out["statements"]) == list(out["cpu_ms"]) == LABELS
    assert out["statements"]["63 patron information"] == 5
    # The server's checkout is the service's plus the terminal's account, read at each message:
    # on PostgreSQL in the statement that locks (one message with the locks), elsewhere alone.
    account_read = 0 if connection.vendor == "postgresql" else 1
    assert out["statements"]["11 checkout"] == out["statements"]["service checkout"] + account_read
    assert all(ms > 0 for ms in out["cpu_ms"].values())
    if connection.vendor == "postgresql":  # the messages libpq sent: a statement each at most
        assert list(out["round_trips"]) == LABELS
        assert out["round_trips"]["63 patron information"] == 5
        assert all(out["round_trips"][k] <= out["statements"][k] for k in LABELS)
    else:
        assert "round_trips" not in out
    assert not Loan.objects.filter(returned_at__isnull=True).exists()  # each copy came back


def test_the_report_shows_statements_and_cpu():
    figures = {"runs": 3, "median": 1.0, "p95": 2.0}
    run = {
        **{key: {"checkout": figures, "checkin": figures, "throughput": 40.0} for key, _ in ROWS},
        "load_before": "0.5 0.5 0.5",
        "load_after": "0.6 0.5 0.5",
        "at": "2026-12-06 06:00 UTC",
        "statements": dict(zip(LABELS, [12, 9, 13, 5, 10], strict=True)),
        "round_trips": dict(zip(LABELS, [5, 5, 5, 4, 5], strict=True)),
        "cpu_ms": dict(zip(LABELS, [4.9, 3.8, 5.2, 1.3, 4.3], strict=True)),
        "server_cpu_ms": 6.25,
        "commit": {"runs": 200, "median": 4.2, "p95": 11.0},
    }
    text = markdown({"SQLite": run}, "Machine.", "maillon bench --only sip2")
    assert "(one row written, then COMMIT), in the same run: median 4.2 ms, p95 11.0 ms" in text
    assert "| SQLite | SQL statements | 12 | 9 | 13 | 5 | 10 |" in text
    assert "| SQLite | CPU ms | 4.9 | 3.8 | 5.2 | 1.3 | 4.3 |" in text
    assert "| SQLite | round trips | 5 | 5 | 5 | 4 | 5 |" in text
    assert "all its threads): 6.2 ms." in text


def test_the_commit_floor_is_timed_and_writes_nothing_new(policy):
    before = NetworkPolicy.objects.values().get()
    times = commits(runs=3)
    assert len(times) == 3 and all(ms > 0 for ms in times)
    assert NetworkPolicy.objects.values().get() == before
