"""Runs inside a child process pointed at a benchmark database (MAILLON_DATABASE_URL):
`python -m maillon.bench.worker prepare N SEED` or `… search ROUNDS`; prints one JSON line."""

from __future__ import annotations

import json
import os
import sys
import time


def prepare(records: int, seed: int) -> dict:
    from django.core.management import call_command

    from maillon.catalogue.models import Record, SearchEntry
    from maillon.catalogue.search import index_records

    from .generate import generate, id_chunks

    call_command("migrate", interactive=False, verbosity=0)
    if Record.objects.count() == records and SearchEntry.objects.count() == records:
        return {"reused": True}
    if Record.objects.exists():
        raise SystemExit("The benchmark database holds another catalogue: delete it first.")
    started = time.perf_counter()
    ids = generate(records, 2.0, 50, seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    for chunk in id_chunks(ids, 5000):
        index_records(chunk)
    return {"reused": False, "generate_s": generated, "index_s": time.perf_counter() - started}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    if argv[0] == "prepare":
        out = prepare(int(argv[1]), int(argv[2]))
    elif argv[0] == "search":
        from .search_bench import run

        out = run(int(argv[1]))
    else:
        raise SystemExit(f"unknown step {argv[0]!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
