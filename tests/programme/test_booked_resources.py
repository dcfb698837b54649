"""A booking of an animation resource can serve an event of the cultural programme: chosen on
the booking's page among the booking library's events near its dates, shown on the event's
page too; another library's event is refused in French."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from maillon.audit.services import entries_for
from maillon.bookings import services as bookings
from maillon.bookings.demo import build_bookings
from maillon.bookings.models import ResourceKind
from maillon.network.demo import build_network
from maillon.network.models import Role
from maillon.programme import booked, services
from maillon.programme.demo import build_programme, link_booked_resources
from maillon.programme.models import EventResource

from .conftest import at


@pytest.fixture
def booking(staff, network):
    expo = bookings.create_resource(
        staff[Role.MD_STAFF],
        kind=ResourceKind.objects.get(code="exposition"),
        title="Les p’tites bêtes du jardin",
        owner=network["md"],
    )
    start = timezone.localdate() + dt.timedelta(days=20)
    return bookings.request_booking(
        staff[Role.LIBRARIAN], network["a"], expo, start, start + dt.timedelta(days=20)
    )


def _event(staff, library, kinds, title, day):
    actor = staff[Role.LIBRARIAN] if library.code == "AAA" else staff[Role.MD_STAFF]
    event = services.create_event(actor, library, title=title, kind=kinds["story-time"])
    services.add_sessions(actor, event, [(at(day, 10), at(day, 11))])
    return event


def test_link_choose_and_show(client_fr, staff, network, kinds, booking):
    ours = _event(staff, network["a"], kinds, "Fête des insectes", booking.start)
    far = _event(staff, network["a"], kinds, "Loin", booking.end + dt.timedelta(days=200))
    assert list(booked.choices(booking)) == [ours]
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get(reverse("bookings:booking", args=[booking.pk])).content.decode()
    assert "Fête des insectes" in page and "Loin" not in page
    client_fr.post(reverse("programme:booking_event", args=[booking.pk]), {"event": ours.pk})
    assert EventResource.objects.get(booking=booking).event == ours
    assert entries_for(ours).filter(action="booking_event_linked").exists()
    page = client_fr.get(reverse("programme:event", args=[ours.pk])).content.decode()
    assert "Les p’tites bêtes du jardin" in page
    response = client_fr.post(
        reverse("programme:booking_event", args=[booking.pk]), {"event": far.pk}, follow=True
    )
    assert "Choisissez" in response.content.decode()
    assert EventResource.objects.get(booking=booking).event == ours  # nothing changed
    client_fr.post(reverse("programme:booking_event", args=[booking.pk]), {"event": ""})
    assert not EventResource.objects.exists()


def test_another_librarys_event_is_refused(staff, network, kinds, booking, make_staff):
    theirs = _event(staff, network["md"], kinds, "Ailleurs", booking.start)
    with pytest.raises(services.ProgrammeError) as error:
        booked.link(staff[Role.LIBRARIAN], booking, theirs)
    assert error.value.code == "not_this_library"
    outsider = make_staff("outsider", (network["b"], Role.LIBRARIAN))
    with pytest.raises(PermissionDenied):
        booked.link(outsider, booking, None)


def test_the_demo_links_a_booking_to_an_event(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = dt.date(2026, 11, 25)
    build_network("maillon-demo", today)
    build_programme(today)
    build_bookings(today)
    assert link_booked_resources(today) == 1
    link = EventResource.objects.select_related("booking", "event").get()
    assert link.event.library_id == link.booking.library_id or link.event.other_libraries.filter(
        pk=link.booking.library_id
    )
    assert link_booked_resources(today) == 0  # once
