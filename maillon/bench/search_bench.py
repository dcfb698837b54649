"""The search benchmark, run inside a process whose database is the benchmark database.

Query sets draw from the generator's vocabulary, so every run and both databases see the same
queries. Baselines measured in the same run: the same search without facets, and a plain
LIKE '%word%' scan of titles (what a naive catalogue does), on a few queries only (it is slow).
"""

from __future__ import annotations

import random
import statistics
import time

from django.db import connection

from maillon.catalogue.search import SearchQuery, search
from maillon.network.models import Library

from .report import load_average, p95, server_version
from .words import SYLLABLES


def _rare_words(count: int = 20) -> list[str]:
    """Made-up names as the generator makes them: three syllables are very rare (a few records
    in a million), two syllables rare (under a hundred)."""
    rng = random.Random(42)
    return ["".join(rng.choice(SYLLABLES) for _ in range(2 + n % 2)) for n in range(count)]


QUERY_SETS: dict[str, list[dict]] = {
    "rare words": [{"q": w} for w in _rare_words()],
    "common words": [
        {"q": w}
        for w in (
            "histoire",
            "monde",
            "voyage",
            "guide",
            "petit",
            "france",
            "cuisine",
            "roman",
            "vie",
            "jardin",
            "nuit",
            "secret",
            "temps",
            "guerre",
            "musique",
            "femme",
            "maison",
            "chat",
            "mer",
            "paris",
        )
    ],
    "several words": [
        {"q": q}
        for q in (
            "histoire france",
            "voyage paris",
            "petit prince",
            "cuisine française",
            "guerre mondiale",
            "jardin secret",
            "roman policier",
            "chat noir",
            "maison mer",
            "guide randonnée",
            "monde perdu",
            "nuit blanche",
            "histoire cuisine française",
            "secret du moulin",
            "la femme de bretagne",
            "chevalier noir",
            "reine des neiges",
            "voyage japon",
            "musique classique",
            "petit traité philosophie",
        )
    ],
    "words + filters": [
        {"q": "histoire", "libraries": ["G01"]},
        {"q": "roman", "available_now": True},
        {"q": "cuisine", "item_types": ["LIVRE"], "audiences": ["adult"]},
        {"q": "chat", "audiences": ["youth"], "years": ["2010-2019"]},
        {"q": "voyage paris", "libraries": ["G05", "G07"], "available_now": True},
        {"q": "guerre", "languages": ["fre"], "sort": "year"},
        {"q": "jardin", "sort": "title"},
        {"q": "monde", "sort": "new"},
        {"q": "", "libraries": ["G12"]},
        {"q": ""},
    ],
}
LIKE_BASELINE = ["histoire", "voyage", "kerbrivan", "jardin", "secret"]


def library_queries(count: int) -> list[dict]:
    """Library filters over a network of `count` libraries (G01…): the middle and the last
    ones (beyond 63 in a département's network; small ones, the generator's copies thinning
    out down the list), alone, together, with the head library, and ten spread over it all."""
    middle, last = f"G{max(2, count // 2):02d}", f"G{count:02d}"
    spread = [f"G{n:02d}" for n in range(2, count + 1, max(1, count // 10))][:10]
    return [
        {"q": "histoire", "libraries": [last]},
        {"q": "roman", "libraries": [middle], "available_now": True},
        {"q": "", "libraries": [last]},
        {"q": "", "libraries": [middle, last], "available_now": True},
        {"q": "cuisine", "libraries": ["G01", last]},
        {"q": "jardin", "libraries": [middle, last], "sort": "title"},
        {"q": "voyage paris", "libraries": [middle]},
        {"q": "", "libraries": spread},
        {"q": "monde", "libraries": spread, "sort": "new"},
        {"q": "petit", "libraries": spread, "available_now": True},
    ]


def _time(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def run(rounds: int = 3) -> dict:
    results: dict = {"sets": {}, "vendor": connection.vendor}
    libraries = Library.objects.count()
    sets = {**QUERY_SETS, "library filters": library_queries(libraries)}
    for name, queries in sets.items():
        with_facets, without, approximate, totals = [], [], 0, []
        for params in queries:
            search(SearchQuery(**params))  # warm the caches once
            for _ in range(rounds):
                with_facets.append(_time(search, SearchQuery(**params)))
                without.append(_time(search, SearchQuery(**params, facets=False)))
            result = search(SearchQuery(**params))
            approximate += result.approximate
            totals.append(result.total)
        results["sets"][name] = {
            "queries": len(queries),
            "runs": len(with_facets),
            "median": statistics.median(with_facets),
            "p95": p95(with_facets),
            "median_no_facets": statistics.median(without),
            "p95_no_facets": p95(without),
            "approximate": approximate,
            "median_total": statistics.median(totals),
            "max_total": max(totals),
        }
    like = []
    with connection.cursor() as cursor:
        for word in LIKE_BASELINE:
            started = time.perf_counter()
            cursor.execute(
                "SELECT id FROM catalogue_record WHERE title LIKE %s ORDER BY sort_title LIMIT 20",
                [f"%{word}%"],
            )
            cursor.fetchall()
            like.append((time.perf_counter() - started) * 1000)
        cursor.execute("SELECT count(*) FROM catalogue_record")
        results["records"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM catalogue_item")
        results["items"] = cursor.fetchone()[0]
    results["like_median"], results["like_p95"] = statistics.median(like), p95(like)
    results["libraries"] = libraries
    results["load"] = load_average()
    results["server"] = server_version()
    return results
