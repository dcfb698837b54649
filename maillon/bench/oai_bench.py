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

import re
import resource
import statistics
import time
from collections.abc import Iterator
from typing import cast

from django.test import RequestFactory
from pymarc import record_to_xml

from maillon.catalogue.models import Record
from maillon.oai import repository, views
from maillon.oai.metadata import marc_record, with_copies

from .report import load_average, p95, server_version

_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
BASELINE_CHUNK = 1000


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def harvest(verb: str, prefix: str) -> dict:
    factory = RequestFactory(HTTP_HOST="localhost")
    params = {"verb": verb, "metadataPrefix": prefix}
    pages: list[float] = []
    records = size = 0
    rss_at_ten = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    while True:
        begun = time.perf_counter()
        response = views.endpoint(factory.get("/oai", params))
        tail = b""  # the token is in the page's last bytes
        for chunk in cast(Iterator[bytes], response.streaming_content):  # a sync view
            size += len(chunk)
            records += chunk.count(b"<header")
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
        "cpu_rate": records / cpu,
        "records": records,
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


def run() -> dict:
    out: dict = {"server": server_version(), "load_before": load_average()}
    out["harvests"] = {
        "ListRecords marc21": harvest("ListRecords", "marc21"),
        "ListRecords unimarc": harvest("ListRecords", "unimarc"),
        "ListRecords oai_dc": harvest("ListRecords", "oai_dc"),
        "ListIdentifiers": harvest("ListIdentifiers", "marc21"),
    }
    out["baseline"] = baseline()
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
    lines += [
        "",
        "Records/s are wall-clock; « per CPU second » divides by the harvesting process's CPU "
        "time (the server's own work, the database engine's too on SQLite), which the other "
        "processes of a shared machine do not slow down.",
        "",
        f"Re-run: `{command}`.",
    ]
    return "\n".join(lines)
