"""Maillon proposes dates on shuttle days of both the owner and the library (never on a
closure), or on the owner's collection days; the form shows the proposal and books it in one
click; refused dates come with the first dates that would work."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingRule, Delivery
from maillon.network.models import Closure

from .conftest import TODAY, book, days

# The test libraries are served on Tuesdays and Fridays (tests/conftest.py).


def propose(resource, library, start: int, end: int):
    return services.propose(resource, library, days(start), days(end), today=TODAY)


def test_both_served_the_same_days(expo, network):
    # Asked: Sunday 21 March to Tuesday 20 April.
    proposal = propose(expo, network["a"], 20, 50)
    assert (proposal.start, proposal.end) == (dt.date(2027, 3, 19), dt.date(2027, 4, 20))
    assert proposal.delivery == Delivery.SHUTTLE


def test_arrives_and_leaves_on_the_library_s_own_day(expo, network):
    network["a"].shuttle_days = [3]  # Wednesdays: the resource leaves the MD the day before
    network["a"].save()
    proposal = propose(expo, network["a"], 20, 50)
    assert (proposal.start, proposal.end) == (dt.date(2027, 3, 24), dt.date(2027, 4, 21))
    Closure.objects.create(library=network["a"], start=days(21), end=days(27))
    proposal = propose(expo, network["a"], 20, 50)
    assert proposal.start == dt.date(2027, 3, 17)  # the Wednesday before the closure


def test_never_inside_the_lead_time(expo, network):
    proposal = propose(expo, network["a"], 15, 40)  # Tuesday 16 March: the earliest start
    assert proposal.start == days(15)
    proposal = propose(expo, network["a"], 14, 40)  # Monday 15: not Friday 12, too early
    assert proposal.start == days(15)
    proposal = propose(expo, network["a"], 16, 40)  # Wednesday 17: Tuesday 16 is nearer
    assert proposal.start == days(15)


def test_collected_on_the_owner_s_days(kit, network, kinds):
    BookingRule.objects.create(
        kind=kinds["valise"],
        owner=network["md"],
        delivery=Delivery.COLLECTION,
        collection_days=[2, 4],
    )
    proposal = propose(kit, network["b"], 20, 50)  # Sunday 21 March: Tuesday 23 is nearer
    assert (proposal.start, proposal.end) == (dt.date(2027, 3, 23), dt.date(2027, 4, 20))
    assert proposal.delivery == Delivery.COLLECTION


def test_no_shuttle_known_any_day_will_do(expo, network):
    network["b"].shuttle_days = []
    network["b"].save()
    assert propose(expo, network["b"], 20, 50) is None


def test_a_refusal_says_what_would_work(expo, people, network):
    book(people["a"], network["a"], expo, 20, 50)  # taken until day 57, Tuesday 27 April
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        book(people["b"], network["b"], expo, 30, 60)
    assert error.value.code == "taken"
    # The first Tuesday or Friday after the checking days, for as long (30 days).
    assert error.value.details["proposal"] == {"start": "2027-04-30", "end": "2027-05-28"}
    assert "Ces dates conviendraient : du vendredi 30 avril 2027" in error.value.message
    taken = book(people["b"], network["b"], expo, 60, 88)
    assert taken.start == dt.date(2027, 4, 30)


def test_too_late_says_what_would_work(expo, people, network):
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        book(people["a"], network["a"], expo, 3, 20)
    assert error.value.code == "too_late"
    assert error.value.details["proposal"]["start"] == "2027-03-16"  # Tuesday, day 15


def hidden(page: str, name: str, form: int) -> str:
    forms = re.findall(r"<form method=\"post\">.*?</form>", page, re.S)
    return re.search(rf'name="{name}" value="([^"]*)"', forms[form]).group(1)


def test_the_form_proposes_then_books_in_one_click(client_fr, people, network, expo):
    client_fr.force_login(people["a"])
    url = reverse("bookings:detail", args=[expo.pk])
    today = timezone.localdate()
    start = today + dt.timedelta(days=30)
    while start.isoweekday() in (2, 5):  # a day the shuttle does not run
        start += dt.timedelta(days=1)
    end = start + dt.timedelta(days=20)
    asked = {"library": network["a"].pk, "start": start.isoformat(), "end": end.isoformat()}
    page = client_fr.post(url, asked).content.decode()
    assert Booking.objects.count() == 0
    proposal = services.propose(expo, network["a"], start, end)
    assert "Les dates les plus proches où la navette passe à la Bibliothèque MD et à la" in page
    assert hidden(page, "start", 0) == proposal.start.isoformat()
    assert "Réserver du " in page and "Garder mes dates" in page
    response = client_fr.post(
        url,
        {**asked, "start": hidden(page, "start", 0), "end": hidden(page, "end", 0), "keep": "on"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.start, booking.end) == (proposal.start, proposal.end)
    assert booking.start.isoweekday() in (2, 5) and booking.end.isoweekday() in (2, 5)


def test_the_form_keeps_the_librarian_s_dates_when_asked(client_fr, people, network, expo):
    client_fr.force_login(people["a"])
    start = timezone.localdate() + dt.timedelta(days=30)
    while start.isoweekday() in (2, 5):
        start += dt.timedelta(days=1)
    end = start + dt.timedelta(days=20)
    client_fr.post(
        reverse("bookings:detail", args=[expo.pk]),
        {"library": network["a"].pk, "start": start, "end": end, "keep": "on"},
    )
    assert Booking.objects.get().start == start
