"""Runs inside a child process pointed at a benchmark database (MAILLON_DATABASE_URL):
`python -m maillon.bench.worker prepare N SEED LIBRARIES`, `… search ROUNDS`,
`… import RECORDS` or `… circulation SEED SAMPLES LIBRARIES`;
prints one JSON line."""

from __future__ import annotations

import json
import os
import sys
import time


def prepare(records: int, seed: int, libraries: int) -> dict:
    """Generate the catalogue if missing, (re)index it if its index is incomplete: a run
    interrupted while indexing resumes instead of starting over."""
    from django.core.management import call_command
    from django.db import connection

    from maillon.catalogue.models import Record, SearchEntry
    from maillon.catalogue.search import rebuild_index

    from .generate import generate

    call_command("migrate", interactive=False, verbosity=0)
    found = Record.objects.count()
    if found == records and SearchEntry.objects.count() == records:
        return {"reused": True}
    if found not in (0, records):
        raise SystemExit("The benchmark database holds another catalogue: delete it first.")
    out: dict = {"reused": False, "generate_s": None}
    if not found:
        started = time.perf_counter()
        generate(records, 2.0, libraries, seed)
        out["generate_s"] = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the planner needs statistics to index
                cursor.execute("ANALYZE")
    started = time.perf_counter()
    rebuild_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Index-only scans of the facet index need the visibility map set.
            cursor.execute("VACUUM ANALYZE catalogue_searchentry")
            cursor.execute("VACUUM ANALYZE catalogue_searchholding")
    out["index_s"] = time.perf_counter() - started
    return out


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    if argv[0] == "prepare":
        out = prepare(int(argv[1]), int(argv[2]), int(argv[3]))
    elif argv[0] == "search":
        from .search_bench import run

        out = run(int(argv[1]))
    elif argv[0] == "import":
        from django.core.management import call_command

        from .import_bench import run as run_import

        call_command("migrate", interactive=False, verbosity=0)
        out = run_import(int(argv[1]), argv[2], profile=len(argv) > 3 and argv[3] == "profile")
    elif argv[0] == "circulation":
        from .circulation_bench import run as run_circulation

        out = run_circulation(int(argv[1]), int(argv[2]), int(argv[3]))
    elif argv[0] == "oai":
        from .oai_bench import run as run_oai

        out = run_oai()
    elif argv[0] == "sru":
        from .sru_bench import run as run_sru

        out = run_sru(int(argv[1]))
    elif argv[0] == "lots":
        from .lots_bench import run as run_lots

        out = run_lots(int(argv[1]), int(argv[2]))
    elif argv[0] == "bookings":
        from .bookings_bench import run as run_bookings

        out = run_bookings(int(argv[1]), int(argv[2]))
    elif argv[0] == "stats":
        from .stats_bench import run as run_stats

        out = run_stats(int(argv[1]), int(argv[2]), int(argv[3]))
    elif argv[0] == "purchasing":
        from .purchasing_bench import run as run_purchasing

        out = run_purchasing(int(argv[1]), int(argv[2]), int(argv[3]))
    elif argv[0] == "programme":
        from .programme_bench import run as run_programme

        out = run_programme(int(argv[1]), int(argv[2]))
    elif argv[0] == "collections":
        from .collections_bench import run as run_collections

        out = run_collections(int(argv[1]), int(argv[2]), int(argv[3]), int(argv[4]), argv[5])
    elif argv[0] == "sip2":
        from .sip2_bench import run as run_sip2

        out = run_sip2(int(argv[1]), int(argv[2]))
    else:
        raise SystemExit(f"unknown step {argv[0]!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
