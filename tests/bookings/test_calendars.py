"""Pick the dates first (every free resource, in a fixed number of queries), a library's year,
the owners' year with occupancy, and a library's iCalendar feed read back."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillon.bookings import availability, services
from maillon.bookings.models import BookingRule

from .conftest import TODAY, book, days


def test_free_for_reads_the_rules_and_the_bookings(expo, expo2, kit, people, network):
    book(people["a"], network["a"], expo, 20, 50)  # taken until day 57
    free, others = availability.free_for(days(55), days(70), TODAY)
    assert {f.resource for f in free} == {expo2, kit} and others == 1
    free, _others = availability.free_for(days(58), days(70), TODAY)
    assert expo in {f.resource for f in free}
    # The new loan's own checking days run into a booking: day 57 + 7 > day 60.
    book(people["b"], network["b"], kit, 60, 80)
    free, _others = availability.free_for(days(40), days(55), TODAY)
    assert kit not in {f.resource for f in free}
    free, _others = availability.free_for(days(3), days(20), TODAY)  # inside the lead time
    assert free == []


def test_free_for_is_a_fixed_number_of_queries(people, network, kinds):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            availability.free_for(days(20), days(40), TODAY)
        return len(queries)

    services.create_resource(people["md"], kind=kinds["jeu"], title="Jeu 0", owner=network["md"])
    few = count()
    for n in range(1, 15):
        resource = services.create_resource(
            people["md"], kind=kinds["jeu"], title=f"Jeu {n}", owner=network["md"]
        )
        book(people["a" if n % 2 else "b"], network["a" if n % 2 else "b"], resource, 60, 70)
    assert count() == few


def test_occupancy_month_by_month(expo, people, network):
    BookingRule.objects.update(lead_days=0)
    booking = services.request_booking(
        people["a"], network["a"], expo, dt.date(2027, 4, 1), dt.date(2027, 4, 15), today=TODAY
    )
    months, year = availability.occupancy([expo], 2027)[expo.pk]
    assert months[3] == 50 and months[2] == 0 and year == round(100 * 15 / 365)
    services.cancel(people["a"], booking)
    assert availability.occupancy([expo], 2027)[expo.pk][1] == 0


def soon(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_the_pages(client_fr, expo, kit, people, network):
    services.request_booking(people["a"], network["a"], expo, soon(20), soon(40))
    client_fr.force_login(people["b"])
    page = client_fr.get(
        reverse("bookings:available"), {"start": soon(25), "end": soon(35)}
    ).content.decode()
    assert "1 outil libre du" in page and kit.title in page and expo.title not in page
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:library_year"), {"annee": soon(20).year})
    assert expo.title in page.content.decode()
    client_fr.force_login(people["md"])
    page = client_fr.get(reverse("bookings:year"), {"annee": soon(20).year}).content.decode()
    assert "Occupation en" in page and expo.title in page and kit.title in page


def test_the_ical_feed_reads_back(client, client_fr, expo, kit, people, network):
    first = services.request_booking(people["a"], network["a"], expo, soon(20), soon(40))
    services.approve(people["md"], first)
    services.request_booking(people["a"], network["a"], kit, soon(30), soon(50))
    services.request_booking(people["b"], network["b"], kit, soon(60), soon(70))
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:library_year")).content.decode()
    feed = page.split('readonly value="')[1].split('"')[0]
    response = client.get(feed.replace("http://testserver", ""))  # no session needed
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [expo.title, kit.title]  # not BBB's
    assert events[0].decoded("dtstart") == soon(20)
    assert events[0].decoded("dtend") == soon(41)
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "TENTATIVE"]


def test_a_forged_feed_address_is_not_found(client, network):
    assert client.get(reverse("bookings:ical", args=["forged:token"])).status_code == 404


@pytest.mark.parametrize("name", ["available", "library_year", "year"])
def test_pages_need_staff(client, name):
    assert client.get(reverse(f"bookings:{name}")).status_code in (302, 403)
