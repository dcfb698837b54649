"""Bookings of animation resources linked to the events they serve: chosen on the booking's
page (among the booking library's events), shown on both the booking's and the event's."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.bookings.models import Booking
from maillon.core.errors import Kind
from maillon.network.permissions import Action, can, require
from maillon.programme.models import Event, EventResource, EventStatus
from maillon.programme.services import ProgrammeError

# Events with a date this close to the booking's are offered.
NEAR_DAYS = 60


def choices(booking: Booking) -> QuerySet[Event]:
    """The booking library's events (its own or shared with it), not cancelled, with a date
    near the booking's."""
    start = booking.start - dt.timedelta(days=NEAR_DAYS)
    end = booking.end + dt.timedelta(days=NEAR_DAYS)
    return (
        Event.objects.filter(
            Q(library_id=booking.library_id) | Q(other_libraries=booking.library_id),
            sessions__starts_at__date__range=(start, end),
        )
        .exclude(status=EventStatus.CANCELLED)
        .distinct()
        .order_by("title")
    )


def link(actor, booking: Booking, event: Event | None) -> EventResource | None:
    """The booking serves `event` (None: no event any more). Codes: not_this_library."""
    require(actor, Action.CIRCULATE, booking.library_id)
    if event is not None and not choices(booking).filter(pk=event.pk).exists():
        raise ProgrammeError(
            "not_this_library",
            _("Choose one of the booking library’s events near the booking’s dates."),
            field="event",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        EventResource.objects.filter(booking=booking).exclude(event=event).delete()
        linked = None
        if event is not None:
            linked, _created = EventResource.objects.get_or_create(
                booking=booking, defaults={"event": event}
            )
        record(
            "booking_event_linked",
            event or booking,
            actor=actor,
            library=booking.library_id,
            details={"booked_resource": booking.resource.title},
        )
    return linked


def booking_panel(booking: Booking, request: HttpRequest) -> str:
    """On the booking's page: the event it serves, and the choice for the library's staff."""
    current = EventResource.objects.filter(booking=booking).select_related("event").first()
    may_link = can(request.user, Action.CIRCULATE, booking.library)
    return render_to_string(
        "programme/booking_panel.html",
        {
            "booking": booking,
            "current": current.event if current else None,
            "events": list(choices(booking)) if may_link else [],
            "may_link": may_link,
        },
        request=request,
    )
