"""Timing of the exchange grid generator (issue 13: 50 libraries × 200 lots × 12 periods in
well under a second), against a naive baseline that picks each lot's next library by
re-reading the whole grid so far, as one would in a spreadsheet.

Run: ``maillon bench --only rotation`` (no database).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from maillon.rotation import grid

from .report import p95


def spec(libraries: int = 50, lots: int = 200, periods: int = 12) -> grid.Spec:
    """A network like a department's: shuttle two days a week, a few closures and skipped
    dates, one library in five without a youth section, one lot in ten for youth only."""
    members = tuple(
        grid.Member(
            id=i,
            youth=i % 5 != 0,
            skips=frozenset({3}) if i % 17 == 7 else frozenset(),
            shuttle_days=frozenset({i % 5 + 1, (i + 2) % 5 + 1}),
            closures=((dt.date(2027, 4, 1), dt.date(2027, 4, 15)),) if i % 11 == 3 else (),
        )
        for i in range(libraries)
    )
    specs = tuple(
        grid.LotSpec(
            id=1000 + k,
            start=k % libraries,
            youth_only=k % 10 == 0 and (k % libraries) % 5 != 0,
        )
        for k in range(lots)
    )
    dates = tuple(dt.date(2027, 1, 5) + dt.timedelta(days=30 * i) for i in range(periods))
    return grid.Spec(members, specs, dates)


def naive(s: grid.Spec) -> list[list[int]]:
    """The baseline: for every lot at every date, look through the whole history to find the
    libraries it has seen and take the first one left, re-check the whole grid after each
    date (a spreadsheet recalculating), then find each move's days without remembering any."""
    ids = [m.id for m in s.members]
    where = [[lot.start for lot in s.lots]]
    for _t in s.dates:
        row = []
        for k in range(len(s.lots)):
            seen = [where[p][k] for p in range(len(where))]
            here = where[-1][k]
            left = [lib for lib in ids if lib not in seen] or [lib for lib in ids if lib != here]
            row.append(left[0])
        where.append(row)
        grid.check(s, where)
    members = {m.id: m for m in s.members}
    for t in range(1, len(where)):
        for k in range(len(s.lots)):
            if where[t][k] != where[t - 1][k]:
                grid.travel_days(members[where[t - 1][k]], members[where[t][k]], s.dates[t - 1])
    return where


def run(libraries: int = 50, lots: int = 200, periods: int = 12, repeat: int = 20) -> dict:
    """Seconds per grid, generator and baseline alternated `repeat` times: medians and p95."""
    s = spec(libraries, lots, periods)
    times: dict[str, list[float]] = {"generate": [], "naive": []}
    for _ in range(repeat):
        for name, work in (("generate", grid.generate), ("naive", naive)):
            start = time.perf_counter()
            work(s)
            times[name].append(time.perf_counter() - start)
    out: dict = {"libraries": libraries, "lots": lots, "periods": periods, "runs": repeat}
    for name, values in times.items():
        out[f"{name}_median_s"] = statistics.median(values)
        out[f"{name}_p95_s"] = p95(values)
    out["ratio"] = out["naive_median_s"] / out["generate_median_s"]
    return out


def markdown(run: dict, machine_text: str, load: str) -> str:
    rows = [
        "## Circulation plans: generating the exchange grid",
        "",
        machine_text,
        "",
        f"A network of {run['libraries']} libraries (shuttle two days a week, some closures and "
        f"skipped dates, one library in five without a youth section), {run['lots']} lots (one "
        f"in ten for youth only), {run['periods']} exchange dates. `grid.generate` builds the "
        "whole grid (every lot's route, every move's shuttle days, the rules checked); the "
        "baseline builds the same grid naively, as a spreadsheet would: each lot's next library "
        "found by reading its whole history, the grid re-checked after each date, each move's "
        f"days looked up afresh. Both alternated {run['runs']} times in one process, no database.",
        "",
        "| what | median s | p95 s | target |",
        "|---|---:|---:|---|",
        f"| generator | {run['generate_median_s']:.4f} | {run['generate_p95_s']:.4f} | ≤ 1 s |",
        f"| naive baseline | {run['naive_median_s']:.4f} | {run['naive_p95_s']:.4f} | |",
        "",
        f"Baseline ÷ generator (medians): {run['ratio']:.1f}.",
        "",
        f"Load average (1, 5, 15 min) when measuring: {load}.",
        "",
        "Re-run: `maillon bench --only rotation`",
    ]
    return "\n".join(rows)
