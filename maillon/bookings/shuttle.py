"""What the shuttle carries for bookings, for the run sheets (maillon.rotation.runsheet asks
through maillon.core.usage, ``shuttle_tools``: rotation sits below bookings).

An approved booking delivered by the shuttle leaves its owner on the owner's last shuttle day
up to its start and comes off at the library on its first shuttle day from then; it goes back
from the library on its end (or the next shuttle day) to the owner's next shuttle day. Once
delivered, only the way back remains. Days already past move to the next run, as late
transfers do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

from maillon.bookings.models import Booking, BookingRule, BookingStatus, Delivery, Resource
from maillon.network.models import Library

# Days looked at around a booking's dates for a shuttle day.
SEARCH_DAYS = 14


def _served(library: Library, day: dt.date) -> bool:
    return library.is_shuttle_day(day) and not library.is_closed_on(day)


def _on_or_after(library: Library, day: dt.date) -> dt.date | None:
    for n in range(SEARCH_DAYS + 1):
        if _served(library, day + dt.timedelta(days=n)):
            return day + dt.timedelta(days=n)
    return None


def _on_or_before(library: Library, day: dt.date) -> dt.date | None:
    for n in range(SEARCH_DAYS + 1):
        if _served(library, day - dt.timedelta(days=n)):
            return day - dt.timedelta(days=n)
    return None


def _by_shuttle(resources: list[Resource]) -> set[int]:
    """The resources whose rule (the most specific for kind and owner) says « by the shuttle »."""
    rules = list(BookingRule.objects.all())
    found = set()
    for resource in resources:
        fitting = [
            r
            for r in rules
            if r.kind_id in (None, resource.kind_id) and r.owner_id in (None, resource.owner_id)
        ]
        best = max(
            fitting, key=lambda r: (r.kind_id is not None, r.owner_id is not None), default=None
        )
        if (best.delivery if best else Delivery.SHUTTLE) == Delivery.SHUTTLE:
            found.add(resource.pk)
    return found


def _leg(
    source: Library, target: Library, leaves: dt.date | None, today: dt.date, booking: Booking
) -> list[dict[str, Any]]:
    """The two lines of one way (on at `source`, off at `target`), or none when no shuttle
    day is near."""
    if leaves is None:
        return []
    leaves = _on_or_after(source, max(leaves, today))
    arrives = _on_or_after(target, leaves) if leaves else None
    if leaves is None or arrives is None:
        return []
    line = {
        "title": booking.resource.title,
        "barcode": booking.resource.barcode,
        "crates": booking.resource.crates,
        "booking": booking.pk,
    }
    return [
        {**line, "day": leaves, "library": source.pk, "side": "on", "other": target.pk},
        {**line, "day": arrives, "library": target.pk, "side": "off", "other": source.pk},
    ]


def shuttle_tools(first: dt.date, last: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The run sheet lines of bookings between `first` and `last`: dicts with day, library
    (id), side ("on" or "off"), other (id), title, barcode, crates, booking (id)."""
    margin = dt.timedelta(days=SEARCH_DAYS)
    bookings = list(
        Booking.objects.filter(
            status__in=[BookingStatus.APPROVED, BookingStatus.DELIVERED],
            start__lte=last + margin,
            end__gte=first - margin,
        )
        .exclude(library_id=F("resource__owner_id"))
        .select_related("resource__owner", "library")
        .prefetch_related("library__closures", "resource__owner__closures")
    )
    by_shuttle = _by_shuttle([b.resource for b in bookings])
    lines: list[dict[str, Any]] = []
    for booking in bookings:
        owner, library = booking.resource.owner, booking.library
        if booking.resource_id not in by_shuttle:
            continue
        if booking.status == BookingStatus.APPROVED:
            lines += _leg(owner, library, _on_or_before(owner, booking.start), today, booking)
        lines += _leg(library, owner, booking.end, today, booking)
    return [line for line in lines if first <= line["day"] <= last]
