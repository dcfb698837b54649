"""Dates that depend on a library's calendar: due dates and shuttle arrivals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from maillon.network.models import Closure, Library, OpeningHours

# Look no further than this for an open day or a shuttle run: past it the calendar is wrong.
HORIZON_DAYS = 366


@dataclass(frozen=True)
class Calendar:
    """What decides a library's open days from some date on: the weekdays it has opening hours
    (none recorded: open every day, so that an incomplete set-up never pushes due dates to the
    end of the horizon) and its closures not over by then."""

    weekdays: frozenset[int]  # ISO weekdays
    closures: tuple[tuple[dt.date, dt.date], ...]

    def is_open(self, day: dt.date) -> bool:
        if any(start <= day <= end for start, end in self.closures):
            return False
        return not self.weekdays or day.isoweekday() in self.weekdays

    def next_open_day(self, day: dt.date) -> dt.date:
        """`day` itself if open, else the first open day after it (within the horizon)."""
        for offset in range(HORIZON_DAYS):
            candidate = day + dt.timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        return day

    def due_date(self, start: dt.date, days: int) -> dt.date:
        """`start` + `days`, moved to the next open day if it falls on a closed day."""
        return self.next_open_day(start + dt.timedelta(days=days))


def _date(value: dt.date | str) -> dt.date:
    # SQLite gives the dates of a UNION's later branch as text (it knows no declared type).
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def calendar_of(library: Library | int, since: dt.date) -> Calendar:
    """The library's calendar from `since` on, read in one statement: every checkout and
    renewal asks for it, and two ORM queries cost several times this one."""
    quote = connection.ops.quote_name
    library_id = library if isinstance(library, int) else library.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT weekday, NULL, NULL FROM {quote(OpeningHours._meta.db_table)} "
            f"WHERE library_id = %s UNION ALL "
            f"SELECT NULL, {quote('start')}, {quote('end')} FROM {quote(Closure._meta.db_table)} "
            f"WHERE library_id = %s AND {quote('end')} >= %s",
            [library_id, library_id, since],
        )
        rows = cursor.fetchall()
    return Calendar(
        weekdays=frozenset(weekday for weekday, _s, _e in rows if weekday is not None),
        closures=tuple(
            (_date(start), _date(end)) for weekday, start, end in rows if weekday is None
        ),
    )


def is_open_day(library: Library | int, day: dt.date) -> bool:
    """Open on `day`: not in a closure, and open that weekday (see Calendar)."""
    return calendar_of(library, day).is_open(day)


def next_open_day(library: Library | int, day: dt.date) -> dt.date:
    """`day` itself if the library is open then, else the first open day after it."""
    return calendar_of(library, day).next_open_day(day)


def due_date(library: Library | int, start: dt.date, days: int) -> dt.date:
    """`start` + `days`, moved to the library's next open day if it falls on a closed day."""
    return calendar_of(library, start + dt.timedelta(days=days)).due_date(start, days)


def shuttle_arrival(source: Library, destination: Library, today: dt.date) -> dt.date:
    """When an item pulled today at `source` reaches `destination` by the shuttle.

    It leaves on the source's next shuttle run after today and arrives on the destination's
    first run on or after that day. No shuttle on either side: ``date.max`` (never).
    """
    if source.pk == destination.pk:
        return today
    leaves = source.next_shuttle_day(today)
    if leaves is None:
        return dt.date.max
    if destination.is_shuttle_day(leaves) and not destination.is_closed_on(leaves):
        return leaves
    arrives = destination.next_shuttle_day(leaves)
    return arrives or dt.date.max
