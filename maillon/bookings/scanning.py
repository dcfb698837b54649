"""The owner's desk scans a resource's barcode: out to the library that booked it, or back.

A scan decides which step is due from the resource's bookings and then calls the status
services (deliver, mark_returned), which lock the booking and check its status again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingStatus, Resource
from maillon.bookings.services import BookingError, _d
from maillon.core.errors import Kind
from maillon.network.models import Library

# A booking may leave this many days before its start (the owner's shuttle day before it).
LEAVES_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Scanned:
    booking: Booking
    step: str  # "delivered" or "returned"


def scan(actor, desk: Library, barcode: str, *, today: dt.date | None = None) -> Scanned:
    """Deliver the approved booking of the resource `barcode` that is due to leave, or mark
    the delivered one returned; at the desk of the resource's owner only."""
    today = today or timezone.localdate()
    barcode = (barcode or "").strip()
    resource = Resource.objects.select_related("owner").filter(barcode__iexact=barcode).first()
    if resource is None:
        raise BookingError(
            "unknown_barcode",
            _("No animation resource has the barcode « %(barcode)s ».") % {"barcode": barcode},
            field="barcode",
            kind=Kind.NOT_FOUND,
        )
    if resource.owner_id != desk.pk:
        raise BookingError(
            "not_owner",
            _("« %(resource)s » is a resource %(of_owner)s: scan it at its owner's desk.")
            % {"resource": resource.title, "of_owner": resource.owner.of_name},
        )
    out = resource.bookings.filter(status=BookingStatus.DELIVERED).first()
    if out is not None:
        return Scanned(services.mark_returned(actor, out, today=today), "returned")
    due = (
        resource.bookings.filter(status=BookingStatus.APPROVED, end__gte=today)
        .order_by("start", "pk")
        .first()
    )
    if due is None:
        raise BookingError(
            "nothing_to_deliver",
            _("« %(resource)s » has no approved booking to deliver.")
            % {"resource": resource.title},
            kind=Kind.CONFLICT,
        )
    if due.start > today + dt.timedelta(days=LEAVES_AHEAD_DAYS):
        raise BookingError(
            "too_early",
            _(
                "« %(resource)s » goes %(to_library)s for its booking from %(start)s: "
                "too early to send it."
            )
            % {
                "resource": resource.title,
                "start": _d(due.start),
                "to_library": due.library.to_name,
            },
            kind=Kind.CONFLICT,
        )
    return Scanned(services.deliver(actor, due), "delivered")
