"""`maillon generate-catalogue`: add a realistic generated catalogue, then index it."""

import sys
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from maillon.bench.generate import generate, id_chunks
from maillon.catalogue.search import index_records


class Command(BaseCommand):
    help = _(
        "Add generated records and items (French titles, long tail) for tests and "
        "benchmarks, then index them for search."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=10_000)
        parser.add_argument("--items-per-record", type=float, default=2.0)
        parser.add_argument("--libraries", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index", action="store_true", help=_("Do not index the new records for search.")
        )

    def handle(self, *args, **options):
        quiet = not sys.stderr.isatty() or options["verbosity"] == 0
        started = time.perf_counter()
        with tqdm(
            total=options["records"], unit=" records", disable=quiet, desc=_("Generating")
        ) as bar:
            ids = generate(
                options["records"],
                options["items_per_record"],
                options["libraries"],
                options["seed"],
                progress=bar.update,
            )
        generated = time.perf_counter() - started
        indexed = 0.0
        if not options["no_index"]:
            started = time.perf_counter()
            with tqdm(total=len(ids), unit=" records", disable=quiet, desc=_("Indexing")) as bar:
                for chunk in id_chunks(ids, 5000):
                    index_records(chunk)
                    bar.update(len(chunk))
            indexed = time.perf_counter() - started
        self.stdout.write(
            _("%(count)d records generated in %(gen).1f s, indexed in %(idx).1f s.")
            % {"count": len(ids), "gen": generated, "idx": indexed}
        )
