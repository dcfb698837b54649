"""Loans of a booked resource on to the booking library's partners (a school for a week of
the exhibition, the EHPAD for the kamishibaï): recorded within the booking's dates, one
partner at a time, by the library's staff; the owner sees where its resource is.

Lock: the booking row, so that two desks recording overlapping loans of it wait in turn and
the second sees the first's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.bookings.models import Booking, BookingStatus, SubLoan
from maillon.bookings.services import BookingError
from maillon.core.dates import day
from maillon.core.errors import Kind
from maillon.network.models import Partner
from maillon.network.permissions import Action, require

# A resource is lent on once it is promised to the library or at its place.
LENDABLE = [BookingStatus.APPROVED, BookingStatus.DELIVERED]


def _d(value: dt.date) -> str:
    return day(value, with_year=True, weekday=False)


def _lock_booking(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("library").get(pk=booking.pk)


def _clash(booking: Booking, start: dt.date, end: dt.date) -> SubLoan | None:
    """The booking's loan to a partner that meets start..end, if any."""
    return booking.subloans.filter(start__lte=end, end__gte=start).select_related("partner").first()


def lend_on(
    actor,
    booking: Booking,
    partner: Partner,
    start: dt.date,
    end: dt.date,
    notes: str = "",
) -> SubLoan:
    require(actor, Action.CIRCULATE, booking.library_id)
    if partner.library_id != booking.library_id:
        raise BookingError(
            "partner_elsewhere",
            _("%(partner)s is not a partner of %(library)s.")
            % {"partner": partner.name, "library": booking.library.name},
            field="partner",
            kind=Kind.INVALID,
        )
    if end < start:
        raise BookingError(
            "end_before_start",
            _("The last day (%(end)s) comes before the first (%(start)s).")
            % {"end": _d(end), "start": _d(start)},
            field="end",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        booking = _lock_booking(booking)
        if booking.status not in LENDABLE:
            raise BookingError(
                "booking_not_lendable",
                _("Only a resource approved or at your library is lent on to a partner."),
            )
        if start < booking.start or end > booking.end:
            raise BookingError(
                "outside_booking",
                _(
                    "The loan to the partner must stay within the booking, from %(start)s "
                    "to %(end)s."
                )
                % {"start": _d(booking.start), "end": _d(booking.end)},
                field="start" if start < booking.start else "end",
                kind=Kind.INVALID,
            )
        clash = _clash(booking, start, end)
        if clash is not None:
            raise BookingError(
                "subloan_overlap",
                _("It is already lent to %(partner)s from %(start)s to %(end)s.")
                % {"partner": clash.partner.name, "start": _d(clash.start), "end": _d(clash.end)},
                field="start",
                kind=Kind.CONFLICT,
            )
        subloan = SubLoan.objects.create(
            booking=booking,
            partner=partner,
            start=start,
            end=end,
            notes=notes.strip()[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "booking_lent_on",
            booking,
            actor=actor,
            library=booking.library,
            details={
                "partner_name": partner.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
        )
    return subloan


def withdraw(actor, subloan: SubLoan) -> None:
    """Remove a loan to a partner recorded by mistake or that did not happen."""
    require(actor, Action.CIRCULATE, subloan.booking.library_id)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=subloan.booking_id)
        row = SubLoan.objects.select_related("partner").get(pk=subloan.pk)
        audit(
            "booking_lent_on_withdrawn",
            booking,
            actor=actor,
            library=booking.library_id,
            details={
                "partner_name": row.partner.name,
                "start": row.start.isoformat(),
                "end": row.end.isoformat(),
            },
        )
        row.delete()
