"""The public catalogue's pages, timed inside a process whose database is a benchmark one:
`python -m maillon.bench.opac_bench ROUNDS` prints one JSON line.

Server time: Django's test Client calls the whole stack (middleware, view, templates) in this
process, with no network. Baseline in the same run: the catalogue's `search()` alone (what the
API's search calls) for the same queries, and the API's record answer for the same records.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from urllib.parse import urlencode

from .report import load_average, p95, server_version

RECORD_SAMPLE = 60
PAGE_QUERIES = ("common words", "several words", "rare words")


def _figures(values: list[float]) -> dict:
    return {
        "runs": len(values),
        "median": statistics.median(values),
        "p95": p95(values),
        "max": max(values),
    }


def _timed(call) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response is not None and getattr(response, "status_code", 200) != 200:
        raise SystemExit(f"unexpected HTTP {response.status_code}")
    return elapsed


def run(rounds: int = 3) -> dict:
    from django.db import connection
    from django.test import Client

    from maillon.catalogue.models import Record
    from maillon.catalogue.search import SearchQuery, search

    from .search_bench import QUERY_SETS

    client = Client(HTTP_HOST="localhost")
    queries = [params["q"] for name in PAGE_QUERIES for params in QUERY_SETS[name]]
    rng = random.Random(7)
    low = Record.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    top = Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    wanted = min(RECORD_SAMPLE, Record.objects.filter(merged_into=None).count())
    ids: list[int] = []
    for _attempt in range(wanted * 10):  # bounded: random draws may repeat on a small catalogue
        if len(ids) >= wanted:
            break
        pk = (
            Record.objects.filter(pk__gte=rng.randint(low, top), merged_into=None)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk and pk not in ids:
            ids.append(pk)
    timings: dict[str, list[float]] = {
        "search page": [],
        "search() alone": [],
        "record page": [],
        "API record": [],
    }
    for q in queries:
        url = "/recherche/?" + urlencode({"q": q})
        client.get(url)  # warm once
        for _ in range(rounds):
            timings["search page"].append(_timed(lambda url=url: client.get(url)))
            timings["search() alone"].append(_timed(lambda q=q: search(SearchQuery(q=q)) and None))
    for pk in ids:
        client.get(f"/notice/{pk}/")
        for _ in range(rounds):
            timings["record page"].append(_timed(lambda pk=pk: client.get(f"/notice/{pk}/")))
            timings["API record"].append(_timed(lambda pk=pk: client.get(f"/api/v1/records/{pk}")))
    return {
        "vendor": connection.vendor,
        "records": Record.objects.count(),
        "queries": len(queries),
        "record_sample": len(ids),
        "load": load_average(),
        "server": server_version(),
        "sets": {name: _figures(values) for name, values in timings.items() if values},
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    print(json.dumps(run(int(argv[0]) if argv else 3)))


if __name__ == "__main__":
    main(sys.argv[1:])
