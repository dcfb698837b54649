"""Timing of the exchange grid generator (issue 13: 50 libraries × 200 lots × 12 periods in
well under a second), against a naive baseline that picks each lot's next library by
re-reading the whole grid so far, as one would in a spreadsheet.

Run: ``python -c "from maillon.bench.rotation_bench import run; print(run())"`` (no database).
"""

from __future__ import annotations

import datetime as dt
import time

from maillon.rotation import grid


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
                grid._days(members[where[t - 1][k]], members[where[t][k]], s.dates[t - 1])
    return where


def run(libraries: int = 50, lots: int = 200, periods: int = 12, repeat: int = 5) -> dict:
    s = spec(libraries, lots, periods)

    def best(work) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            work(s)
            times.append(time.perf_counter() - start)
        return min(times)

    generated = best(grid.generate)
    baseline = best(naive)
    return {
        "libraries": libraries,
        "lots": lots,
        "periods": periods,
        "generate_s": round(generated, 4),
        "naive_s": round(baseline, 4),
        "ratio": round(baseline / generated, 1) if generated else None,
    }
