"""The demo shows the MD's animation resources booked by the Gâtine's libraries in every
state, and builds them once."""

import datetime as dt

from maillon.bookings.demo import build_bookings
from maillon.bookings.models import Booking, BookingStatus, Resource
from maillon.network.demo import build_network

TODAY = dt.date(2026, 11, 25)


def test_demo_bookings(db):
    build_network("maillon-demo", TODAY)
    assert build_bookings(TODAY) == {"resources": 5, "bookings": 9}
    assert Resource.objects.filter(owner__code="MD79").count() == 4
    assert Resource.objects.get(owner__code="PAR").title.startswith("Jeux de société")
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == set(BookingStatus.values)
    out = Booking.objects.get(status=BookingStatus.DELIVERED, library__code="SEC")
    assert out.start < TODAY < out.end
    assert build_bookings(TODAY) == {}  # once
