"""The exchange grid, computed without the database: which lot each library holds after each
exchange date, the day each lot travels, and every rule the grid had to break.

The route is a Latin-square rotation: the libraries stand in a ring (the plan's order) and each
lot moves one step along it per exchange, so with as many lots as libraries lot k is at library
(k + round) mod n, every library sees every lot once before any comes back, and no library gets
back the lot it just had. More lots than libraries: several lots per library, each on the same
ring. Fewer lots: some libraries receive nothing on a date (reported, not hidden).

Constraints bend the ring: a library skipping a date keeps its lots and receives none (the lot
due to it goes on to the next library it has not seen); a youth-only lot skips libraries
without a youth section; a library taking at most N lots per exchange passes the others on.
When no library may take a lot, the lot stays and the grid says so ("stuck"). A library with
a capacity (most items) takes no lot that would overfill it after the exchange: the move into it
is undone, largest lot first, and the lot stays where it was ("full"). Nothing is
broken silently: `check` re-reads any grid (a generated one or one swapped by hand) and lists
each broken rule with where and when.

Days: each move leaves on a shuttle day of the sending library and arrives on a shuttle day of
the receiving one (the same day when both are served then), never on a closure, as near the
planned date as possible; among equally near days the one carrying the fewest lots so far is
taken, so the shuttle's load stays level. A moved day is reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CONTINUOUS = "continuous"
ONCE_HOME = "once_home"
ONCE_STAY = "once_stay"

# How far from the planned date a move may go looking for a shuttle day, and how long a lot
# may wait for the receiving library's shuttle after leaving.
WINDOW_DAYS = 7
ARRIVAL_DAYS = 14

# Rules the grid may break (the generator had to, or a hand swap did).
JUST_HAD = "just_had"  # a library gets back the lot it sent on the previous date
SEEN_TWICE = "seen_twice"  # a lot comes back before it has been everywhere
SKIP = "skip"  # a library moves a lot on a date it skips
YOUTH = "youth"  # a youth-only lot at a library without a youth section
CAPACITY = "capacity"  # a library receives more lots than it takes
FULL = "full"  # a library would hold more items than its capacity
STUCK = "stuck"  # no library could take the lot: it stays
NO_SHUTTLE_DAY = "no_shuttle_day"  # no shuttle day near the date for one end of a move
OUTSIDE = "outside"  # a lot standing at a library outside the plan: it must be sent in first
BROKEN = {JUST_HAD, SEEN_TWICE, SKIP, YOUTH, CAPACITY, FULL, STUCK, NO_SHUTTLE_DAY, OUTSIDE}
# Told, not broken: a lot kept back because its move would overfill a library.
KEPT_BACK = "kept_back"
# What the grid tells without breaking anything.
DATE_MOVED = "date_moved"
NOTHING_RECEIVED = "nothing_received"


@dataclass(frozen=True)
class Member:
    """A library in the plan. `skips`: exchange numbers (from 1) it sits out."""

    id: int
    youth: bool = True
    max_lots: int | None = None
    skips: frozenset[int] = frozenset()
    shuttle_days: frozenset[int] = frozenset()  # ISO weekdays
    closures: tuple[tuple[dt.date, dt.date], ...] = ()
    stock: int = 0  # items at home there outside the plan's lots
    max_items: int | None = None  # its capacity, if any

    def served(self, day: dt.date) -> bool:
        if day.isoweekday() not in self.shuttle_days:
            return False
        return not self.closed(day)

    def closed(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.closures)


@dataclass(frozen=True)
class LotSpec:
    id: int
    start: int  # the member holding it before the first exchange
    youth_only: bool = False
    size: int = 0  # items in it


@dataclass(frozen=True)
class Spec:
    members: tuple[Member, ...]  # in the ring's order
    lots: tuple[LotSpec, ...]
    dates: tuple[dt.date, ...]  # planned date of exchanges 1..E
    kind: str = CONTINUOUS


@dataclass(frozen=True)
class Issue:
    code: str
    exchange: int  # 0: the starting placement
    library: int | None = None
    lot: int | None = None
    day: dt.date | None = None  # the day used (date_moved) or the date concerned
    planned: dt.date | None = None
    count: int = 0
    limit: int = 0
    closed: bool = False  # date_moved: a library was closed on the planned date

    @property
    def broken(self) -> bool:
        return self.code in BROKEN


@dataclass(frozen=True)
class Move:
    exchange: int
    lot: int
    source: int
    target: int
    day: dt.date  # leaves the source
    arrival: dt.date  # reaches the target


@dataclass
class Grid:
    spec: Spec
    # where[t][k]: the member holding lot k (spec.lots order) after exchange t; t = 0 the start.
    where: list[list[int]]
    moves: list[Move] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def broken(self) -> list[Issue]:
        return [i for i in self.issues if i.broken]

    def load(self) -> Counter[dt.date]:
        """Lots leaving on each day: what the shuttle carries."""
        return Counter(m.day for m in self.moves)


def _eligible(spec: Spec) -> dict[int, list[int]]:
    """Lot id → the members it may go to, in ring order."""
    youth = [m.id for m in spec.members if m.youth]
    every = [m.id for m in spec.members]
    return {lot.id: (youth if lot.youth_only else every) for lot in spec.lots}


def route(spec: Spec) -> tuple[list[list[int]], list[Issue]]:
    """Where each lot stands after each exchange, and the rules the route had to break."""
    members = {m.id: m for m in spec.members}
    order = [m.id for m in spec.members]
    n = len(order)
    index = {mid: i for i, mid in enumerate(order)}
    ahead = {mid: [order[(i + k) % n] for k in range(1, n)] for i, mid in enumerate(order)}
    eligible = {lot: set(ids) for lot, ids in _eligible(spec).items()}
    issues: list[Issue] = []
    position: list[int] = []
    for k, lot in enumerate(spec.lots):
        start = lot.start if lot.start in members else order[k % n]
        if start != lot.start:
            issues.append(Issue(OUTSIDE, 0, library=start, lot=lot.id))
        position.append(start)
        if lot.youth_only and not members[start].youth:
            issues.append(Issue(YOUTH, 0, library=start, lot=lot.id))
    home = list(position)
    seen = [{p} for p in position]
    done = [False] * len(spec.lots)
    where = [list(position)]
    for t in range(1, len(spec.dates) + 1):
        received: Counter[int] = Counter()
        fresh = list(position)
        moved: list[tuple[int, int, int, bool]] = []  # lot index, from, to, going home
        # Lots in ring order of where they stand: the unconstrained grid is the Latin square.
        for k in sorted(range(len(spec.lots)), key=lambda k: (index[position[k]], k)):
            lot, here = spec.lots[k], position[k]
            if done[k] or t in members[here].skips:
                continue
            allowed = eligible[lot.id]
            going_home = False
            if seen[k] >= allowed:  # the round is over
                if spec.kind == ONCE_STAY or (spec.kind == ONCE_HOME and here == home[k]):
                    done[k] = True
                    continue
                seen[k] = {here}
                if spec.kind == ONCE_HOME:
                    ahead_of, going_home = [home[k]], True
                else:
                    ahead_of = ahead[here]
            else:
                ahead_of = ahead[here]
            target = None
            for candidate in ahead_of:
                member = members[candidate]
                if (
                    candidate in allowed
                    and candidate not in seen[k]
                    and t not in member.skips
                    and (member.max_lots is None or received[candidate] < member.max_lots)
                ):
                    target = candidate
                    break
            if target is None:
                if len(allowed - {here}) > 0:
                    issues.append(Issue(STUCK, t, library=here, lot=lot.id))
                continue
            fresh[k] = target
            received[target] += 1
            seen[k].add(target)
            moved.append((k, here, target, going_home))
            if going_home:
                done[k] = True
        # Capacity: undo moves into a library the exchange would overfill, largest lot first.
        for k, here, target, going_home in sorted(moved, key=lambda m: -spec.lots[m[0]].size):
            member = members[target]
            if member.max_items is None or _load(spec, fresh, target) <= member.max_items:
                continue
            issues.append(
                Issue(
                    KEPT_BACK,
                    t,
                    library=target,
                    lot=spec.lots[k].id,
                    count=_load(spec, fresh, target),
                    limit=member.max_items,
                )
            )
            fresh[k] = here
            received[target] -= 1
            seen[k].discard(target)
            if going_home:
                done[k] = False
        position = fresh
        where.append(list(position))
    return where, issues


def check(spec: Spec, where: Sequence[Sequence[int]]) -> list[Issue]:
    """Every rule the grid breaks, wherever it stands (generated or swapped by hand)."""
    members = {m.id: m for m in spec.members}
    eligible = {lot: set(ids) for lot, ids in _eligible(spec).items()}
    issues: list[Issue] = []
    seen = [{p} for p in where[0]] if where else []
    for t in range(1, len(where)):
        received: Counter[int] = Counter()
        for k, lot in enumerate(spec.lots):
            before, after = where[t - 1][k], where[t][k]
            if before == after:
                continue
            received[after] += 1
            allowed = eligible[lot.id]
            if t in members[before].skips:
                issues.append(Issue(SKIP, t, library=before, lot=lot.id))
            if t in members[after].skips:
                issues.append(Issue(SKIP, t, library=after, lot=lot.id))
            if lot.youth_only and not members[after].youth:
                issues.append(Issue(YOUTH, t, library=after, lot=lot.id))
            if seen[k] >= allowed:
                seen[k] = {before}
            if after in seen[k]:
                code = JUST_HAD if t >= 2 and where[t - 2][k] == after else SEEN_TWICE
                issues.append(Issue(code, t, library=after, lot=lot.id))
            seen[k].add(after)
        for mid, count in received.items():
            limit = members[mid].max_lots
            if limit is not None and count > limit:
                issues.append(Issue(CAPACITY, t, library=mid, count=count, limit=limit))
            most = members[mid].max_items
            if most is not None and _load(spec, where[t], mid) > most:
                issues.append(
                    Issue(FULL, t, library=mid, count=_load(spec, where[t], mid), limit=most)
                )
    return issues


def _load(spec: Spec, where: Sequence[int], member: int) -> int:
    """Items at home at `member` when the lots stand as `where` says."""
    held = sum(lot.size for lot, at in zip(spec.lots, where, strict=True) if at == member)
    stock = next(m.stock for m in spec.members if m.id == member)
    return stock + held


def travel_days(
    source: Member, target: Member, planned: dt.date
) -> list[tuple[int, dt.date, dt.date]]:
    """(distance, leaves, arrives) for every way of moving near `planned`, best first."""
    options = []
    for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1):
        day = planned + dt.timedelta(days=offset)
        if not source.served(day):
            continue
        for wait in range(ARRIVAL_DAYS + 1):
            arrival = day + dt.timedelta(days=wait)
            if target.served(arrival):
                options.append((abs(offset) + wait, day, arrival))
                break
    options.sort(key=lambda o: (o[0], o[1]))
    return options


def schedule(spec: Spec, where: Sequence[Sequence[int]]) -> tuple[list[Move], list[Issue]]:
    """The day each lot travels on, and the dates moved or impossible."""
    members = {m.id: m for m in spec.members}
    load: Counter[dt.date] = Counter()
    cache: dict[tuple[int, int, dt.date], list[tuple[int, dt.date, dt.date]]] = {}
    moves: list[Move] = []
    issues: list[Issue] = []
    told: set[tuple[int, int, int]] = set()
    for t in range(1, len(where)):
        planned = spec.dates[t - 1]
        for k, lot in enumerate(spec.lots):
            source, target = where[t - 1][k], where[t][k]
            if source == target:
                continue
            key = (source, target, planned)
            if key not in cache:
                cache[key] = travel_days(members[source], members[target], planned)
            options = cache[key]
            if not options:
                day = arrival = planned
                if (t, source, target) not in told:
                    told.add((t, source, target))
                    lacking = source if not _days_of(members[source], planned) else target
                    issues.append(Issue(NO_SHUTTLE_DAY, t, library=lacking, planned=planned))
            else:
                best = options[0][0]
                tied = [o for o in options if o[0] == best]
                _d, day, arrival = min(tied, key=lambda o: (load[o[1]], o[1]))
                if day != planned and (t, source, -1) not in told:
                    told.add((t, source, -1))
                    closed = members[source].closed(planned) or members[target].closed(planned)
                    issues.append(
                        Issue(
                            DATE_MOVED, t, library=source, day=day, planned=planned, closed=closed
                        )
                    )
            load[day] += 1
            moves.append(Move(t, lot.id, source, target, day, arrival))
    return moves, issues


def _days_of(member: Member, planned: dt.date) -> bool:
    return any(
        member.served(planned + dt.timedelta(days=offset))
        for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1)
    )


def empty_handed(spec: Spec, where: Sequence[Sequence[int]]) -> list[Issue]:
    """Libraries receiving nothing on a date they take part in (fewer lots than libraries)."""
    issues = []
    for t in range(1, len(where)):
        receiving = {a for b, a in zip(where[t - 1], where[t], strict=True) if a != b}
        for member in spec.members:
            if t not in member.skips and member.id not in receiving:
                issues.append(Issue(NOTHING_RECEIVED, t, library=member.id))
    return issues


def evaluate(spec: Spec, where: list[list[int]], extra: Iterable[Issue] = ()) -> Grid:
    moves, dated = schedule(spec, where)
    issues = [*extra, *check(spec, where), *dated, *empty_handed(spec, where)]
    return Grid(spec=spec, where=where, moves=moves, issues=issues)


def generate(spec: Spec) -> Grid:
    """The grid for `spec`: route, days, and everything it had to break or tell."""
    if not spec.members:
        return Grid(spec=spec, where=[[] for _ in range(len(spec.dates) + 1)])
    where, issues = route(spec)
    # The route's own breaks (stuck lots, a youth lot starting where it may not) come first;
    # `check` adds whatever the moves break.
    return evaluate(spec, where, issues)


def swap(where: list[list[int]], exchange: int, first: int, second: int) -> list[list[int]]:
    """The grid with what `first` and `second` hold after `exchange` exchanged (the lots they
    would receive go to the other; later moves start from where the lots now are)."""
    changed = [list(row) for row in where]
    row = changed[exchange]
    for k, holder in enumerate(row):
        if holder == first:
            row[k] = second
        elif holder == second:
            row[k] = first
    return changed
