"""Dates that depend on a library's calendar: due dates and shuttle arrivals."""

from __future__ import annotations

import datetime as dt

from django.db.models import prefetch_related_objects

from maillon.network.models import Library

# Look no further than this for an open day or a shuttle run: past it the calendar is wrong.
HORIZON_DAYS = 366


def with_calendar(library: Library | int) -> Library:
    """The library with its hours and closures loaded once (the date loops read them often)."""
    if not isinstance(library, Library):
        library = Library.objects.get(pk=library)
    # On the instance the caller holds: no second read of the library's row.
    prefetch_related_objects([library], "opening_hours", "closures")
    return library


def is_open_day(library: Library, day: dt.date) -> bool:
    """Open on `day`: not in a closure, and open that weekday.

    A library with no opening hours recorded at all counts as open every day but its closures,
    so that an incomplete set-up never pushes due dates to the end of the horizon.
    """
    if library.is_closed_on(day):
        return False
    hours = list(library.opening_hours.all())
    return not hours or any(h.weekday == day.isoweekday() for h in hours)


def next_open_day(library: Library, day: dt.date) -> dt.date:
    """`day` itself if the library is open then, else the first open day after it."""
    for offset in range(HORIZON_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if is_open_day(library, candidate):
            return candidate
    return day


def due_date(library: Library, start: dt.date, days: int) -> dt.date:
    """`start` + `days`, moved to the library's next open day if it falls on a closed day."""
    return next_open_day(library, start + dt.timedelta(days=days))


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
