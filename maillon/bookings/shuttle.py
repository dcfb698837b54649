"""What the shuttle carries for bookings, for the run sheets (maillon.rotation.runsheet asks
through maillon.core.usage, ``shuttle_tools``: rotation sits below bookings).

An approved booking delivered by the shuttle leaves its owner on the owner's last shuttle day
up to its start and comes off at the library on its first shuttle day from then; it goes back
from the library on its end (or the next shuttle day) to the owner's next shuttle day. Once
delivered, only the way back remains. Days already past move to the next run, as late
transfers do — and say so: such a way is *carried over*, its line on the run sheet and the
booking's page tell the staff which shuttle day was missed and when it travels instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.bookings.models import Booking, BookingRule, BookingStatus, Delivery, Resource
from maillon.core.dates import day
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


@dataclass(frozen=True)
class Way:
    """One way of a booked resource on the shuttle: out from its owner, or back to it."""

    back: bool
    source: Library
    target: Library
    planned: dt.date | None  # the shuttle day it was to leave on
    leaves: dt.date  # the run it leaves on (the planned day, or the next run once it passed)
    arrives: dt.date

    @property
    def carried_over(self) -> bool:
        """Its shuttle day has passed without it leaving: it goes on a later run."""
        return self.planned is not None and self.planned < self.leaves


def _way(
    source: Library, target: Library, due: dt.date | None, today: dt.date, *, back: bool
) -> Way | None:
    """The way leaving `source` from `due` on (not before today), or None when no shuttle
    day is near."""
    if due is None:
        return None
    leaves = _on_or_after(source, max(due, today))
    arrives = _on_or_after(target, leaves) if leaves else None
    if leaves is None or arrives is None:
        return None
    planned = _on_or_after(source, due) if due < today else leaves
    return Way(back, source, target, planned, leaves, arrives)


def _ways(booking: Booking, today: dt.date) -> list[Way]:
    """The ways still to travel of a booking whose resource goes by the shuttle."""
    owner, library = booking.resource.owner, booking.library
    ways = []
    if booking.status == BookingStatus.APPROVED:
        ways.append(_way(owner, library, _on_or_before(owner, booking.start), today, back=False))
    if booking.status in (BookingStatus.APPROVED, BookingStatus.DELIVERED):
        ways.append(_way(library, owner, booking.end, today, back=True))
    return [way for way in ways if way is not None]


def _lines(booking: Booking, way: Way) -> list[dict[str, Any]]:
    """The two lines of one way: on at its source, off at its target."""
    line = {
        "title": booking.resource.title,
        "barcode": booking.resource.barcode,
        "crates": booking.resource.crates,
        "booking": booking.pk,
        "url": reverse("bookings:booking", args=[booking.pk]),
        "planned": way.planned if way.carried_over else None,
    }
    return [
        {**line, "day": way.leaves, "library": way.source.pk, "side": "on", "other": way.target.pk},
        {
            **line,
            "day": way.arrives,
            "library": way.target.pk,
            "side": "off",
            "other": way.source.pk,
        },
    ]


def shuttle_tools(first: dt.date, last: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The run sheet lines of bookings between `first` and `last`: dicts with day, library
    (id), side ("on" or "off"), other (id), title, barcode, crates, booking (id), url (the
    booking's page) and planned (the shuttle day it missed when carried over, else None)."""
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
        if booking.resource_id not in by_shuttle:
            continue
        for way in _ways(booking, today):
            lines += _lines(booking, way)
    return [line for line in lines if first <= line["day"] <= last]


def carried_over(booking: Booking, today: dt.date) -> list[str]:
    """What the booking's page warns of: each way whose shuttle day has passed without it
    leaving, in words (empty when none, or when the resource does not go by the shuttle)."""
    if booking.library_id == booking.resource.owner_id or booking.status not in (
        BookingStatus.APPROVED,
        BookingStatus.DELIVERED,
    ):
        return []
    if booking.resource_id not in _by_shuttle([booking.resource]):
        return []
    warnings = []
    for way in _ways(booking, today):
        if not way.carried_over:
            continue
        assert way.planned is not None
        dates = {
            "planned": day(way.planned),
            "leaves": day(way.leaves),
            "arrives": day(way.arrives),
        }
        if way.back:
            warnings.append(
                _(
                    "Carried over: the shuttle day it was to come back on, %(planned)s, has "
                    "passed. It goes on the next run, %(leaves)s, and is back %(to_owner)s on "
                    "%(arrives)s."
                )
                % {**dates, "to_owner": way.target.to_name}
            )
            continue
        text = _(
            "Carried over: the shuttle day it was to leave on, %(planned)s, has passed. It "
            "goes on the next run, %(leaves)s, and arrives %(to_library)s on %(arrives)s."
        ) % {**dates, "to_library": way.target.to_name}
        if way.arrives > booking.start:
            text += " " + _(
                "That is after the first day of the booking (%(start)s): tell the library."
            ) % {"start": day(booking.start)}
        warnings.append(text)
    return warnings
