"""`maillon bench --only opac`: the search and record pages of the public catalogue on the
search benchmark's databases (prepared, or reused, as `--only search` does), and the opac
section of docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .report import libraries_table, machine, write_section
from .search_report import network_size

if TYPE_CHECKING:
    from .management.commands.bench import Command

TARGET_MS = 100


def _measure(url: str, rounds: int) -> dict:
    env = {**os.environ, "MAILLON_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "maillon.bench.opac_bench", str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CommandError(done.stderr.strip().splitlines()[-1] if done.stderr else "opac")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_benchmark(command: Command, options: dict) -> None:
    """The entry registered in the bench command (which gives the databases and the worker)."""
    from maillon.bench.management.commands.bench import (
        section,
        with_libraries,
    )

    records = options["records"]
    runs: dict[str, dict] = {}
    for label, database, url, libraries in command.catalogues(options):
        command.prepare(options, label, url, libraries)
        command.stdout.write(_("%s: measuring the public pages…") % label)
        runs[label] = {**_measure(url, options["rounds"]), "database": database}
        runs[label]["libraries"] = libraries
    server = next((r["server"] for r in runs.values() if r.get("server")), None)
    rerun = f"maillon bench --records {records} --only opac" + with_libraries(options)
    write_section(
        section("opac", options),
        opac_markdown(runs, records, machine(server), rerun, options["libraries"]),
    )
    for database, run in runs.items():
        for name, s in run["sets"].items():
            command.stdout.write(
                f"{database:10} {name:16} median {s['median']:6.1f} ms  p95 {s['p95']:6.1f} ms"
            )


def opac_markdown(
    runs: dict[str, dict],
    records: int,
    machine: str,
    command: str,
    libraries: list[int] | None = None,
) -> str:
    lines = [
        "## Public catalogue: search and record pages"
        + (f", {network_size(libraries)}" if libraries else ""),
        "",
        machine,
        "",
        f"The search benchmark's generated catalogue ({records:,} records over "
        f"{network_size(libraries or [50])}). Server time of "
        "whole pages through Django's test client in one process (middleware, view, "
        "templates; no network): `/recherche/?q=…` for the search benchmark's common, "
        "several-word and rare queries, `/notice/<id>/` for records drawn at random. Baselines "
        "in the same run: the catalogue's `search()` alone for the same queries (what the "
        "API's search calls) and the API's JSON answer for the same records.",
        "",
        "| database | what | runs | median ms | p95 ms | max ms | target p95 | met |",
        "|---|---|---:|---:|---:|---:|---:|:-:|",
    ]
    for database, run in runs.items():
        for name, s in run["sets"].items():
            page = name.endswith("page")
            target = f"≤ {TARGET_MS}" if page else "—"
            met = ("yes" if s["p95"] <= TARGET_MS else "**no**") if page else ""
            lines.append(
                f"| {database} | {name} | {s['runs']} | {s['median']:.1f} | "
                f"{s['p95']:.1f} | {s['max']:.1f} | {target} | {met} |"
            )
    lines += libraries_table(runs, lambda run: {n: s["p95"] for n, s in run["sets"].items()})
    lines += [
        "",
        "Load average (1, 5, 15 min) when measuring: "
        + "; ".join(f"{db}: {r.get('load', '?')}" for db, r in runs.items())
        + ". The machine is "
        "shared: latencies are wall-clock times and grow with the load.",
        "",
        f"Re-run: `{command}`",
    ]
    return "\n".join(lines)
