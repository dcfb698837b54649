"""Each booking rule refuses with its own code and a French message that names it; the rules
come from data (per kind and owner, with the network default)."""

import pytest
from django.utils import translation

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingRule, BookingStatus

from .conftest import book, days


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def refusal(call) -> services.BookingError:
    before = Booking.objects.count()
    with pytest.raises(services.BookingError) as error:
        call()
    assert Booking.objects.count() == before  # nothing half done
    return error.value


def test_seeded_rules_are_the_published_figures(expo, kit):
    rule = services.rule_for(kit)
    assert (rule.lead_days, rule.min_days, rule.max_days, rule.buffer_days) == (15, 7, 90, 7)
    assert rule.max_per_library == 10 and rule.max_per_library_kind is None
    assert rule.approval_needed
    assert services.rule_for(expo).max_per_library_kind == 1


def test_a_booking_within_the_rules_is_requested(expo, people, network):
    booking = book(people["a"], network["a"], expo, 20, 50)
    assert booking.status == BookingStatus.REQUESTED
    assert booking.blocked_until == days(57)


def test_too_late(expo, people, network):
    error = refusal(lambda: book(people["a"], network["a"], expo, 10, 30))
    assert error.code == "too_late"
    assert "il faut réserver au moins 15 jours à l’avance" in error.message.lower()
    assert "16 mars 2027" in error.message  # the earliest start
    book(people["a"], network["a"], expo, 15, 30)  # the 15th day is fine


def test_too_short_and_too_long(expo, people, network):
    error = refusal(lambda: book(people["a"], network["a"], expo, 20, 25))
    assert error.code == "too_short" and "7 jours au moins" in error.message
    error = refusal(lambda: book(people["a"], network["a"], expo, 20, 110))
    assert error.code == "too_long" and "90 jours au plus" in error.message
    assert "18 juin 2027" in error.message  # the last possible end: day 20 + 89


def test_end_before_start_past_and_absurd_dates(expo, people, network):
    error = refusal(lambda: book(people["a"], network["a"], expo, 30, 20))
    assert error.code == "end_before_start" and error.field == "end"
    assert "avant" in error.message
    error = refusal(lambda: book(people["a"], network["a"], expo, -5, 20))
    assert error.code == "in_the_past" and "passé" in error.message
    error = refusal(lambda: book(people["a"], network["a"], expo, 20, 3000))
    assert error.code == "too_far" and "deux ans" in error.message
    error = refusal(
        lambda: services.request_booking(people["a"], network["a"], expo, None, days(20))
    )
    assert error.code == "dates_missing"


def test_overlap_says_until_when_the_resource_is_taken(expo, people, network):
    book(people["b"], network["b"], expo, 20, 40)  # taken to day 40, checked to day 47
    error = refusal(lambda: book(people["a"], network["a"], expo, 30, 60))
    assert error.code == "taken"
    assert "pris du 21 mars 2027 au 17 avril 2027" in error.message
    assert "à la Bibliothèque BBB" in error.message
    assert "libre à partir du 18 avril 2027" in error.message
    # Inside the checking days only: still refused, same answer.
    error = refusal(lambda: book(people["a"], network["a"], expo, 45, 60))
    assert error.code == "taken" and "18 avril 2027" in error.message
    book(people["a"], network["a"], expo, 48, 60)  # the day after the checking days


def test_this_loans_checking_days_must_not_run_into_the_next_booking(expo, people, network):
    book(people["b"], network["b"], expo, 40, 60)
    error = refusal(lambda: book(people["a"], network["a"], expo, 20, 35))
    assert error.code == "overlaps_buffer"
    assert "fin le 2 avril 2027 au plus tard" in error.message  # day 40 - 7 - 1 = day 32
    book(people["a"], network["a"], expo, 20, 32)


def test_refused_and_cancelled_bookings_free_the_dates(expo, people, network):
    first = book(people["b"], network["b"], expo, 20, 40)
    services.cancel(people["b"], first)
    second = book(people["a"], network["a"], expo, 20, 40)
    services.refuse(people["md"], second, "En restauration")
    book(people["b"], network["b"], expo, 20, 40)


def test_one_exhibition_at_once_per_library(expo, expo2, kit, people, network):
    book(people["a"], network["a"], expo, 20, 40)
    error = refusal(lambda: book(people["a"], network["a"], expo2, 35, 60))
    assert error.code == "kind_quota_reached"
    assert "Les p’tites bêtes du jardin" in error.message and "Exposition" in error.message
    book(people["a"], network["a"], kit, 35, 60)  # another kind is fine
    book(people["a"], network["a"], expo2, 41, 60)  # after the first exhibition's end
    book(people["b"], network["b"], expo2, 70, 90)  # another library


def test_overall_quota(kit, people, network, kinds):
    BookingRule.objects.filter(kind=None, owner=None).update(max_per_library=2)
    others = [
        services.create_resource(
            people["md"], kind=kinds["jeu"], title=f"Jeu {n}", owner=network["md"]
        )
        for n in range(2)
    ]
    book(people["a"], network["a"], others[0], 20, 40)
    book(people["a"], network["a"], others[1], 30, 50)
    error = refusal(lambda: book(people["a"], network["a"], kit, 35, 45))
    assert error.code == "quota_reached" and "2 au plus" in error.message
    book(people["a"], network["a"], kit, 51, 60)


def test_not_bookable_and_inactive_library(kit, people, network):
    services.update_resource(people["md"], kit, bookable=False)
    error = refusal(lambda: book(people["a"], network["a"], kit, 20, 40))
    assert error.code == "not_bookable" and "ne peut pas être réservé" in error.message
    services.update_resource(people["md"], kit, bookable=True)
    network["a"].is_active = False
    network["a"].save()
    error = refusal(lambda: book(people["a"], network["a"], kit, 20, 40))
    assert error.code == "library_inactive" and "a quitté le réseau" in error.message


def test_the_most_specific_rule_applies(kit, people, network, kinds):
    BookingRule.objects.create(kind=kinds["valise"], owner=network["md"], lead_days=30)
    BookingRule.objects.create(kind=None, owner=network["md"], lead_days=3)
    assert services.rule_for(kit).lead_days == 30
    error = refusal(lambda: book(people["a"], network["a"], kit, 20, 40))
    assert error.code == "too_late" and "30 jours" in error.message


def test_no_approval_needed_books_at_once(kit, people, network, kinds):
    BookingRule.objects.create(kind=kinds["valise"], approval_needed=False)
    assert book(people["a"], network["a"], kit, 20, 40).status == BookingStatus.APPROVED


def test_checked_early_frees_the_resource_from_the_next_day(kit, people, network):
    booking = book(people["a"], network["a"], kit, 20, 40)
    services.approve(people["md"], booking)
    services.deliver(people["md"], booking)
    services.mark_returned(people["md"], booking)
    services.check(people["md"], booking, today=days(41))
    booking.refresh_from_db()
    assert booking.blocked_until == days(41)
    book(people["b"], network["b"], kit, 42, 60)
