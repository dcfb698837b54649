"""The collection policy and collections-on-the-move benchmarks, run inside a process whose
database is a fresh benchmark database (`python -m maillon.bench.worker collections RECORDS
LOANS SEED ROUNDS`).

The network: 50 libraries and RECORDS records with about two copies each from the catalogue
generator (1M records → about 2M items; its third library holds about 100k), every copy with
a last loan date spread over eight years when it was ever lent. LOANS loans over the last two
years are then written in one INSERT … SELECT (popular copies lent more: the item is drawn
with a cubic skew), all returned.

Measured, each with a baseline in the same run:
- weeding: the candidate list of the library nearest 100k items (what `maillon
  weeding-candidates` prints: rules, reasons, copies elsewhere, last copies), against reading
  the same rows with no rule applied; then every library's list one after the other (the
  network-wide list);
- inventory: one barcode scanned at the shelf and the page the desk sees next (the section's
  report), early in a section and when it is nearly done, against the scan alone;
- core collection (PostgreSQL): the first refresh of the monthly summary over all the loans,
  a daily refresh, and a 12-month core list read from the summary, against the same ranking
  read from the loans;
- proposals from usage for the library nearest 100k items, against reading its shelf.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Count
from django.db.models.functions import Mod
from django.utils import timezone

from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.circulation.models import Loan
from maillon.network.models import Library, Role, StaffRole

from .generate import generate
from .report import load_average, p95, server_version

LIBRARY_ITEMS = 100_000  # the library measured: the one nearest this size
DAY_LOANS = 30_000  # a busy day of a département's network, for the daily refresh
SECTION = ("800", "899")  # the shelf section inventoried (call numbers)
SHELF_SCANS = 40  # scans timed at each point of the inventory


def _figures(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p95": p95(values), "runs": len(values)}


def _timed(function: Callable[[], Any], rounds: int) -> tuple[dict, Any]:
    values, result = [], None
    for _round in range(rounds):
        started = time.perf_counter()
        result = function()
        values.append((time.perf_counter() - started) * 1000)
    return _figures(values), result


def _last_loans() -> None:
    """Copies ever lent get a last loan date spread over eight years (the generator gives
    loan counts but no dates): the weeding rules read it."""
    now = timezone.now()
    for bucket in range(16):
        Item.objects.annotate(bucket=Mod("id", 16)).filter(bucket=bucket, loan_count__gt=0).update(
            last_loan_at=now - dt.timedelta(days=bucket * 183 + 10)
        )


def _loan_columns(expressions: dict[str, str]) -> tuple[list[str], list[str], list[Any]]:
    """Every column of the loans table: the given SQL expressions, else NULL or the default."""
    columns, values, params = [], [], []
    for field in Loan._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in expressions:
            values.append(expressions[field.column])
        elif field.null:
            values.append("NULL")
        else:
            default = field.get_default()
            if isinstance(field, models.JSONField):
                values.append("%s::jsonb")
                params.append(json.dumps(default))
            else:
                values.append("%s")
                params.append(field.get_db_prep_value(default, connection))
    return columns, values, params


def write_loans(count: int, days: int, start_day: int = 0) -> None:
    """`count` returned loans over `days` days ending `start_day` days ago, in one statement on
    PostgreSQL (no Python per loan)."""
    top = Item.objects.order_by("-id").values_list("id", flat=True).first() or 1
    columns, values, params = _loan_columns(
        {
            "item_id": "i.id",
            "library_id": "i.home_id",
            "checked_out_at": "s.out",
            "due_on": "(s.out + interval '28 days')::date",
            "loan_days": "28",
            "returned_at": "s.out + interval '14 days'",
            "medium": "''",
        }
    )
    sql = (
        f"INSERT INTO {Loan._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM ("
        f"  SELECT 1 + floor(power(random(), 3) * {top})::bigint AS item,"
        f"         now() - make_interval(days => {start_day}) "
        f"           - random() * make_interval(days => {days}) AS out"
        f"  FROM generate_series(1, {count})"
        f") s JOIN catalogue_item i ON i.id = s.item"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(sql, params)
        cursor.execute(f"ANALYZE {Loan._meta.db_table}")


def _measured_library() -> tuple[Library, int]:
    sizes = dict(
        Item.objects.exclude(status__in=GONE_STATUSES)
        .values("home_id")
        .annotate(n=Count("pk"))
        .values_list("home_id", "n")
    )
    home_id = min(sizes, key=lambda pk: abs(sizes[pk] - LIBRARY_ITEMS))
    return Library.objects.get(pk=home_id), sizes[home_id]


WARM_RUNS = 7  # warm runs at least, after the first (cold) one


def _cold_then_warm(function: Callable[[], Any], rounds: int) -> tuple[dict, Any]:
    """The first run (cold: the pages not yet in the database's memory) on its own, then the
    median and p95 of the warm runs after it — a p95 of 3 was the cold run alone."""
    started = time.perf_counter()
    function()
    cold = (time.perf_counter() - started) * 1000
    warm, result = _timed(function, max(rounds, WARM_RUNS))
    return {**warm, "cold": cold}, result


def weeding(library: Library, rounds: int) -> dict:
    from maillon.weeding.services import ON_SHELF, candidate_table, network_table

    today = timezone.localdate()
    one, rows = _cold_then_warm(lambda: candidate_table(library, today), rounds)

    def floor() -> int:
        return len(
            list(
                Item.objects.filter(home=library, current=library, status__in=ON_SHELF)
                .values(
                    "pk",
                    "record_id",
                    "call_number",
                    "audience",
                    "item_type_id",
                    "loan_count",
                    "last_loan_at",
                    "acquired_on",
                    "created_at",
                    "record__classification",
                    "record__doc_type",
                    "record__year",
                )
                .iterator(chunk_size=5000)
            )
        )

    baseline, _rows = _cold_then_warm(floor, rounds)

    def network() -> int:
        return sum(1 for _row in network_table(today)) - 1

    # Network-wide: the first run on its own, then the median of a few more.
    started = time.perf_counter()
    proposed = network()
    network_cold = (time.perf_counter() - started) * 1000
    network_warm, _n = _timed(network, max(rounds, 3))
    return {
        "one": one,
        "baseline": baseline,
        "proposed": len(rows) - 1,
        "network_ms": network_warm["median"],
        "network_cold_ms": network_cold,
        "network_proposed": proposed,
        "libraries": Library.objects.count(),
    }


def inventory(library: Library, actor) -> dict:
    """Scan a section's items in shelf order (a few out of place): the scan, then the page."""
    from maillon.inventory import services as inv

    section = inv.start(actor, library, "Mesure 800", call_from=SECTION[0], call_to=SECTION[1])
    wanted = sorted(inv.expected(section), key=lambda i: (inv.call_key(i.call_number), i.pk))
    on_shelf = [i.barcode for i in wanted]
    for n in range(7, len(on_shelf) - 1, 50):  # every 50th copy put back one place off
        on_shelf[n], on_shelf[n + 1] = on_shelf[n + 1], on_shelf[n]

    def timed_scans(barcodes: list[str]) -> tuple[dict, dict]:
        scans, pages = [], []
        for barcode in barcodes:
            started = time.perf_counter()
            inv.scan(actor, section, barcode)
            middle = time.perf_counter()
            inv.progress(section)
            pages.append((time.perf_counter() - started) * 1000)
            scans.append((middle - started) * 1000)
        return _figures(scans), _figures(pages)

    early_scan, early_page = timed_scans(on_shelf[:SHELF_SCANS])
    late_start = max(SHELF_SCANS, len(on_shelf) - SHELF_SCANS)
    for barcode in on_shelf[SHELF_SCANS:late_start]:
        inv.scan(actor, section, barcode)
    late_scan, late_page = timed_scans(on_shelf[late_start:])
    report, _report = _timed(lambda: inv.report(section), 3)
    return {
        "report": report,
        "section": len(wanted),
        "early_scan": early_scan,
        "early_page": early_page,
        "late_scan": late_scan,
        "late_page": late_page,
    }


def build_core(loans: int) -> dict:
    """PostgreSQL: the loans written, then the summary's first refresh over all of them."""
    from maillon.corecollection import services as core_services

    started = time.perf_counter()
    write_loans(loans, 730, start_day=1)
    written_s = time.perf_counter() - started
    started = time.perf_counter()
    first = core_services.refresh_demand()
    return {
        "write_s": written_s,
        "first_refresh_s": time.perf_counter() - started,
        "first_refresh_loans": first.loans,
    }


def build_kinds() -> dict:
    """The loans summed per library and item type for the first time (once, at
    installation), as the proposals from usage read them."""
    from maillon.rotation import kinds

    started = time.perf_counter()
    summed = kinds.refresh()
    return {"kinds_refresh_s": time.perf_counter() - started, "kinds_refresh_loans": summed}


def core(rounds: int) -> dict:
    """PostgreSQL: a day's refresh, then the 12-month list from the summary and from the
    loans."""
    from maillon.corecollection import services as core_services

    write_loans(DAY_LOANS, 1)
    started = time.perf_counter()
    daily = core_services.refresh_demand()
    daily_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE corecollection_monthlydemand")
    start, end = core_services.default_period(timezone.localdate())
    computed, _list = _timed(
        lambda: core_services.compute(None, start, end, per_group=50, check=False), rounds
    )
    ranked = (
        "SELECT record_id, audience, doc_type, n FROM ("
        "  SELECT r.id AS record_id, r.audience, r.doc_type, count(*) AS n,"
        "         row_number() OVER (PARTITION BY r.audience, r.doc_type"
        "                            ORDER BY count(*) DESC, r.id) AS rank"
        "  FROM circulation_loan l JOIN catalogue_item i ON i.id = l.item_id"
        "  JOIN catalogue_record r ON r.id = i.record_id"
        "  WHERE l.checked_out_at >= %s AND l.checked_out_at < %s"
        "  GROUP BY r.id, r.audience, r.doc_type"
        ") ranked WHERE rank <= 50"
    )
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))

    def from_loans() -> int:  # with the same memory for sorting as the list's query
        with transaction.atomic(), connection.cursor() as cursor:
            core_services._sort_memory()
            cursor.execute(ranked, [since, after])
            return len(cursor.fetchall())

    baseline, _n = _timed(from_loans, rounds)
    from maillon.corecollection.models import MonthlyDemand

    return {
        "loans": Loan.objects.count(),
        "daily_refresh_s": daily_s,
        "daily_loans": daily.loans,
        "summary_rows": MonthlyDemand.objects.count(),
        "compute": computed,
        "baseline": baseline,
        "period": f"{start.isoformat()} – {end.isoformat()}",
    }


def proposals(library: Library, rounds: int) -> dict:
    """The day's loans (written by `core`) summed per library and item type as the daily
    work does, then the proposals."""
    from maillon.rotation import kinds
    from maillon.rotation.proposals import proposals as propose_moves

    started = time.perf_counter()
    daily = kinds.refresh()
    daily_s = time.perf_counter() - started
    found, rows = _cold_then_warm(lambda: propose_moves(library, 12), rounds)
    since = timezone.now() - dt.timedelta(days=365)

    def floor() -> int:
        return (
            len(
                list(
                    Item.objects.filter(home=library)
                    .values_list("pk", "record_id", "status", "last_loan_at")
                    .iterator(chunk_size=5000)
                )
            )
            + Loan.objects.filter(checked_out_at__gte=since, library=library).count()
        )

    baseline, _n = _cold_then_warm(floor, rounds)
    return {
        "one": found,
        "baseline": baseline,
        "proposals": len(rows),
        "daily_refresh_s": daily_s,
        "daily_loans": daily,
    }


def run(records: int, loans: int, seed: int, rounds: int, phase: str) -> dict:
    """Build what the phase needs the first time (its figures kept next to the database),
    then measure: phase "shelf" is weeding and inventory, phase "loans" (PostgreSQL) the core
    collection and the proposals."""
    from django.conf import settings

    call_command("migrate", interactive=False, verbosity=0)
    built_file = (
        Path(settings.VAR_DIR) / "bench" / f"collections-{connection.vendor}-{records}.json"
    )
    built: dict[str, Any] = json.loads(built_file.read_text()) if built_file.exists() else {}
    if Record.objects.count() != records:
        if Record.objects.exists():
            raise SystemExit("The benchmark database holds another catalogue: delete it first.")
        started = time.perf_counter()
        generate(records, 2.0, 50, seed)
        _last_loans()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = {"generate_s": time.perf_counter() - started}
    if phase == "loans" and not Loan.objects.exists():
        built.update(build_core(loans))
    if phase == "loans" and "kinds_refresh_s" not in built:
        built.update(build_kinds())
    if connection.vendor == "postgresql" and not built.get(f"vacuumed_{phase}"):
        # As autovacuum would after the load (it may be off on a shared test server): the
        # visibility map lets the copies be counted from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        built[f"vacuumed_{phase}"] = True
    built_file.parent.mkdir(parents=True, exist_ok=True)
    built_file.write_text(json.dumps(built))
    library, size = _measured_library()
    actor, _new = get_user_model().objects.get_or_create(username="bench-coordinator")
    StaffRole.objects.get_or_create(user=actor, library=library, role=Role.COORDINATOR)
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "records": records,
        "items": Item.objects.count(),
        "library": library.code,
        "library_items": size,
        "built": built,
        "server": server_version(),
    }
    if phase == "shelf":
        out["weeding"] = weeding(library, rounds)
        out["inventory"] = inventory(library, actor)
    else:
        out["core"] = core(rounds)
        out["proposals"] = proposals(library, rounds)
    out["load"] = load_average()
    return out


SCALE_NOTE = (
    "Scale: fewer loans than the target's 10M, because writing 10M loans into the loans table "
    "(five indexes, two foreign keys) took more than 25 minutes at a load of 9–12 on this "
    "shared machine and was stopped. How it scales: the first refresh is linear in the loans "
    "(and happens once); the daily refresh in the day's loans; the list reads the summary, "
    "whose rows are the distinct (title, month) pairs with demand — they grow more slowly than "
    "the loans (a popular title lent 40 times in a month is one row), so at 10M loans the "
    "summary holds at most five times as many rows, the loans table five times as many.\n"
)


def _ms(figures: dict) -> str:
    return f"{figures['median']:.0f} / {figures['p95']:.0f}"


def _met(value_ms: float, target_ms: float) -> str:
    return "yes" if value_ms <= target_ms else "**no**"


def markdown(runs: dict[str, dict], machine_text: str, command: str) -> str:
    """The section of docs/benchmarks.md: weeding, inventory, core collection, proposals."""
    first = next(iter(runs.values()))
    rows = [
        "## Collection policy and proposals: weeding, inventory, core collection, proposals",
        "",
        machine_text,
        "",
        f"A generated network of {first['items']:,} items ({first['records']:,} records, 50 "
        "libraries; catalogue generator, each copy ever lent given a last loan date spread over "
        f"eight years). The library measured is the one nearest 100,000 items: "
        f"{first['library']}, {first['library_items']:,} items. Milliseconds, median / p95.",
        "",
        "### Weeding: the candidate list (target ≤ 2 s for one library, ≤ 15 s network-wide)",
        "",
        "What `maillon weeding-candidates` prints: each shelf item's criterion, its reasons, "
        "copies elsewhere and last copies. How: one statement per list — the shelf with each "
        "item's Dewey class worked out once and joined to the classes the criteria apply to, "
        "the criteria as one CASE built from their rows (a library's own first), holds, local "
        "and heritage collections and the MD's deposits left out, the copies of each record "
        "counted — so that Python reads only the candidates and says why from the same "
        "criteria. Baseline in the same run: reading the library's shelf with no rule "
        "applied (what the list cost before: 2.4–2.6 s of its 6–8 s). Network-wide: "
        "`maillon weeding-candidates --network`, every library's list from one statement over "
        "the network's shelves, library after library in call-number order, with only the "
        "columns the table shows; on PostgreSQL it is streamed (not a server-side cursor, "
        "which PostgreSQL never runs in parallel) and hashes the records rather than looking "
        "each shelf item's up.",
        "",
        "One library: median / p95 of the warm runs, the first (cold) run apart; network-wide: "
        "the median of the runs after the first, and the first.",
        "",
        "| database | one library | cold | proposed | reading only (baseline) | ≤ 2 s "
        "| network-wide | cold | proposed | ≤ 15 s |",
        "|---|---:|---:|---:|---:|:-:|---:|---:|---:|:-:|",
    ]
    for label, run in runs.items():
        w = run["weeding"]
        rows.append(
            f"| {label} | {_ms(w['one'])} | {w['one'].get('cold', 0):,.0f} | {w['proposed']:,} "
            f"| {_ms(w['baseline'])} | {_met(w['one']['p95'], 2000)} | {w['network_ms']:,.0f} "
            f"| {w.get('network_cold_ms', 0):,.0f} | {w['network_proposed']:,} "
            f"| {_met(w['network_ms'], 15000)} |"
        )
    rows += [
        "",
        "### Inventory: one scan at the shelf (target ≤ 50 ms)",
        "",
        f"A section (call numbers {SECTION[0]}–{SECTION[1]}) of the same library scanned in "
        "shelf order, every 50th copy one place off. Each scan is the scan service, then the "
        "figures the desk's page shows next (scanned, expected, not found yet: counted by the "
        "database over the items listed when the section started); "
        f"{SHELF_SCANS} scans timed at the start of the section and {SHELF_SCANS} at its end. "
        "The full report (recorded otherwise, out of order, not found, with the lists) is one "
        "click away; its time at the end of the section is in the last column (3 runs). "
        "Closing reads the library's whole stock again.",
        "",
        "| database | items in the section | scan, start | scan + page, start | scan, end | "
        "scan + page, end | ≤ 50 ms (p95) | full report, end |",
        "|---|---:|---:|---:|---:|---:|:-:|---:|",
    ]
    for label, run in runs.items():
        i = run["inventory"]
        worst = max(i["early_page"]["p95"], i["late_page"]["p95"])
        rows.append(
            f"| {label} | {i['section']:,} | {_ms(i['early_scan'])} | {_ms(i['early_page'])} | "
            f"{_ms(i['late_scan'])} | {_ms(i['late_page'])} | {_met(worst, 50)} | "
            f"{_ms(i['report']) if 'report' in i else '—'} |"
        )
    for label, run in runs.items():
        if "core" not in run:
            continue
        c, built = run["core"], run["built"]
        rows += [
            "",
            f"### Core collection over {c['loans']:,} loans ({label}; target ≤ 5 s)",
            "",
            "How: loans and holds are summed per record and month in a summary table "
            "(`corecollection_monthlydemand`) by `maillon core-collection-refresh`, which reads "
            "only the loans made since its last run (by id) and adds them in one INSERT … "
            "SELECT … GROUP BY … ON CONFLICT DO UPDATE per 200,000 loans; a core list for a "
            "period ranks the summary's rows in the database (ROW_NUMBER per audience and kind), "
            "with 64 MB to sort in (PostgreSQL's default 4 MB spills a year's titles to disk). "
            "Baseline in the same run: the same ranking read from the loans.",
            "",
            SCALE_NOTE if c["loans"] < 10_000_000 else "",
            f"- Loans written (two years, one INSERT … SELECT): {built.get('write_s', 0):.0f} s; "
            f"first refresh of the summary over {built.get('first_refresh_loans', 0):,} loans "
            f"(once, at installation): {built.get('first_refresh_s', 0):.0f} s; summary rows: "
            f"{c['summary_rows']:,}.",
            f"- Daily refresh ({c['daily_loans']:,} new loans): {c['daily_refresh_s'] * 1000:.0f}"
            " ms.",
            f"- The core list over 12 months ({c['period']}, 50 titles per audience and kind): "
            f"{_ms(c['compute'])} ms from the summary; {_ms(c['baseline'])} ms from the loans "
            f"(baseline), ratio {c['baseline']['median'] / c['compute']['median']:.1f}; "
            f"≤ 5 s: {_met(c['compute']['p95'], 5000)}.",
        ]
    for label, run in runs.items():
        if "proposals" not in run:
            continue
        p, built = run["proposals"], run["built"]
        rows += [
            "",
            f"### Proposals from usage ({label}; target ≤ 2 s at 1M items and 50 libraries)",
            "",
            f"The proposals page's three kinds for {first['library']} over 12 months, on this "
            f"larger network ({first['items']:,} items and the loans above): {_ms(p['one'])} ms "
            f"(median / p95 of {p['one']['runs']} warm runs; the first, cold run apart: "
            f"{p['one'].get('cold', 0):.0f} ms), {p['proposals']} proposals; ≤ 2 s: "
            f"{_met(p['one']['p95'], 2000)}. Baseline in the same run, reading the library's "
            f"items and counting its loans of the period: {_ms(p['baseline'])} ms (cold: "
            f"{p['baseline'].get('cold', 0):.0f} ms).",
            "",
            "How: the loans of the period per library and item type (for the kinds a library "
            "lends more than the network) are read from a summary per day, library and item "
            "type (`rotation_kindloans`, summed daily by the daily work from the loans made "
            "since its last run, by id) and, for the rest of the period (its first day from "
            "the moment it starts, and the loans the summary does not hold yet), from the "
            "loans, in one statement; the stock per library and item type is counted from an "
            "index of the copies on the shelves or lent (home, item type) alone; the library's "
            "idle copies are read most idle first from an index (home, current library, status, "
            "last loan), a batch at a time until enough are wanted elsewhere, their records' "
            "loans through their copies' ids, and only the proposed ones as items. "
            f"First sum over {built.get('kinds_refresh_loans', 0):,} loans (once, at "
            f"installation): {built.get('kinds_refresh_s', 0):.0f} s; daily sum "
            f"({p.get('daily_loans', 0):,} loans): {p.get('daily_refresh_s', 0) * 1000:.0f} ms.",
        ]
    loads = "; ".join(f"{label}: {run['load']}" for label, run in runs.items())
    rows += [
        "",
        f"Load average (1, 5, 15 min) after measuring: {loads}. The machine is shared: "
        "wall-clock times grow with the load.",
        "",
        f"Re-run: `{command}` (the network is generated once per database and kept; delete it "
        "to generate again).",
    ]
    return "\n".join(rows)
