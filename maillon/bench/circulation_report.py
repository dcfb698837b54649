"""`maillon bench --only circulation`: fresh benchmark databases, the worker step, and the
circulation section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .circulation_bench import COLLECTIVE_LOANS, LIBRARIES, WARMUP
from .report import libraries_table, machine, write_section

if TYPE_CHECKING:
    from .management.commands.bench import Command

SERVICE_TARGET_MS = 10
HTTP_TARGET_MS = 30
SAMPLES = 200


def fresh_database(url: str, suffix: str = "circulation") -> str:
    """A benchmark's own database (named after `suffix`) next to `url` (the search
    benchmark's one), emptied: every run builds the same network from the same seed."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")).with_name(f"{suffix}.sqlite3")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    base, name = url.rsplit("/", 1)
    name = f"{name}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def kept_database(url: str, suffix: str) -> str:
    """The same database as fresh_database, kept as it is (created when missing)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")).with_name(f"{suffix}.sqlite3")
        return f"sqlite:///{path}"
    import psycopg

    base, name = url.rsplit("/", 1)
    name = f"{name}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_benchmark(command: Command, options: dict) -> None:
    """The entry registered in the bench command (which gives the databases and the worker)."""
    from maillon.bench.management.commands.bench import (
        _worker,
        libraries_of,
        section,
        with_libraries,
    )

    runs: dict[str, dict] = {}
    counts = libraries_of(options, LIBRARIES)
    for libraries in counts:
        databases = command.databases(options["records"], not options["no_postgres"])
        for database, url in databases.items():
            label = database if len(counts) == 1 else f"{database} · {libraries} libraries"
            command.stdout.write(_("%s: building the circulation network and measuring…") % label)
            runs[label] = _worker(
                fresh_database(url),
                "circulation",
                str(options["seed"]),
                str(SAMPLES),
                str(libraries),
            )
            runs[label].update(database=database, libraries=libraries)
    server = next((r["server"] for r in runs.values() if r.get("server")), None)
    rerun = "maillon bench --only circulation" + with_libraries(options)
    write_section(
        section("circulation", options),
        circulation_markdown(runs, machine(server), rerun, options["libraries"]),
    )
    for database, run in runs.items():
        for way in ("service", "http"):
            for borrower, operations in run[way].items():
                for operation, figures in operations.items():
                    command.stdout.write(
                        f"{database:10} {way:7} {borrower:9} {operation:8} median "
                        f"{figures['median']:6.2f} ms  p95 {figures['p95']:6.2f} ms"
                    )


def _network(libraries: list[int]) -> str:
    if libraries == [LIBRARIES]:
        return "six libraries"
    counts = ", ".join(map(str, libraries[:-1])) + f" or {libraries[-1]}"
    return (
        f"{counts} libraries (the head library keeps the copies it holds in the six-library "
        "network; the others' copies are spread evenly over the other libraries)"
    )


def _p95s(run: dict) -> dict[str, float]:
    """Each series' p95, named as in the table."""
    return {
        f"{label} {operation}, {borrower}": s["p95"]
        for way, label in (("service", "service"), ("http", "HTTP"))
        for borrower, operations in run[way].items()
        for operation, s in operations.items()
    }


def _ms(value: float) -> str:
    return f"{value:.2f}"


def circulation_markdown(
    runs: dict[str, dict], machine: str, command: str, libraries: list[int] | None = None
) -> str:
    heavy = f"{COLLECTIVE_LOANS} loans"
    lines = [
        "## Circulation: checkout and check-in"
        + (f", {', '.join(map(str, libraries))} libraries" if libraries else ""),
        "",
        machine,
        "",
        f"A network built for the run from a fixed seed: {_network(libraries or [LIBRARIES])}, "
        "about 6,000 copies (the catalogue generator's), five loan rules, 400 patrons with "
        "about 1,200 open loans and 150 holds, all made through the services. At the head "
        "library's desk the same "
        f"{SAMPLES} copies are lent then returned, one after the other, to an ordinary patron "
        f"holding 2 loans and to a school (collective borrower) holding {COLLECTIVE_LOANS} "
        f"loans; each borrower keeps that number of loans throughout. The first {WARMUP} of "
        "each series are not counted.",
        "",
        "*Service*: `circulation.services.checkout/checkin` called with a card number and a "
        "barcode, as the desk pages call them. *HTTP*: `POST /api/v1/checkouts` and "
        "`/api/v1/checkins` with a Bearer token to a gunicorn server started on the same "
        "database (1 worker, 2 threads), one keep-alive connection from the benchmark "
        "process; the time is the client's wall clock, so server time plus loopback.",
        "",
        "| database | way in | borrower | operation | median ms | p95 ms | target p95 | met |",
        "|---|---|---|---|---:|---:|---:|:-:|",
    ]
    for database, run in runs.items():
        for way, label, target in (
            ("service", "service", SERVICE_TARGET_MS),
            ("http", "HTTP", HTTP_TARGET_MS),
        ):
            for borrower, operations in run[way].items():
                for operation, s in operations.items():
                    lines.append(
                        f"| {database} | {label} | {borrower} | {operation} | "
                        f"{_ms(s['median'])} | {_ms(s['p95'])} | ≤ {target} | "
                        f"{'yes' if s['p95'] <= target else '**no**'} |"
                    )
    lines += libraries_table(runs, _p95s)
    lines += [
        "",
        "Does the time grow with the loans held? The p95 of a checkout for the school "
        f"({COLLECTIVE_LOANS} loans) divided by the ordinary patron's (2 loans), and the SQL "
        "statements one checkout runs for each (the loans held are counted by an indexed "
        "`COUNT` inside the query that locks the patron, never by loading them; a count by "
        "library and item type follows only for a patron within reach of a limit):",
        "",
        f"| database | service p95 ratio | HTTP p95 ratio | statements (2 loans) | "
        f"statements ({heavy}) |",
        "|---|---:|---:|---:|---:|",
    ]
    for database, run in runs.items():
        ratio = {
            way: run[way][heavy]["checkout"]["p95"]
            / max(run[way]["2 loans"]["checkout"]["p95"], 0.001)
            for way in ("service", "http")
        }
        lines.append(
            f"| {database} | {ratio['service']:.2f} | {ratio['http']:.2f} | "
            f"{run['queries']['2 loans']} | {run['queries'][heavy]} |"
        )
    lines += [
        "",
        "Baseline measured in the same run: one transaction that locks the item row "
        "(`SELECT … FOR UPDATE`; SQLite takes its write lock at `BEGIN IMMEDIATE`) and "
        "inserts a loan row with the ORM — the least any checkout writes. The checkout also "
        "finds patron and item, locks the patron, checks card, blocks, limits and holds, picks "
        "the rule and due date, updates the item and writes its history line.",
        "",
        "The last column is the machine's floor: the median time of one `SELECT 1` to the "
        "database and back. Each statement of a checkout pays at least that much, so the "
        "figures above move with it from one machine to another.",
        "",
        "| database | baseline median ms | baseline p95 ms | service checkout median (2 loans) "
        "| ratio | round trip median ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for database, run in runs.items():
        base = run["baseline"]
        service = run["service"]["2 loans"]["checkout"]["median"]
        trip = run.get("round_trip", {}).get("median")
        lines.append(
            f"| {database} | {_ms(base['median'])} | {_ms(base['p95'])} | "
            f"{_ms(service)} | {service / max(base['median'], 0.001):.1f} | "
            f"{_ms(trip) if trip is not None else '—'} |"
        )
    lines += [
        "",
        "Network built (migrations, generation, loans and holds through the services): "
        + "; ".join(
            f"{db}: {r['build_s']:.0f} s, {r['counts']['items']:,} items, "
            f"{r['counts']['open_loans']:,} open loans, {r['counts']['holds']} holds"
            for db, r in runs.items()
        )
        + ".",
        "",
        "Load average (1, 5, 15 min) when measuring: "
        + "; ".join(f"{db}: {r.get('load', '?')}" for db, r in runs.items())
        + ". The machine is "
        "shared: latencies are wall-clock times and grow with the load.",
        "",
        f"Re-run: `{command}`",
    ]
    return "\n".join(lines)
