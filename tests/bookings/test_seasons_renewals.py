"""Seasonal limits as data (one kit per library in December) and renewals (+ a month, once)
that respect the next booking and its checking days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingRule, SeasonalLimit

from .conftest import TODAY, book


def on(month: int, day: int, year: int = 2027) -> dt.date:
    return dt.date(year, month, day)


def book_on(people, network, who, resource, start, end):
    return services.request_booking(people[who], network[who], resource, start, end, today=TODAY)


@pytest.fixture
def december(kinds):
    return SeasonalLimit.objects.create(
        kind=kinds["valise"], month_from=12, month_to=12, max_per_library=1
    )


@pytest.fixture
def kit2(people, network, kinds):
    return services.create_resource(
        people["md"], kind=kinds["valise"], title="Valise Noël", owner=network["md"]
    )


def test_one_kit_per_library_in_december(december, kit, kit2, expo, people, network):
    book_on(people, network, "a", kit, on(11, 20), on(12, 5))
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        book_on(people, network, "a", kit2, on(12, 20), on(12, 30))
    assert error.value.code == "season_quota_reached"
    assert "entre le 1er décembre 2027 et le 31 décembre 2027" in error.value.message
    assert Booking.objects.filter(resource=kit2).count() == 0
    book_on(people, network, "b", kit2, on(12, 20), on(12, 30))  # another library
    book_on(people, network, "a", expo, on(12, 1), on(12, 30))  # another kind
    book_on(people, network, "a", kit2, on(1, 10, 2028), on(1, 25, 2028))  # after the season


def test_a_season_across_the_new_year(kinds):
    limit = SeasonalLimit(kind=kinds["valise"], month_from=12, month_to=1)
    assert limit.seasons(on(1, 10, 2028), on(1, 20, 2028)) == [(on(12, 1), on(1, 31, 2028))]
    assert limit.seasons(on(3, 1), on(4, 1)) == []


@pytest.fixture
def renewable(db):
    BookingRule.objects.filter(kind=None, owner=None).update(renewal_days=30, renewals=1)


def test_renewed_once_by_a_month(renewable, kit, people, network):
    booking = book(people["a"], network["a"], kit, 20, 50)
    services.approve(people["md"], booking)
    renewed = services.renew(people["a"], booking, today=TODAY)
    assert renewed.end == booking.end + dt.timedelta(days=30) and renewed.renewed == 1
    assert renewed.blocked_until == renewed.end + dt.timedelta(days=7)
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        services.renew(people["a"], renewed, today=TODAY)
    assert error.value.code == "no_renewal" and "prolongé que 1 fois" in error.value.message


def test_renewal_respects_the_next_booking(renewable, kit, people, network):
    booking = book(people["a"], network["a"], kit, 20, 50)
    services.approve(people["md"], booking)
    book(people["b"], network["b"], kit, 80, 100)  # 30 days after: the checking days collide
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        services.renew(people["a"], booking, today=TODAY)
    assert error.value.code == "renewal_taken"
    assert "à la Bibliothèque BBB" in error.value.message and "7 jours" in error.value.message
    booking.refresh_from_db()
    assert booking.renewed == 0 and booking.end == dt.date(2027, 4, 20)


def test_no_renewal_by_default_nor_by_another_library(kit, people, network):
    booking = services.approve(people["md"], book(people["a"], network["a"], kit, 20, 50))
    with pytest.raises(services.BookingError) as error:
        services.renew(people["a"], booking, today=TODAY)
    assert error.value.code == "no_renewal"
    with pytest.raises(PermissionDenied):
        services.renew(people["b"], booking, today=TODAY)
