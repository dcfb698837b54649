"""Two desks scan the same resource at the same moment (a double scan, two staff): it leaves
once; the other scan gets a French refusal and the audit holds one delivery. Real threads on
PostgreSQL; the status service locks the booking row."""

import datetime as dt
import threading

import pytest
from django.db import connection

from maillon.audit.services import entries_for
from maillon.bookings import scanning, services
from maillon.bookings.models import Booking, BookingStatus
from tests.circulation.test_concurrency import in_parallel, user

from .conftest import book, days

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("transactional_db"),
]


def test_two_scans_deliver_once(people, network, expo, monkeypatch):
    booking = services.approve(people["md"], book(people["a"], network["a"], expo, 20, 50))
    both_read = threading.Barrier(2)
    original = services._locked

    def after_reading(*args):
        both_read.wait(10)  # both scans decided « deliver » before either locks
        return original(*args)

    monkeypatch.setattr(services, "_locked", after_reading)
    leaves = days(20) - dt.timedelta(days=2)
    outcomes = in_parallel(
        *[
            lambda: scanning.scan(user("mdstaff"), network["md"], expo.barcode, today=leaves)
            for _n in range(2)
        ]
    )
    done = [o for o in outcomes if isinstance(o, scanning.Scanned)]
    refused = [o for o in outcomes if isinstance(o, services.BookingError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "wrong_status"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DELIVERED
    assert entries_for(booking).filter(action="booking_delivered").count() == 1
