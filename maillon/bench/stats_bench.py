"""Statistics at a network's scale (issue 18: the annual report of the network over 10M loans
≤ 5 s on PostgreSQL, ≤ 1 s per library, each dashboard ≤ 300 ms, the daily refresh of a day of
30,000 loans ≤ 60 s), run inside a process whose database is a fresh benchmark one
(`python -m maillon.bench.worker stats SEED ROUNDS LOANS`). With `--stats-reuse` the database
is kept: a network generated before with the same seed and loans is measured again (its summary
tables emptied first, "today" being the day it was generated), which saves the half hour that
10M loans take to write.

The network is generated directly: 50 libraries, a catalogue of LOANS / 10 records (about two
copies each, bench.generate), and LOANS loans over last year written in bulk with their frozen
facts (medium, audience, MD stock, category, age band, commune, a borrower pseudonym among
LOANS / 20), plus 30,000 loans on yesterday. Loans carry no patron row: the statistics read only
what a loan froze. What is measured, each against a baseline in the same run — the same call
before the summary tables exist, which reads the raw rows (the naive GROUP BY):
the network's annual report, one library's, the dashboards' pages (the network's and one
library's, over the year and over a period that is not a calendar year) and each of their
panels; then the daily refresh of yesterday's 30,000 loans, and the first refresh (every day of
the year, once). One loan in 20 came by a hold from another library: LOANS / 20 holds collected,
each with its two journeys by the shuttle. The network has no events: that panel reads an empty
table.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from maillon.catalogue.models import Item
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer, TransferReason
from maillon.network.models import Library, LibraryKind, Role, StaffRole
from maillon.patrons.models import AGE_BANDS
from maillon.stats import listing, summaries
from maillon.stats.dashboards import PANELS, SECTIONS
from maillon.stats.facts import Period
from maillon.stats.figures import all_figures
from maillon.stats.models import (
    HoldingSnapshot,
    RefreshedDay,
    RefreshedMonth,
)
from maillon.stats.report import build as build_report
from maillon.stats.views import NETWORK, PAGE_ROWS

from .generate import Writer, generate
from .report import load_average, p95, server_version

LIBRARIES = 50
DAY_LOANS = 30_000
CHUNK = 50_000
HOLDS_PER = 20  # one loan in 20 comes by a hold from another library (two journeys each)
CATEGORIES = [("ADU", 60), ("ENF", 30), ("COL", 3), ("SEN", 7)]


def _figures(values: list[float], load: str = "") -> dict:
    return {
        "runs": len(values),
        "median": statistics.median(values),
        "p95": p95(values),
        "load": load or load_average(),
    }


def _one_minute(load: str) -> str:
    return load.split()[0] if load else ""


def _shuttle(rng: random.Random, count: int, year: int) -> None:
    """`count` holds of last year collected at another library than the copy's home, each with
    its two journeys by the shuttle (there for the hold, home after the loan)."""
    holds, transfers = Writer(Hold), Writer(Transfer)
    zone = timezone.get_current_timezone()
    copies = list(Item.objects.values_list("pk", "record", "home"))
    libraries = list(Library.objects.values_list("pk", flat=True))
    next_hold = (Hold.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_transfer = (Transfer.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    hour = dt.timedelta(hours=1)
    for start in range(0, count, CHUNK):
        hold_rows, transfer_rows = [], []
        for n in range(start, min(count, start + CHUNK)):
            item, record, home = copies[rng.randrange(len(copies))]
            pickup = rng.choice([pk for pk in rng.sample(libraries, 2) if pk != home])
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            placed = dt.datetime.combine(day, dt.time(9 + rng.randrange(9)), tzinfo=zone)
            sent = placed + dt.timedelta(days=rng.randrange(2), hours=1)
            ready = sent + dt.timedelta(days=1 + rng.randrange(5))
            collected = ready + dt.timedelta(days=rng.randrange(8), hours=2)
            back = collected + dt.timedelta(days=14 + rng.randrange(21))
            hold = next_hold + n
            hold_rows.append(
                holds.row(
                    {
                        "id": hold,
                        "record_id": record,
                        "patron_id": None,
                        "pickup_library_id": pickup,
                        "created_at": placed,
                        "status": HoldStatus.FULFILLED,
                        "target_id": item,
                        "ready_at": ready,
                        "closed_at": collected,
                        "patron_category_code": "ADU",
                    }
                )
            )
            for k, (origin, to, reason, left, arrived) in enumerate(
                (
                    (home, pickup, TransferReason.HOLD, sent, ready),
                    (pickup, home, TransferReason.RETURN_HOME, back, back + 2 * 24 * hour),
                )
            ):
                transfer_rows.append(
                    transfers.row(
                        {
                            "id": next_transfer + 2 * n + k,
                            "item_id": item,
                            "from_library_id": origin,
                            "to_library_id": to,
                            "reason": reason,
                            "hold_id": hold if reason == TransferReason.HOLD else None,
                            "created_at": left - hour,
                            "sent_at": left,
                            "received_at": arrived,
                            "received_library_id": to,
                        }
                    )
                )
        with transaction.atomic():
            holds.write(hold_rows)
            transfers.write(transfer_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Hold, Transfer):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )


def _loans(
    rng: random.Random,
    items: list[tuple[int, int, str, str, bool]],
    borrowers: int,
    count: int,
    day_of: Callable[[random.Random], dt.date],
) -> None:
    writer = Writer(Loan)
    zone = timezone.get_current_timezone()
    bands = [band for _low, _high, band in AGE_BANDS]
    communes = [f"Commune {n:03d}" for n in range(120)]
    categories, weights = zip(*CATEGORIES, strict=True)
    kinds = random.Random(borrowers).choices(categories, weights, k=borrowers)
    by_home: dict[int, list[tuple[int, int, str, str, bool]]] = {}
    for row in items:
        by_home.setdefault(row[1], []).append(row)
    next_id = (Loan.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for start in range(0, count, CHUNK):
        rows = []
        for n in range(start, min(count, start + CHUNK)):
            # A borrower has a home library (their first item's) and borrows there, one loan in
            # ten at another library of the network; their category, age band and commune stay.
            borrower = int(rng.paretovariate(1.2) * borrowers / 8) % borrowers
            home = items[borrower][1]
            if rng.random() < 0.9:
                item, library, medium, audience, md = rng.choice(by_home[home])
            else:
                item, library, medium, audience, md = items[rng.randrange(len(items))]
            day = day_of(rng)
            at = dt.datetime.combine(day, dt.time(9 + rng.randrange(10), rng.randrange(60)))
            at = at.replace(tzinfo=zone)
            rows.append(
                writer.row(
                    {
                        "id": next_id + n,
                        "item_id": item,
                        "library_id": library,
                        "checked_out_at": at,
                        "due_on": day + dt.timedelta(days=28),
                        "loan_days": 28,
                        "returned_at": at + dt.timedelta(days=rng.randrange(1, 40)),
                        "patron_category_code": kinds[borrower],
                        "patron_age_band": bands[borrower % len(bands)],
                        "item_type_code": "LIVRE",
                        "medium": medium,
                        "audience": audience,
                        "md_stock": md,
                        "patron_commune": communes[borrower % len(communes)],
                        "patron_key": "" if rng.random() < 0.02 else f"k{day.year}{borrower:09d}",
                    }
                )
            )
        with transaction.atomic():
            writer.write(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('circulation_loan', 'id'), "
                "(SELECT max(id) FROM circulation_loan))"
            )


MARKER = "bench_stats_network"


def _built(seed: int, loans: int) -> dict | None:
    """What a previous run generated in this database, when it was the same network."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (facts TEXT NOT NULL)")
        cursor.execute(f"SELECT facts FROM {MARKER}")
        row = cursor.fetchone()
    if row is None:
        if Loan.objects.exists():
            raise SystemExit("The statistics benchmark database holds another network.")
        return None
    found = json.loads(row[0])
    if (found["seed"], found["loans"]) != (seed, loans):
        raise SystemExit(
            f"The statistics benchmark database holds {found['loans']} loans of seed "
            f"{found['seed']}: run without --stats-reuse to generate it again."
        )
    return found


def prepare(seed: int, loans: int) -> tuple[dict, dt.date]:
    """The network to measure, generated now or kept from a run before (summaries emptied)."""
    call_command("migrate", interactive=False, verbosity=0)
    found = _built(seed, loans)
    if found is None:
        today = timezone.localdate()
        found = {"seed": seed, "today": today.isoformat(), **build(seed, loans, today)}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER} (facts) VALUES (%s)", [json.dumps(found)])
        reused = False
    else:
        for model in (*summaries.COUNTED, RefreshedMonth, RefreshedDay, HoldingSnapshot):
            model.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        reused = True
    today = dt.date.fromisoformat(found.pop("today"))
    found.pop("seed")
    return {**found, "reused": reused}, today


def build(seed: int, loans: int, today: dt.date) -> dict:
    rng = random.Random(seed)
    generate(max(loans // 10, 1000), libraries=LIBRARIES, seed=seed)
    # One library is the departmental library: its items, at home elsewhere, are MD stock.
    md = Library.objects.order_by("id").last()
    assert md is not None
    Library.objects.filter(pk=md.pk).update(kind=LibraryKind.DEPARTMENTAL)
    items = [
        (pk, home, doc_type, audience, owner == md.pk)
        for pk, home, owner, doc_type, audience in Item.objects.values_list(
            "pk", "home", "owner", "record__doc_type", "audience"
        )
    ]
    borrowers = max(loans // 20, 100)
    year = today.year - 1
    first = dt.date(year, 1, 1)
    _loans(rng, items, borrowers, loans, lambda r: first + dt.timedelta(days=r.randrange(365)))
    yesterday = today - dt.timedelta(days=1)
    _loans(rng, items, borrowers, DAY_LOANS, lambda r: yesterday)
    holds = loans // HOLDS_PER
    _shuttle(rng, holds, year)
    coordinator = get_user_model().objects.create_user("bench-statistics")
    StaffRole.objects.create(user=coordinator, library=md, role=Role.COORDINATOR)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "libraries": LIBRARIES,
        "loans": loans,
        "day_loans": DAY_LOANS,
        "items": len(items),
        "borrowers": borrowers,
        "holds": holds,
        "year": year,
    }


def _timed(call: Callable[[], object], rounds: int) -> list[float]:
    found = []
    for _n in range(rounds):
        started = time.perf_counter()
        response = call()
        found.append((time.perf_counter() - started) * 1000)
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise SystemExit(f"unexpected HTTP {status}")
    return found


def run(seed: int, rounds: int, loans: int) -> dict:
    built, today = prepare(seed, loans)
    year = built["year"]
    period = Period.year(year)
    library = Library.objects.order_by("id").first()
    assert library is not None
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-statistics"))
    # The dashboards over the year, and over a period that is not a calendar year (from mid
    # February to the end of September): its loans are read from the months and the days, the
    # documents held from the evening of 30/09, the active borrowers per calendar year.
    spring = Period(dt.date(year, 2, 15), dt.date(year, 9, 30))

    def page(at: Period, section: str, code: str = "") -> object:
        dates = {"start": at.start.isoformat(), "end": at.end.isoformat()}
        return client.get("/pro/statistiques/", {**dates, "library": code, "section": section})

    lists = {  # the largest lists behind the figures, and a library's
        "list_loans": (NETWORK, "loans"),
        "list_active": (NETWORK, "active"),
        "list_holdings": (NETWORK, "holdings"),
        "list_library_loans": (library.code, "loans"),
        "list_library_periodicals": (library.code, "loans.D2"),
    }

    def rows_page(code: str, key: str, page: int = 1) -> object:
        return client.get(f"/pro/statistiques/rapport/{year}/{code}/{key}/", {"page": page})

    def measure(rounds: int) -> dict[str, dict]:
        times: dict[str, dict] = {}

        def timed(name: str, call: Callable[[], object]) -> None:
            times[name] = _figures(_timed(call, rounds))  # the load when it was measured

        timed("network", lambda: build_report(year, None))
        timed("library", lambda: build_report(year, library))
        so_far = Period(dt.date(today.year, 1, 1), today)
        for section in SECTIONS:
            timed(f"page_{section}", partial(page, period, section))
            timed(f"page_{section}_library", partial(page, period, section, library.code))
            timed(f"page_{section}_spring", partial(page, spring, section))
            timed(f"page_{section}_spring_library", partial(page, spring, section, library.code))
            timed(f"page_{section}_so_far", partial(page, so_far, section))
        for key, panel in PANELS.items():
            timed(key, partial(panel, period, None))
            timed(f"{key}_library", partial(panel, period, library))
        for name, (code, key) in lists.items():
            timed(name, partial(rows_page, code, key))
        last = -(-int(build_report(year, None).values["loans"]) // PAGE_ROWS)
        timed("list_loans_last", partial(rows_page, NETWORK, "loans", last))
        return times

    raw = measure(1)  # no summary table yet: the raw rows, grouped (seconds each: once)
    started = time.perf_counter()
    first = summaries.run(today)
    first_refresh_s = time.perf_counter() - started
    first_load = load_average()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum does soon after the first refresh (the tables are insert-only): the
        # visibility map that lets the counts read the indexes alone.
        with connection.cursor() as cursor:
            for model in summaries.COUNTED:
                cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    raw_report = build_report(year, None, summaries_first=False).values
    assert build_report(year, None).values == raw_report, "summaries differ from the raw rows"
    # Each list measured has as many rows as its figure says (read from the summaries).
    figures = {f.key: f for f in all_figures()}
    for code, key in lists.values():
        where = None if code == NETWORK else library
        counted = listing.of(figures[key], period, where)
        assert counted.source != "rows", key
        assert counted.count() == build_report(year, where).values[key], key
    summed = measure(rounds)
    yesterday = today - dt.timedelta(days=1)
    day = _timed(lambda: summaries.refresh_day(yesterday), rounds)
    # The daily run as the worker runs it: the last week's days counted again, the documents
    # held on their evenings.
    daily = _timed(lambda: summaries.run(today), rounds)
    return {
        "vendor": connection.vendor,
        "server": server_version(),
        "load": load_average(),
        **built,
        "first_refresh": {"seconds": first_refresh_s, "load": first_load, **first},
        "day_refresh": _figures(day),
        "daily_run": _figures(daily),
        "raw": raw,
        "summaries": summed,
    }


LABELS = {
    "network": ("annual report, network", "≤ 5 s"),
    "library": ("annual report, one library", "≤ 1 s"),
    **{
        f"page_{section}{suffix}": (
            f"dashboard page « {section} » ({len(keys)} panel{'s' if len(keys) > 1 else ''}), "
            f"{what}",
            "≤ 300 ms",
        )
        for section, (_title, keys) in SECTIONS.items()
        for suffix, what in (
            ("", "the network, the year"),
            ("_library", "one library, the year"),
            ("_spring", "the network, 15/02 to 30/09"),
            ("_spring_library", "one library, 15/02 to 30/09"),
            ("_so_far", "the network, this year so far (its loans: yesterday's)"),
        )
    },
    **{
        f"{key}{where}": (f"panel {key}, {whose}, the year", "")
        for key in PANELS
        for where, whose in (("", "network"), ("_library", "one library"))
    },
    "list_loans": ("list behind a figure: the network's loans, page 1", ""),
    "list_loans_last": ("list behind a figure: the network's loans, last page", ""),
    "list_active": ("list behind a figure: the network's active borrowers, page 1", ""),
    "list_holdings": ("list behind a figure: the network's holdings at 31/12, page 1", ""),
    "list_library_loans": ("list behind a figure: one library's loans, page 1", ""),
    "list_library_periodicals": (
        "list behind a figure: one library's loans of periodicals (2 %), page 1",
        "",
    ),
}


def markdown(runs: dict[str, dict], machine_text: str, command: str) -> str:
    first = next(iter(runs.values()))
    rows = [
        "## Statistics: the annual report, the dashboards and the lists behind the figures",
        "",
        machine_text,
        "",
        f"{first['libraries']} libraries, {first['items']:,} items, {first['loans']:,} loans over "
        f"{first['year']} by {first['borrowers']:,} borrowers (pseudonyms on the loans, no patron "
        f"rows), and {first['day_loans']:,} loans yesterday. The issue's figure is 10M loans, "
        "2M items, 500k patrons; this shared machine (2 cores, shared with other work: the "
        "1-minute load is given with every figure) ran the count given in the command below. "
        "Summary tables (`maillon stats-refresh`, README « Statistics »): loans per day and per "
        "month × library × medium × audience × own/MD, borrowers per year × library with their "
        "category, age band and commune, the documents held each evening per library, the "
        "shuttle's transfers and the holds collected per month, holdings "
        "at 31/12 and the documents counted. Baseline "
        "in the same run (once each: seconds): the same call before the summary tables exist, "
        "reading the raw rows "
        "(a GROUP BY over the loans and items; for a list, a COUNT of its raw rows and an "
        "OFFSET). The report from the summaries is checked equal to the report from the raw "
        "rows, and each list measured to have as many rows as its figure. A list's page is the "
        "whole staff page (100 rows, its count, the template). A dashboard page is the whole "
        "staff page of one of its "
        f"{len(SECTIONS)} pages ({', '.join(SECTIONS)}): its panels (the period's loans "
        "counted once for all), their charts "
        "drawn (pygal) and their tables. The network has "
        f"{first.get('holds', 0):,} holds of the year collected at another library than the "
        "copy's home, each with its two journeys by the shuttle (the holds' and the shuttle's "
        "panels read them from the daily run's day and month counts); "
        "it has no events (that panel reads an empty table).",
        "",
        "| database | what | runs | raw rows median ms | load | summaries median ms "
        "| summaries p95 ms | load | ratio | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for database, run in runs.items():
        for key, (label, target) in LABELS.items():
            raw, summed = run["raw"][key], run["summaries"][key]
            ratio = raw["median"] / summed["median"] if summed["median"] else 0
            rows.append(
                f"| {database} | {label} | {summed['runs']} | {raw['median']:.0f} "
                f"| {_one_minute(raw['load'])} | {summed['median']:.0f} | {summed['p95']:.0f} "
                f"| {_one_minute(summed['load'])} | {ratio:.1f} | {target} |"
            )
    rows += [
        "",
        "| database | refresh | runs | median s | p95 s | load | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for database, run in runs.items():
        day = run["day_refresh"]
        rows.append(
            f"| {database} | one day of {run['day_loans']:,} loans | {day['runs']} "
            f"| {day['median'] / 1000:.2f} | {day['p95'] / 1000:.2f} "
            f"| {_one_minute(day['load'])} | ≤ 60 s |"
        )
        daily = run["daily_run"]
        rows.append(
            f"| {database} | the daily run: the last {summaries.AGAIN_DAYS} days again, the "
            f"documents held on their evenings | {daily['runs']} | {daily['median'] / 1000:.2f} "
            f"| {daily['p95'] / 1000:.2f} | {_one_minute(daily['load'])} | |"
        )
        refresh = run["first_refresh"]
        rows.append(
            f"| {database} | first run: {refresh['days']} days, {refresh['loans']:,} loans, "
            f"documents held each evening, holdings at 31/12 | 1 | {refresh['seconds']:.1f} | "
            f"| {_one_minute(refresh.get('load', ''))} | once |"
        )
    loads = "; ".join(f"{database}: {run['load']}" for database, run in runs.items())
    rows += [
        "",
        f"Load average (1, 5, 15 min) at the end: {loads}.",
        "",
        f"Re-run: `{command}` (add `--stats-reuse` to measure again the network a run before "
        "generated, without writing it again)",
    ]
    return "\n".join(rows)
