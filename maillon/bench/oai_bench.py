"""The OAI-PMH benchmark, run inside a process pointed at a prepared benchmark catalogue
(`python -m maillon.bench.worker oai`).

A harvester takes every record of the generated catalogue, in pages of 100, following the
resumption tokens: each page is a request to the endpoint's view (the server's whole work:
reading the page and its copies, writing the XML, streaming it), without the network. Run for
each format, and for ListIdentifiers. The server's peak memory (its maximum resident size)
is read after ten pages and at the end: streamed pages keep it flat.

Baseline in the same run: pymarc writing the same records as MARCXML (``record_to_xml``),
the records built as the harvest builds them (their building not timed).
"""

from __future__ import annotations

import datetime as dt
import re
import resource
import statistics
import time
from collections.abc import Iterator
from typing import cast

from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone
from pymarc import record_to_xml

from maillon.catalogue.items import move_items
from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus, Record
from maillon.network.models import Library
from maillon.oai import repository, views
from maillon.oai.metadata import marc_record, with_copies
from maillon.oai.models import SetMembership
from maillon.oai.protocol import datestamp

from .report import load_average, p95, server_version

_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
BASELINE_CHUNK = 1000


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def harvest(verb: str, prefix: str, **arguments: str) -> dict:
    """Every page of one list request (``arguments``: from, until, set), as a harvester
    takes them."""
    factory = RequestFactory(HTTP_HOST="localhost")
    params = {"verb": verb, "metadataPrefix": prefix, **arguments}
    pages: list[float] = []
    records = size = deleted = 0
    rss_at_ten = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    while True:
        begun = time.perf_counter()
        response = views.endpoint(factory.get("/oai", params))
        tail = b""  # the token is in the page's last bytes
        for chunk in cast(Iterator[bytes], response.streaming_content):  # a sync view
            size += len(chunk)
            records += chunk.count(b"<header")
            deleted += chunk.count(b'status="deleted"')
            tail = (tail + chunk)[-4096:]
        pages.append(time.perf_counter() - begun)
        if len(pages) == 10:
            rss_at_ten = _max_rss_mb()
        found = _TOKEN.search(tail)
        if found is None:
            break
        params = {"verb": verb, "resumptionToken": found.group(1).decode()}
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "cpu_rate": records / cpu if cpu else 0.0,
        "records": records,
        "deleted": deleted,
        "first_page_ms": pages[0] * 1000,
        "pages": len(pages),
        "seconds": elapsed,
        "rate": records / elapsed,
        "page_median_ms": statistics.median(pages) * 1000,
        "page_p95_ms": p95(pages) * 1000,
        "mb": size / 1e6,
        "rss_at_ten_mb": rss_at_ten,
        "rss_end_mb": _max_rss_mb(),
    }


def baseline() -> dict:
    """pymarc's MARCXML writing of every record, as the marc21 harvest builds them."""
    writing = cpu = 0.0
    count = 0
    last = 0
    while True:
        page = list(Record.objects.filter(pk__gt=last).order_by("pk")[:BASELINE_CHUNK])
        if not page:
            break
        last = page[-1].pk
        copies = repository.copies_of([r.pk for r in page])
        built = [
            with_copies(marc_record(r, "marc21"), copies.get(r.pk, []), "marc21") for r in page
        ]
        begun, cpu_begun = time.perf_counter(), time.process_time()
        for marc in built:
            record_to_xml(marc, namespace=True)
        writing += time.perf_counter() - begun
        cpu += time.process_time() - cpu_begun
        count += len(built)
    return {"records": count, "seconds": writing, "rate": count / writing, "cpu_rate": count / cpu}


def _stamp_at(share: float) -> dt.datetime:
    """The datestamp after which ``share`` of the records changed."""
    total = Record.objects.count()
    ordered = Record.objects.order_by("-updated_at", "-pk").values_list("updated_at", flat=True)
    return ordered[min(total - 1, int(total * share))]


def _library_set(share: float) -> tuple[str, int]:
    """The library set whose members are nearest ``share`` of the records, and its size."""
    total = Record.objects.count()
    sizes = (
        SetMembership.objects.filter(spec__startswith="library:", left_at=None)
        .values_list("spec")
        .annotate(members=Count("pk"))
    )
    return min(sizes, key=lambda pair: abs(pair[1] - share * total))


def _departures(spec: str, every: int) -> int:
    """One in ``every`` of the set's records loses its copies there on the shelf (withdrawn
    through catalogue.items, each record's copies at once): it leaves the set. Returns how
    many records left."""
    library = Library.objects.get(code=spec.partition(":")[2])
    members = SetMembership.objects.filter(spec=spec, left_at=None).order_by("record_id")
    chosen = list(members.values_list("record_id", flat=True)[::every])
    leaving = Item.objects.filter(record_id__in=chosen, home=library).exclude(
        status=ItemStatus.AVAILABLE
    )
    stay = set(leaving.exclude(status__in=GONE_STATUSES).values_list("record_id", flat=True))
    for record_id in chosen:
        if record_id in stay:  # a copy there on loan or in transit: it stays in the set
            continue
        items = list(
            Item.objects.select_for_update()
            .filter(record_id=record_id, home=library, status=ItemStatus.AVAILABLE)
            .order_by("pk")
        )
        move_items(items, ItemStatus.WITHDRAWN)
    return len(chosen) - len(stay)


def selective() -> dict:
    """Harvests of a part of the catalogue: what changed lately (``from``), a window of the
    past (``from`` and ``until``), one library's set, whole and lately; and, in a transaction
    rolled back afterwards, a set some records just left (listed as deleted)."""
    recent = datestamp(_stamp_at(0.01))
    window = {"from": datestamp(_stamp_at(0.51)), "until": datestamp(_stamp_at(0.50))}
    spec, members = _library_set(0.02)
    out: dict = {"set": spec, "set_members": members}
    out["harvests"] = {
        "ListRecords marc21, from (1 % changed)": harvest(
            "ListRecords", "marc21", **{"from": recent}
        ),
        "ListRecords marc21, from–until (1 % window)": harvest("ListRecords", "marc21", **window),
        f"ListRecords marc21, set {spec}": harvest("ListRecords", "marc21", set=spec),
        f"ListRecords marc21, set {spec}, from": harvest(
            "ListRecords", "marc21", set=spec, **{"from": recent}
        ),
    }
    with transaction.atomic():
        began = timezone.now().replace(microsecond=0)
        started = time.perf_counter()
        left = _departures(spec, every=20)
        out["departures"] = {"records": left, "seconds": time.perf_counter() - started}
        out["harvests"][f"ListIdentifiers, set {spec}, from, after departures"] = harvest(
            "ListIdentifiers", "marc21", set=spec, **{"from": datestamp(began)}
        )
        transaction.set_rollback(True)
    return out


def run() -> dict:
    out: dict = {"server": server_version(), "load_before": load_average()}
    out["harvests"] = {
        "ListRecords marc21": harvest("ListRecords", "marc21"),
        "ListRecords unimarc": harvest("ListRecords", "unimarc"),
        "ListRecords oai_dc": harvest("ListRecords", "oai_dc"),
        "ListIdentifiers": harvest("ListIdentifiers", "marc21"),
    }
    out["baseline"] = baseline()
    out["selective"] = selective()
    out["load_after"] = load_average()
    return out


TARGET_RATE = 2000  # records per second in a full harvest (issue 19)


def markdown(runs: dict[str, dict], machine: str, command: str) -> str:
    lines = [
        "## OAI-PMH: a full harvest",
        "",
        machine,
        "",
        "Every record of the generated catalogue harvested in pages of 100 through the "
        "resumption tokens, each page a request to the `/oai` view (reading the page and its "
        "copies, writing the XML, streaming it; no network). The generated records have no "
        "stored MARC: each is built from its columns, as for a record asked in the other "
        "flavour. Baseline in the same run: pymarc's `record_to_xml` writing the same "
        "MARC21 records (their building not timed).",
        "",
        "| database | request | records | records/s | per CPU second | page median "
        "| page p95 | peak memory after 10 pages → end |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for database, run in runs.items():
        for name, h in run["harvests"].items():
            lines.append(
                f"| {database} | {name} | {h['records']:,} | {h['rate']:,.0f} "
                f"| {h['cpu_rate']:,.0f} | {h['page_median_ms']:.0f} ms "
                f"| {h['page_p95_ms']:.0f} ms "
                f"| {h['rss_at_ten_mb']:.0f} → {h['rss_end_mb']:.0f} MB |"
            )
        b = run["baseline"]
        lines.append(
            f"| {database} | *baseline: pymarc `record_to_xml`, marc21* | {b['records']:,} "
            f"| {b['rate']:,.0f} | {b['cpu_rate']:,.0f} | | | |"
        )
    lines.append("")
    for database, run in runs.items():
        marc21 = run["harvests"]["ListRecords marc21"]
        rate, cpu_rate = marc21["rate"], marc21["cpu_rate"]
        ratio = cpu_rate / run["baseline"]["cpu_rate"]
        lines.append(
            f"- {database}: per CPU second, the whole marc21 harvest runs at {ratio:.2f}× "
            f"pymarc's writing alone. Target ≥ {TARGET_RATE:,} records/s: "
            f"{'met' if rate >= TARGET_RATE else '**not met**'} in wall-clock time "
            f"({rate:,.0f}), {'met' if cpu_rate >= TARGET_RATE else '**not met**'} per CPU "
            f"second ({cpu_rate:,.0f}). Load average (1, 5, 15 min) {run['load_before']} "
            f"before, {run['load_after']} after."
        )
    lines += _selective_lines(runs)
    lines += [
        "",
        "Records/s are wall-clock; « per CPU second » divides by the harvesting process's CPU "
        "time (the server's own work, the database engine's too on SQLite), which the other "
        "processes of a shared machine do not slow down.",
        "",
        f"Re-run: `{command}`.",
    ]
    return "\n".join(lines)


def _selective_lines(runs: dict[str, dict]) -> list[str]:
    """The table of the partial harvests, for the runs that made them."""
    done = {database: run["selective"] for database, run in runs.items() if "selective" in run}
    if not done:
        return []
    lines = [
        "",
        "### Partial harvests",
        "",
        "The same catalogue harvested in part, to the last page: `from` the datestamp after "
        "which 1 % of the records changed; a window of 1 % of them in the middle of its "
        "history (`from`–`until`); the library set nearest 2 % of the records, whole then "
        "`from` the same date. Last, in a transaction rolled back afterwards, one in 20 of "
        "that set's records loses its copies there (withdrawn through `catalogue.items`, which "
        "dates the records and closes their set membership), and the set is harvested `from` "
        "just before: those records are listed as deleted. The first page also counts the "
        "list (`completeListSize`).",
        "",
        "| database | request | records (deleted) | records/s | first page | page median "
        "| page p95 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for database, selective in done.items():
        for name, h in selective["harvests"].items():
            lines.append(
                f"| {database} | {name} | {h['records']:,} ({h['deleted']:,}) "
                f"| {h['rate']:,.0f} | {h['first_page_ms']:.0f} ms "
                f"| {h['page_median_ms']:.0f} ms | {h['page_p95_ms']:.0f} ms |"
            )
    lines.append("")
    for database, selective in done.items():
        gone = selective["departures"]
        lines.append(
            f"- {database}: set `{selective['set']}` holds {selective['set_members']:,} "
            f"records; {gone['records']:,} of them left it in {gone['seconds']:.1f} s "
            f"({gone['seconds'] * 1000 / max(gone['records'], 1):.1f} ms a record: the "
            "withdrawal, the record's datestamp, its set memberships)."
        )
    return lines
