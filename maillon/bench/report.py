"""docs/benchmarks.md, one section per benchmark: write_section replaces only its own part, so
the import benchmark and the search benchmark can be rerun independently."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\nWritten by `maillon bench`; each section is replaced when its "
    "benchmark runs again.\n"
)


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- section:{name} -->", f"<!-- /section:{name} -->"


def write_section(name: str, markdown: str, path: Path = DOC) -> None:
    """Replace (or append) the section called `name` in docs/benchmarks.md."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    start, end = _markers(name)
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: figures on a shared machine need them."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "unknown"


def server_version() -> str | None:
    """ "PostgreSQL 15.x" on the current connection's server, None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def machine(postgres_version: str | None = None) -> str:
    """One paragraph describing where the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, IndexError, ValueError):
        pass
    parts = [
        f"{cpu}, {os.cpu_count()} cores{ram}",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    if postgres_version:
        parts.append(postgres_version)
    return f"Machine: {'; '.join(parts)}. Run on {dt.date.today().isoformat()}."


def libraries_table(
    runs: dict[str, dict], figures: Callable[[dict], dict[str, float]]
) -> list[str]:
    """Markdown lines comparing each database's run on the fewest libraries with its run on
    the most (runs carry "database" and "libraries"): `figures(run)` gives p95s by name.
    Nothing when every run has the same number of libraries."""
    by_database: dict[str, list[dict]] = {}
    for label, run in runs.items():
        by_database.setdefault(run.get("database", label), []).append(run)
    lines: list[str] = []
    for database, measured in by_database.items():
        few = min(measured, key=lambda run: run.get("libraries", 0))
        many = max(measured, key=lambda run: run.get("libraries", 0))
        if few is many:
            continue
        if not lines:
            lines = [
                "",
                "Does it slow down with the number of libraries? The p95 on the most libraries "
                "divided by the p95 on the fewest, measured in the same run:",
                "",
                "| database | what | libraries | p95 ms | libraries | p95 ms | ratio |",
                "|---|---|---:|---:|---:|---:|---:|",
            ]
        small, large = figures(few), figures(many)
        for name, value in small.items():
            if name in large:
                lines.append(
                    f"| {database} | {name} | {few['libraries']} | {value:.1f} | "
                    f"{many['libraries']} | {large[name]:.1f} | "
                    f"{large[name] / max(value, 0.001):.2f} |"
                )
    return lines
