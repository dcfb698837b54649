"""A resource delivered and not back keeps blocking: it is taken at least until today plus its
checking days, says so in French, shows as late on both sides' pages and in the calendar, and
the daily work e-mails both sides (once, then weekly)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from maillon.bookings import services
from maillon.bookings.mail import late_notices
from maillon.bookings.models import Booking, BookingRule

from .conftest import book, days


@pytest.fixture(autouse=True)
def _no_lead_time(db):
    """Exhibitions booked the same day: the checking days after a late return then matter."""
    BookingRule.objects.filter(kind__code="exposition").update(lead_days=0)


@pytest.fixture
def delivered(expo, people, network):
    booking = book(people["a"], network["a"], expo, 20, 50)  # taken until day 57
    services.approve(people["md"], booking)
    return services.deliver(people["md"], booking)


def test_not_back_keeps_the_resource_taken(delivered, expo, people, network):
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        # Day 80: the loan ended on day 50; its checking days alone ended on day 57.
        services.request_booking(
            people["b"], network["b"], expo, days(85), days(95), today=days(80)
        )
    assert error.value.code == "not_returned"
    assert "Bibliothèque AAA" in error.value.message and "20 avril 2027" in error.value.message
    assert "7 mars" not in error.value.message
    assert error.value.details["free_from"] == days(88).isoformat()  # day 80 + 7, then free
    assert Booking.objects.filter(library=network["b"]).count() == 0
    later = services.request_booking(
        people["b"], network["b"], expo, days(88), days(98), today=days(80)
    )
    assert later.start == days(88)


def test_back_late_the_checking_days_count_from_the_return(delivered, expo, people, network):
    returned = services.mark_returned(people["md"], delivered, today=days(80))
    assert returned.blocked_until == days(87)
    with pytest.raises(services.BookingError) as error:
        services.request_booking(
            people["b"], network["b"], expo, days(85), days(95), today=days(80)
        )
    assert error.value.code == "taken"


def test_on_time_nothing_changes(delivered, expo, people, network):
    # Before the end, a delivered booking takes its days and checking days, no more.
    assert delivered.taken_until(days(30)) == days(57)
    services.request_booking(people["b"], network["b"], expo, days(58), days(70), today=days(30))


def test_the_calendar_says_not_back_yet(delivered, expo):
    weeks = services.month_grid(expo, 2027, 4, today=days(45))  # end of April: day 60
    states = {cell.date: cell.state for week in weeks for cell in week}
    assert states[days(50)] == "booked" and states[days(51)] == "buffer"
    weeks = services.month_grid(expo, 2027, 4, today=days(55))
    states = {cell.date: cell.state for week in weeks for cell in week}
    assert states[days(51)] == "late" and states[days(55)] == "late"
    assert states[days(56)] == "buffer" and states[days(58)] == "buffer"  # day 55 + 7 = 62


def _late_booking(people, network, expo) -> Booking:
    """Lent from 40 to 10 days ago and not back (booked long ago)."""
    today = timezone.localdate()
    booking = services.request_booking(
        people["a"],
        network["a"],
        expo,
        today - dt.timedelta(days=40),
        today - dt.timedelta(days=10),
        today=today - dt.timedelta(days=60),
    )
    services.approve(people["md"], booking)
    return services.deliver(people["md"], booking)


def test_both_pages_flag_the_late_return(client_fr, people, network, expo):
    _late_booking(people, network, expo)
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:mine")).content.decode()
    assert "1 outil est en retard" in page and "En retard : attendu le" in page
    client_fr.force_login(people["md"])
    page = client_fr.get(reverse("bookings:decide")).content.decode()
    assert "1 outil est en retard" in page
    assert f"{expo.title} à la Bibliothèque AAA, à rendre le" in page


def test_the_daily_work_tells_both_sides_then_weekly(people, network, expo, settings):
    network["a"].email = "aaa@example.org"
    network["a"].save()
    network["md"].email = "md@example.org"
    network["md"].save()
    booking = _late_booking(people, network, expo)
    today = timezone.localdate()
    assert late_notices(today) == 1
    assert mail.outbox[0].to == ["aaa@example.org", "md@example.org"]
    assert "En retard" in mail.outbox[0].subject and expo.title in mail.outbox[0].body
    assert late_notices(today) == 0  # run twice the same day: nothing more
    assert late_notices(today + dt.timedelta(days=6)) == 0
    assert late_notices(today + dt.timedelta(days=7)) == 1
    services.mark_returned(people["md"], booking)
    assert late_notices(today + dt.timedelta(days=14)) == 0
    assert len(mail.outbox) == 2
