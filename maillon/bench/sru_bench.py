"""The SRU benchmark, run inside a process pointed at a prepared benchmark catalogue
(`python -m maillon.bench.worker sru`).

What copy cataloguing asks, each a request to the `/sru` view (parsing the CQL, searching,
writing ten MARCXML records with their copies; no network): an ISBN, a title, a title and an
author, an author's surname, a truncated word, a common word (more than the exact limit of
matches: counted, paged in record order) and a page deep into it. Figures per request: wall
time (median, p95), CPU time, and SQL statements, which the load of a shared machine does not
change.
"""

from __future__ import annotations

import random
import statistics
import time

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from maillon.catalogue.models import Record
from maillon.catalogue.search import fielded
from maillon.sru import cql, search, views

from .report import load_average, p95, server_version

SAMPLES = 20  # records whose ISBN, title and author are asked
COMMON = "histoire"


def _queries(rng: random.Random) -> dict[str, list[dict[str, str]]]:
    """Each kind of request, for SAMPLES records of the catalogue."""
    top = Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = sorted(rng.sample(range(1, top + 1), min(SAMPLES, top)))
    rows = Record.objects.filter(pk__in=ids, merged_into=None).values_list(
        "title", "authors", "isbn"
    )
    kinds: dict[str, list[dict[str, str]]] = {
        "isbn": [],
        "title": [],
        "title and author": [],
        "author": [],
    }
    for title, authors, isbn in rows:
        words = " ".join(title.replace('"', " ").split()[:4])
        surname = authors[0]["name"].split(",")[0].replace('"', " ") if authors else ""
        if isbn:
            kinds["isbn"].append({"query": f"bath.isbn = {isbn}"})
        kinds["title"].append({"query": f'dc.title all "{words}"'})
        if surname:
            kinds["title and author"].append(
                {"query": f'dc.title all "{words}" and dc.creator all "{surname}"'}
            )
            kinds["author"].append({"query": f'dc.creator = "{surname}"'})
    kinds["truncated word"] = [{"query": f"dc.title = {w}*"} for w in ("jard", "voya", "secr")]
    common = f"cql.anywhere = {COMMON}"
    kinds["common word"] = [{"query": common}]
    # A page deep into it: from record 901, or the last ten of fewer matches.
    total = fielded.find(search.tree(cql.parse(common)), 0, 0).total
    start = max(1, min(901, total - 9))
    kinds[f"common word, records {start}–{start + 9}"] = [
        {"query": common, "startRecord": str(start)}
    ]
    return kinds


def _measure(factory: RequestFactory, params: list[dict[str, str]], rounds: int) -> dict:
    walls: list[float] = []
    cpus: list[float] = []
    statements: list[int] = []
    matches: list[int] = []
    for _round in range(rounds):
        for extra in params:
            query = {"operation": "searchRetrieve", "version": "1.2", **extra}
            with CaptureQueriesContext(connection) as captured:
                begun, cpu = time.perf_counter(), time.process_time()
                body = views.endpoint(factory.get("/sru", query)).content
                walls.append((time.perf_counter() - begun) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            statements.append(len(captured.captured_queries))
            found = body.split(b"<srw:numberOfRecords>", 1)[1].split(b"<", 1)[0]
            matches.append(int(found))
            assert b"diagnostic/1/" not in body, body[-500:]
    return {
        "requests": len(walls),
        "median_ms": statistics.median(walls),
        "p95_ms": p95(walls),
        "cpu_ms": statistics.median(cpus),
        "statements": max(statements),
        "matches": int(statistics.median(matches)),
    }


def run(rounds: int = 3) -> dict:
    factory = RequestFactory(HTTP_HOST="localhost")
    kinds = _queries(random.Random(19))
    out: dict = {"server": server_version(), "load_before": load_average()}
    # One request first: the connection's search settings, Django's URL and template caches.
    views.endpoint(factory.get("/sru", {"operation": "searchRetrieve", "query": "jardin"}))
    out["requests"] = {name: _measure(factory, params, rounds) for name, params in kinds.items()}
    out["load_after"] = load_average()
    return out


def markdown(runs: dict[str, dict], records: int, machine: str, command: str) -> str:
    lines = [
        "## SRU: copy cataloguing searches",
        "",
        machine,
        "",
        f"A catalogue of {records:,} generated records. Each request goes to the `/sru` view "
        "(CQL parsed, the catalogue's search index asked, ten MARCXML records written with "
        "their copies; no network). Statements are the most any request of the kind made; "
        "matches the median numberOfRecords.",
        "",
        "| database | request | requests | matches | median | p95 | CPU (median) | statements |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for database, run in runs.items():
        for name, r in run["requests"].items():
            lines.append(
                f"| {database} | {name} | {r['requests']} | {r['matches']:,} "
                f"| {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['cpu_ms']:.1f} ms "
                f"| {r['statements']} |"
            )
    lines.append("")
    for database, run in runs.items():
        lines.append(
            f"- {database}: load average (1, 5, 15 min) {run['load_before']} before, "
            f"{run['load_after']} after."
        )
    lines += ["", f"Re-run: `{command}`."]
    return "\n".join(lines)
