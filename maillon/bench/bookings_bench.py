"""The bookings benchmark (issue 17: every resource's availability over a year for one
library's booking form in ≤ 100 ms, with 500 resources and 10,000 bookings), run inside a
process whose database is a fresh benchmark database (`python -m maillon.bench.worker bookings
SEED ROUNDS`).

Twenty libraries, 500 resources of every kind (one owner in ten a member library), 10,000
bookings over two years (twenty per resource, a month each with gaps; past ones checked, the
current delivered, the coming approved or requested), written in bulk. Measured:
`availability.year_ahead` (resources, rules and the year's bookings in three queries). Baseline
in the same run: the same answer asked resource by resource (`services.rule_for` and the
resource's bookings: two queries each), as a form built on the one-resource calendar would.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.core.management import call_command
from django.db import connection

from maillon.bookings import availability, services
from maillon.bookings.models import Booking, BookingStatus, Resource, ResourceKind, taking
from maillon.network.models import Library, LibraryKind

from .report import load_average, p95, server_version

LIBRARIES = 20
RESOURCES = 500
PER_RESOURCE = 20
TODAY = dt.date(2027, 3, 1)


def _figures(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p95": p95(values), "runs": len(values)}


def build(seed: int) -> None:
    rng = random.Random(seed)
    md = Library.objects.create(
        code="MD", name="Médiathèque départementale", kind=LibraryKind.DEPARTMENTAL, commune="X"
    )
    members = [
        Library.objects.create(
            code=f"B{n:03d}", name=f"Bibliothèque {n}", kind=LibraryKind.MEMBER, commune="X"
        )
        for n in range(LIBRARIES)
    ]
    kinds = list(ResourceKind.objects.all())
    Resource.objects.bulk_create(
        Resource(
            kind=kinds[n % len(kinds)],
            title=f"Outil {n:04d}",
            owner=members[n % LIBRARIES] if n % 10 == 0 else md,
        )
        for n in range(RESOURCES)
    )
    rows = []
    for resource in Resource.objects.all():
        start = TODAY - dt.timedelta(days=365 + rng.randrange(20))
        for _n in range(PER_RESOURCE):
            end = start + dt.timedelta(days=rng.randrange(14, 28))
            if end < TODAY:
                status = BookingStatus.CHECKED
            elif start <= TODAY:
                status = BookingStatus.DELIVERED
            else:
                status = rng.choice([BookingStatus.APPROVED, BookingStatus.REQUESTED])
            rows.append(
                Booking(
                    resource=resource,
                    library=rng.choice(members),
                    start=start,
                    end=end,
                    blocked_until=end + dt.timedelta(days=7),
                    buffer_days=7,
                    status=status,
                )
            )
            start = end + dt.timedelta(days=8 + rng.randrange(10))
    Booking.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def one_by_one(today: dt.date) -> list:
    found = []
    for resource in Resource.objects.filter(bookable=True).order_by("kind__name", "title"):
        rule = services.rule_for(resource)
        taken = [
            (b.start, b.taken_until(today))
            for b in services.holding(resource).filter(
                taking(today, today), start__lte=today + dt.timedelta(days=366)
            )
        ]
        found.append((resource, rule, taken))
    return found


def run(seed: int, rounds: int) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    build(seed)
    measured, baseline = [], []
    for _round in range(rounds):
        started = time.perf_counter()
        answer = availability.year_ahead(TODAY)
        measured.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        naive = one_by_one(TODAY)
        baseline.append((time.perf_counter() - started) * 1000)
    assert [a.taken for a in answer] == [t for _r, _u, t in naive]  # the same answer
    return {
        "vendor": connection.vendor,
        "resources": Resource.objects.count(),
        "bookings": Booking.objects.count(),
        "year_ahead": _figures(measured),
        "one_by_one": _figures(baseline),
        "server": server_version(),
        "load": load_average(),
    }


def markdown(runs: dict[str, dict], machine_text: str) -> str:
    rows = [
        "## Bookings: every resource's availability over a year",
        "",
        machine_text,
        "",
        f"{LIBRARIES} libraries, {RESOURCES} resources, {RESOURCES * PER_RESOURCE:,} bookings "
        "over two years (written in bulk). Measured: what one library's booking form needs to "
        "show every resource's availability over the coming year (`availability.year_ahead`: "
        "resources, rules and the year's bookings in three queries), in milliseconds. Baseline "
        "in the same run: the same answer asked resource by resource (its rule and its "
        "bookings, two queries each).",
        "",
        "| database | median | p95 | runs | one by one median (baseline) | baseline ÷ median "
        "| p95 ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|:-:|",
    ]
    for label, run in runs.items():
        got, base = run["year_ahead"], run["one_by_one"]
        met = "yes" if got["p95"] <= 100 else "**no**"
        rows.append(
            f"| {label} | {got['median']:.0f} | {got['p95']:.0f} | {got['runs']} | "
            f"{base['median']:.0f} | {base['median'] / got['median']:.1f} | {met} |"
        )
    loads = "; ".join(f"{label}: {run['load']}" for label, run in runs.items())
    rows += [
        "",
        f"Load average (1, 5, 15 min) when measuring: {loads}. The machine is shared: "
        "latencies are wall-clock times and grow with the load.",
        "",
        "Re-run: `maillon bench --only bookings`",
    ]
    return "\n".join(rows)
