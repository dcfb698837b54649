"""The week's animation resources in numbers, for the staff home page (asked through
core.usage): what arrives at a library, and what an owner sends out or waits for."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.bookings.models import Booking, BookingStatus
from maillon.network.models import Library

WEEK = dt.timedelta(days=7)


def today_counts(library: Library | None, today: dt.date) -> list[dict]:
    """Bookings starting within a week (to receive at the borrowing library, to send at the
    owner's), and resources whose loan has ended but that are not back at their owner's."""
    coming = Booking.objects.filter(
        status=BookingStatus.APPROVED, start__gte=today, start__lt=today + WEEK
    )
    overdue = Booking.objects.filter(status=BookingStatus.DELIVERED, end__lt=today)
    arriving, leaving = coming, coming
    if library is not None:
        arriving = coming.filter(library=library)
        leaving = coming.filter(resource__owner=library)
        overdue = overdue.filter(resource__owner=library)
    counts = [
        {
            "label": _("animation resources arriving this week"),
            "count": arriving.count(),
            "url": reverse("bookings:mine"),
        }
    ]
    if library is None or leaving.exists() or overdue.exists():
        # An owner's lines: most libraries lend no resource of their own.
        counts += [
            {
                "label": _("resources to send out this week"),
                "count": leaving.count(),
                "url": reverse("bookings:decide"),
            },
            {
                "label": _("resources lent and not back"),
                "count": overdue.count(),
                "url": reverse("bookings:decide"),
            },
        ]
    return counts
