"""A booking's life: requested → approved / refused → delivered → returned → checked, or
cancelled by its library before delivery; each step audited, illegal steps refused, and only
the right people may take them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from maillon.audit.labels import ACTIONS
from maillon.audit.services import entries_for
from maillon.bookings import services
from maillon.bookings.models import BookingStatus, Resource

from .conftest import book, days


@pytest.fixture
def booking(expo, people, network):
    return book(people["a"], network["a"], expo, 20, 50)


def test_the_whole_life_is_audited(booking, people):
    services.approve(people["md"], booking)
    services.deliver(people["md"], booking)
    services.mark_returned(people["md"], booking)
    done = services.check(people["md"], booking, today=days(52))
    assert done.status == BookingStatus.CHECKED and done.blocked_until == days(52)
    actions = list(entries_for(booking).order_by("pk").values_list("action", flat=True))
    assert actions == [
        "booking_requested",
        "booking_approved",
        "booking_delivered",
        "booking_returned",
        "booking_checked",
    ]
    with translation.override("fr"):
        assert all(str(ACTIONS[a]) != a for a in actions)


def test_refusal_needs_a_reason_and_is_final(booking, people):
    with pytest.raises(services.BookingError) as error:
        services.refuse(people["md"], booking, "  ")
    assert error.value.code == "reason_missing" and error.value.field == "reason"
    services.refuse(people["md"], booking, "Exposition en restauration")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED and booking.reason
    for step in (services.approve, services.deliver, services.cancel):
        with pytest.raises(services.BookingError) as error:
            step(people["md"] if step is not services.cancel else people["a"], booking)
        assert error.value.code == "wrong_status"


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ("deliver", "wrong_status"),  # not approved yet
        ("mark_returned", "wrong_status"),
    ],
)
def test_illegal_steps_from_requested(booking, people, step, code):
    with pytest.raises(services.BookingError) as error, translation.override("fr"):
        getattr(services, step)(people["md"], booking)
    assert error.value.code == code and "demandée" in error.value.message


def test_no_cancel_after_delivery(booking, people):
    services.approve(people["md"], booking)
    services.deliver(people["md"], booking)
    with pytest.raises(services.BookingError) as error:
        services.cancel(people["a"], booking)
    assert error.value.code == "wrong_status"
    with pytest.raises(services.BookingError):
        services.check(people["md"], booking)  # not returned yet


def test_cancel_by_the_library_before_delivery(booking, people):
    services.approve(people["md"], booking)
    assert services.cancel(people["volunteer"], booking).status == BookingStatus.CANCELLED
    assert "booking_cancelled" in entries_for(booking).values_list("action", flat=True)


def test_damage_needs_notes_and_marks_the_resource(booking, people, expo):
    services.approve(people["md"], booking)
    services.deliver(people["md"], booking)
    services.mark_returned(people["md"], booking)
    with pytest.raises(services.BookingError) as error:
        services.check(people["md"], booking, damaged=True)
    assert error.value.code == "notes_missing"
    services.check(people["md"], booking, damaged=True, notes="Panneau 4 déchiré")
    expo.refresh_from_db()
    assert expo.state == Resource.State.DAMAGED


def test_others_cannot_decide_or_cancel(booking, people):
    # A volunteer (or librarian) of another library, and the borrower itself, cannot decide.
    for who in ("volunteer_b", "b", "a", "volunteer"):
        with pytest.raises(PermissionDenied):
            services.approve(people[who], booking)
        with pytest.raises(PermissionDenied):
            services.refuse(people[who], booking, "Non")
    for who in ("volunteer_b", "b", "md"):
        with pytest.raises(PermissionDenied):
            services.cancel(people[who], booking)
    # The coordinator may decide for any owner.
    assert services.approve(people["coord"], booking).status == BookingStatus.APPROVED


def test_a_volunteer_books_only_for_their_library(expo, people, network):
    with pytest.raises(PermissionDenied):
        book(people["volunteer"], network["b"], expo, 20, 40)
    book(people["coord"], network["b"], expo, 20, 40)  # the coordinator books for anyone


def test_resources_are_created_and_changed_by_their_owners_staff(people, network, kinds, expo):
    with pytest.raises(PermissionDenied):
        services.create_resource(people["a"], kind=kinds["jeu"], title="Jeu", owner=network["md"])
    own = services.create_resource(
        people["a"], kind=kinds["jeu"], title="Malle de jeux", owner=network["a"]
    )
    with pytest.raises(PermissionDenied):
        services.update_resource(people["b"], own, title="Autre")
    with pytest.raises(PermissionDenied):
        services.update_resource(people["a"], own, owner=network["md"])
    services.update_resource(people["coord"], expo, crates=4, title="Les p’tites bêtes")
    entry = entries_for(expo).filter(action="resource_changed").get()
    assert entry.details["resource_changes"]["crates"] == ["3", "4"]
    with pytest.raises(services.BookingError) as error:
        services.update_resource(people["md"], expo, title=" ")
    assert error.value.code == "title_missing"
