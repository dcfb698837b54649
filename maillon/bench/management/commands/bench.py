"""`maillon bench`: build benchmark databases (SQLite under var/bench/, PostgreSQL when
reachable), measure, and write the figures to docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from argparse import ArgumentTypeError
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillon.bench import (
    bookings_bench,
    collections_bench,
    lots_bench,
    oai_bench,
    programme_bench,
    purchasing_bench,
    rotation_bench,
    sip2_bench,
    sru_bench,
    stats_bench,
)
from maillon.bench.circulation_report import fresh_database, kept_database
from maillon.bench.circulation_report import run_benchmark as circulation_benchmark
from maillon.bench.import_report import import_markdown
from maillon.bench.opac_report import run_benchmark as opac_benchmark
from maillon.bench.report import load_average, machine, write_section
from maillon.bench.search_report import search_markdown

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/maillon_bench"
LOT_RUNS = 20  # lots sent and received (issue 13: p95 over 20 lots)
# Libraries of the generated catalogue when --libraries is not given (search and opac).
CATALOGUE_LIBRARIES = 50
# The collection policy benchmarks' network (issue 14): 1M records (2M items), 10M loans.
COLLECTIONS_RECORDS = 1_000_000
COLLECTIONS_LOANS = 10_000_000


def _worker(url: str, *args: str) -> dict:
    """Run one step in a child process on the benchmark database; it prints JSON."""
    env = {**os.environ, "MAILLON_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "maillon.bench.worker", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CommandError(done.stderr.strip().splitlines()[-1] if done.stderr else args[0])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_url(suffix: str) -> str | None:
    """The benchmark PostgreSQL database (its name + suffix), created when missing; None when
    unreachable."""
    import psycopg

    url = os.environ.get("MAILLON_BENCH_PG_URL", DEFAULT_PG) + suffix
    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return None
    return url


def _counts(value: str) -> list[int]:
    """--libraries 10,300 → [10, 300]."""
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise ArgumentTypeError(_("Library counts are whole numbers: 10,300.")) from error
    if not counts or min(counts) < 2:
        raise ArgumentTypeError(_("Library counts are whole numbers: 10,300."))
    return counts


def libraries_of(options: dict, default: int = CATALOGUE_LIBRARIES) -> list[int]:
    return options.get("libraries") or [default]


def with_libraries(options: dict) -> str:
    """The --libraries part of a re-run command, when given."""
    counts = options.get("libraries")
    return f" --libraries {','.join(map(str, counts))}" if counts else ""


def section(name: str, options: dict) -> str:
    """One section of docs/benchmarks.md per benchmark and library counts asked."""
    counts = options.get("libraries")
    return f"{name}-libraries-{'-'.join(map(str, counts))}" if counts else name


# What `--only` accepts; weeding, core, inventory and proposals are measured in one run.
BENCHMARKS = (
    "search",
    "import",
    "circulation",
    "opac",
    "rotation",
    "lots",
    "oai",
    "sru",
    "bookings",
    "programme",
    "stats",
    "weeding",
    "core",
    "inventory",
    "proposals",
    "sip2",
    "purchasing",
)


class Command(BaseCommand):
    help = _(
        "Measure search (and other registered benchmarks) on generated catalogues and "
        "write docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument(
            "--only",
            default="search,import",
            help=_("Comma-separated benchmarks to run, among: %(names)s.")
            % {"names": ", ".join(BENCHMARKS)},
        )
        parser.add_argument(
            "--import-records",
            type=int,
            default=50_000,
            help=_("Records in the generated UNIMARC file of the import benchmark."),
        )
        parser.add_argument(
            "--profile",
            action="store_true",
            help=_("Profile the import and print its most expensive functions."),
        )
        parser.add_argument(
            "--libraries",
            type=_counts,
            default=None,
            help=_(
                "Libraries of the generated networks, e.g. 10,300: each benchmark runs once "
                "per count (default: 50 for search and opac, 6 for circulation)."
            ),
        )
        parser.add_argument(
            "--loans",
            type=int,
            default=COLLECTIONS_LOANS,
            help=_("Loans generated for the core collection and proposals benchmarks."),
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--stats-loans",
            type=int,
            default=1_000_000,
            help=_("Loans generated for the statistics benchmark (issue 18 asks for 10,000,000)."),
        )
        parser.add_argument(
            "--stats-reuse",
            action="store_true",
            help=_(
                "Keep the statistics benchmark database: the network a run before generated "
                "with the same seed and loans is measured again."
            ),
        )
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--no-postgres", action="store_true")
        parser.add_argument(
            "--no-sqlite",
            action="store_true",
            help=_("PostgreSQL only (weeding, core, inventory, proposals, OAI-PMH and SIP2)."),
        )

    def handle(self, *args, **options):
        benchmarks: dict[str, Callable[[dict], None]] = {
            "search": self.search,
            "import": self.import_,
            "circulation": partial(circulation_benchmark, self),
            "opac": partial(opac_benchmark, self),
            "rotation": self.rotation,
            "lots": self.lots,
            "oai": self.oai,
            "sru": self.sru,
            "bookings": self.bookings,
            "programme": self.programme,
            "stats": self.stats,
            "weeding": self.collections,
            "core": self.collections,
            "inventory": self.collections,
            "proposals": self.collections,
            "sip2": self.sip2,
            "purchasing": self.purchasing,
        }
        assert set(benchmarks) == set(BENCHMARKS)  # the help lists them all
        wanted = [name.strip() for name in options["only"].split(",") if name.strip()]
        done: set[Callable[[dict], None]] = set()
        for name in wanted:
            if name not in benchmarks:
                raise CommandError(_("Unknown benchmark: %s") % name)
            if benchmarks[name] not in done:  # weeding, core, … are one run
                done.add(benchmarks[name])
                benchmarks[name](options)

    def databases(
        self, records: int, use_postgres: bool, libraries: int = CATALOGUE_LIBRARIES
    ) -> dict[str, str]:
        """Each database's URL for a catalogue of `records` over `libraries`, by label."""
        bench_dir = Path(settings.VAR_DIR) / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        suffix = "" if libraries == CATALOGUE_LIBRARIES else f"-{libraries}lib"
        found = {"SQLite": f"sqlite:///{bench_dir / f'catalogue-{records}{suffix}.sqlite3'}"}
        if use_postgres:
            url = _postgres_url(suffix and f"_{records}_{libraries}lib")
            if url:
                found["PostgreSQL"] = url
            else:
                self.stdout.write(_("PostgreSQL is not reachable: SQLite only."))
        return found

    def catalogues(self, options: dict) -> list[tuple[str, str, str, int]]:
        """(label, database, URL, libraries) of each benchmark database the options ask for:
        one per database and library count."""
        counts = libraries_of(options)
        found = []
        for libraries in counts:
            databases = self.databases(options["records"], not options["no_postgres"], libraries)
            for database, url in databases.items():
                label = database if len(counts) == 1 else f"{database} · {libraries} libraries"
                found.append((label, database, url, libraries))
        return found

    def prepare(self, options: dict, label: str, url: str, libraries: int) -> dict:
        """Generate and index the catalogue when missing (see maillon.bench.worker.prepare)."""
        records = options["records"]
        self.stdout.write(_("%(db)s: preparing %(n)d records…") % {"db": label, "n": records})
        return _worker(url, "prepare", str(records), str(options["seed"]), str(libraries))

    def search(self, options: dict) -> None:
        records = options["records"]
        runs: dict[str, dict] = {}
        for label, database, url, libraries in self.catalogues(options):
            prepared = self.prepare(options, label, url, libraries)
            self.stdout.write(_("%s: measuring…") % label)
            runs[label] = {
                **_worker(url, "search", str(options["rounds"])),
                "prepare": prepared,
                "database": database,
                "libraries": libraries,
            }
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = f"maillon bench --records {records} --only search" + with_libraries(options)
        write_section(
            section("search", options),
            search_markdown(runs, records, machine(server), command, options["libraries"]),
        )
        for database, run in runs.items():
            for name, figures in run["sets"].items():
                self.stdout.write(
                    f"{database:10} {name:16} median {figures['median']:6.1f} ms"
                    f"  p95 {figures['p95']:6.1f} ms"
                )

    def rotation(self, options: dict) -> None:
        """The exchange grid generator against a naive baseline: pure Python, no database."""
        self.stdout.write(_("Circulation plans: generating grids…"))
        figures = rotation_bench.run()
        write_section("rotation", rotation_bench.markdown(figures, machine(), load_average()))
        self.stdout.write(
            f"grid median {figures['generate_median_s']:.4f} s  p95 "
            f"{figures['generate_p95_s']:.4f} s  naive median {figures['naive_median_s']:.4f} s"
            f"  ratio {figures['ratio']:.1f}"
        )

    def oai(self, options: dict) -> None:
        """A full OAI-PMH harvest of the generated catalogue, against pymarc's writing."""
        runs = {}
        for label, database, url, libraries in self.catalogues(options):
            if options["no_sqlite"] and database == "SQLite":
                continue
            self.prepare(options, label, url, libraries)
            self.stdout.write(_("%s: harvesting…") % label)
            runs[label] = _worker(url, "oai")
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = f"maillon bench --records {options['records']} --only oai"
        if options["no_sqlite"]:
            command += " --no-sqlite"
        write_section("oai", oai_bench.markdown(runs, machine(server), command))
        for label, run in runs.items():
            for name, h in run["harvests"].items():
                self.stdout.write(f"{label:10} {name:22} {h['rate']:8.0f} records/s")
            self.stdout.write(
                f"{label:10} {'pymarc record_to_xml':22} {run['baseline']['rate']:8.0f}"
            )

    def sru(self, options: dict) -> None:
        """Copy-cataloguing searches on the generated catalogue, through the `/sru` view."""
        records = options["records"]
        runs = {}
        for label, database, url, libraries in self.catalogues(options):
            if options["no_sqlite"] and database == "SQLite":
                continue
            self.prepare(options, label, url, libraries)
            self.stdout.write(_("%s: measuring…") % label)
            runs[label] = _worker(url, "sru", str(options["rounds"]))
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = f"maillon bench --records {records} --only sru"
        if options["no_sqlite"]:
            command += " --no-sqlite"
        if options["no_postgres"]:
            command += " --no-postgres"
        write_section("sru", sru_bench.markdown(runs, records, machine(server), command))
        for label, run in runs.items():
            for name, r in run["requests"].items():
                self.stdout.write(
                    f"{label:10} {name:30} median {r['median_ms']:6.1f} ms"
                    f"  {r['statements']} statements"
                )

    def lots(self, options: dict) -> None:
        """Sending and receiving lots of 200 items, on a fresh database of each kind."""
        runs = {}
        for database, url in self.databases(options["records"], not options["no_postgres"]).items():
            self.stdout.write(_("%s: building lots and measuring…") % database)
            runs[database] = _worker(
                fresh_database(url, "lots"), "lots", str(options["seed"]), str(LOT_RUNS)
            )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        write_section("lots", lots_bench.markdown(runs, machine(server)))
        for database, run in runs.items():
            self.stdout.write(
                f"{database:10} send median {run['send']['median']:6.0f} ms  p95 "
                f"{run['send']['p95']:6.0f} ms  receive median {run['receive']['median']:6.0f} ms"
                f"  p95 {run['receive']['p95']:6.0f} ms  one by one {run['baseline_ms']:6.0f} ms"
            )

    def collections(self, options: dict) -> None:
        """Weeding, inventory, core collection and proposals on one generated network (1M
        records, 2M items, 10M loans unless --records / --loans say otherwise), kept between
        runs."""
        records = COLLECTIONS_RECORDS if options["records"] == 100_000 else options["records"]
        loans = options["loans"]
        bench_dir = Path(settings.VAR_DIR) / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        urls = {}
        if not options["no_sqlite"]:
            urls["SQLite"] = f"sqlite:///{bench_dir / f'collections-{records}.sqlite3'}"
        if not options["no_postgres"]:
            url = _postgres_url(f"_collections_{records}")
            if url:
                urls["PostgreSQL"] = url
        runs = {}
        for database, url in urls.items():
            self.stdout.write(_("%s: building the network if needed and measuring…") % database)
            args = [str(records), str(loans), str(options["seed"]), "3"]
            runs[database] = _worker(url, "collections", *args, "shelf")
            if database == "PostgreSQL" and loans:
                self.stdout.write(_("%s: loans, core collection and proposals…") % database)
                measured = _worker(url, "collections", *args, "loans")
                runs[database].update(
                    core=measured["core"],
                    proposals=measured["proposals"],
                    built=measured["built"],
                    load=f"{runs[database]['load']}; {measured['load']}",
                )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = "maillon bench --only weeding,core,inventory,proposals"
        if records != COLLECTIONS_RECORDS or loans != COLLECTIONS_LOANS:
            command += f" --records {records} --loans {loans}"
        if options["no_sqlite"]:
            command += " --no-sqlite"
        write_section("collections", collections_bench.markdown(runs, machine(server), command))
        for database, run in runs.items():
            w, i = run["weeding"], run["inventory"]
            self.stdout.write(
                f"{database:10} weeding one {w['one']['median']:7.0f} ms  network "
                f"{w['network_ms']:8.0f} ms  scan+page p95 {i['late_page']['p95']:5.0f} ms"
            )
            if "core" in run:
                self.stdout.write(
                    f"{database:10} core {run['core']['compute']['median']:7.0f} ms  from loans "
                    f"{run['core']['baseline']['median']:7.0f} ms  proposals "
                    f"{run['proposals']['one']['median']:7.0f} ms"
                )

    def bookings(self, options: dict) -> None:
        """Every resource's availability over a year, 500 resources and 10,000 bookings."""
        runs = {}
        for database, url in self.databases(options["records"], not options["no_postgres"]).items():
            self.stdout.write(_("%s: building bookings and measuring…") % database)
            runs[database] = _worker(
                fresh_database(url, "bookings"),
                "bookings",
                str(options["seed"]),
                str(max(options["rounds"], 20)),
            )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        write_section("bookings", bookings_bench.markdown(runs, machine(server)))
        for database, run in runs.items():
            self.stdout.write(
                f"{database:10} median {run['year_ahead']['median']:6.1f} ms  p95 "
                f"{run['year_ahead']['p95']:6.1f} ms  one by one "
                f"{run['one_by_one']['median']:6.0f} ms"
            )

    def programme(self, options: dict) -> None:
        """The public agenda and the network calendar, 5,000 events over 50 libraries."""
        runs = {}
        for database, url in self.databases(options["records"], not options["no_postgres"]).items():
            self.stdout.write(_("%s: building a year of events and measuring…") % database)
            runs[database] = _worker(
                fresh_database(url, "programme"),
                "programme",
                str(options["seed"]),
                str(options["rounds"]),
            )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        write_section("programme", programme_bench.markdown(runs, machine(server)))
        for database, run in runs.items():
            for name in ("agenda", "agenda_baseline", "calendar", "calendar_baseline"):
                self.stdout.write(
                    f"{database:10} {name:18} median {run[name]['median']:6.1f} ms"
                    f"  p95 {run[name]['p95']:6.1f} ms"
                )

    def stats(self, options: dict) -> None:
        """The annual report and the dashboards over --stats-loans loans, from the summary
        tables against the raw rows; on PostgreSQL when reachable (SQLite otherwise)."""
        databases = self.databases(options["records"], not options["no_postgres"])
        database = "PostgreSQL" if "PostgreSQL" in databases else "SQLite"
        loans = options["stats_loans"]
        self.stdout.write(
            _("%(db)s: generating %(n)d loans and measuring…") % {"db": database, "n": loans}
        )
        if options["stats_reuse"]:
            url = kept_database(databases[database], "stats")
        else:
            url = fresh_database(databases[database], "stats")
        runs = {
            database: _worker(
                url,
                "stats",
                str(options["seed"]),
                str(options["rounds"]),
                str(loans),
            )
        }
        command = f"maillon bench --only stats --stats-loans {loans}"
        write_section(
            "stats", stats_bench.markdown(runs, machine(runs[database]["server"]), command)
        )
        for label, run in runs.items():
            for key in stats_bench.LABELS:
                self.stdout.write(
                    f"{label:10} {key:16} raw {run['raw'][key]['median']:8.0f} ms  summaries "
                    f"{run['summaries'][key]['median']:8.0f} ms"
                )
            self.stdout.write(
                f"{label:10} {'day refresh':16} {run['day_refresh']['median'] / 1000:8.2f} s"
            )

    def sip2(self, options: dict) -> None:
        """Checkout round trips from 20 SIP2 terminals at once against `maillon sip2-server`."""
        per_terminal = max(options["rounds"], 25)
        runs = {}
        for database, url in self.databases(options["records"], not options["no_postgres"]).items():
            if options["no_sqlite"] and database == "SQLite":
                continue
            self.stdout.write(_("%s: 20 SIP2 terminals lending and taking back…") % database)
            runs[database] = _worker(
                fresh_database(url, "sip2"), "sip2", str(options["seed"]), str(per_terminal)
            )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = "maillon bench --only sip2" + (" --no-sqlite" if options["no_sqlite"] else "")
        write_section("sip2", sip2_bench.markdown(runs, machine(server), command))
        for database, run in runs.items():
            for key, _label in sip2_bench.ROWS:
                c = run[key]["checkout"]
                self.stdout.write(
                    f"{database:10} {key:16} checkout median {c['median']:6.1f} ms"
                    f"  p95 {c['p95']:6.1f} ms"
                )
            for label, count in run["statements"].items():
                self.stdout.write(
                    f"{database:10} {label:22} {count:3d} statements"
                    f"  {run['cpu_ms'][label]:5.1f} ms CPU"
                )

    def purchasing(self, options: dict) -> None:
        """A selection list of 500 titles with its network columns for 50 libraries, on the
        benchmark catalogue (generated when missing, left as it was)."""
        records = options["records"]
        runs = {}
        for database, url in self.databases(records, not options["no_postgres"]).items():
            self.stdout.write(_("%s: building a selection list and measuring…") % database)
            runs[database] = _worker(
                url,
                "purchasing",
                str(records),
                str(options["seed"]),
                str(max(options["rounds"], 20)),
            )
        server = next((r["server"] for r in runs.values() if r.get("server")), None)
        command = f"maillon bench --records {records} --only purchasing"
        write_section("purchasing", purchasing_bench.markdown(runs, machine(server), command))
        for database, run in runs.items():
            self.stdout.write(
                f"{database:10} page median {run['page']['median']:6.0f} ms  p95 "
                f"{run['page']['p95']:6.0f} ms  baseline {run['baseline']['median']:6.1f} ms"
            )

    def import_(self, options: dict) -> None:
        """A fresh SQLite database each run: the import is measured from empty tables."""
        records = options["import_records"]
        bench_dir = Path(settings.VAR_DIR) / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        path = bench_dir / "import.sqlite3"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        self.stdout.write(_("Import: writing and importing %d UNIMARC records…") % records)
        args = ["import", str(records), str(bench_dir)]
        if options["profile"]:
            args.append("profile")
        run = _worker(f"sqlite:///{path}", *args)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        command = f"maillon bench --only import --import-records {records}"
        write_section("import", import_markdown(run, machine(), command))
        self.stdout.write(
            f"pymarc {run['pymarc_rate']:8.0f} records/s  import "
            f"{run['import_rate']:8.0f} records/s  ratio "
            f"{run['import_rate'] / run['pymarc_rate']:.2f}"
        )
        if run.get("profile"):
            self.stdout.write(run["profile"])
