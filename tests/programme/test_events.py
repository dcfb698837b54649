"""Events, their sessions and rooms: made by the services, shown on the staff pages and the
public agenda."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from maillon.audit.models import AuditEntry
from maillon.network.models import Role
from maillon.programme import dates, services
from maillon.programme.models import Audience, Event, EventStatus, Session
from tests.programme.conftest import SOON, at


def story(staff, network, kinds, **fields):
    defaults = {
        "kind": kinds["story-time"],
        "title": "Heure du conte",
        "audience": Audience.CHILDREN,
    }
    return services.create_event(staff[Role.LIBRARIAN], network["a"], **(defaults | fields))


def test_create_event_is_a_draft_and_audited(staff, network, kinds):
    event = story(staff, network, kinds, capacity=20, registration_required=True, motor=True)
    assert event.status == EventStatus.DRAFT
    assert event.accessibility() == ["accessible aux personnes à mobilité réduite"]
    assert AuditEntry.objects.filter(action="event_created").count() == 1


def test_librarian_of_another_library_may_not_create(staff, network, kinds):
    with pytest.raises(PermissionDenied):
        services.create_event(
            staff[Role.LIBRARIAN], network["b"], kind=kinds["story-time"], title="Ailleurs"
        )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"registration_required": True}, "capacity_missing"),
        ({"age_min": 8, "age_max": 5}, "ages_reversed"),
        ({"title": "  "}, "title_missing"),
    ],
)
def test_bad_event_refused(staff, network, kinds, fields, code):
    with pytest.raises(services.ProgrammeError) as refused:
        story(staff, network, kinds, **fields)
    assert refused.value.code == code
    assert not Event.objects.exists()


def test_session_ending_before_it_starts(staff, network, kinds):
    event = story(staff, network, kinds)
    with pytest.raises(services.ProgrammeError) as refused:
        services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 11), at(SOON, 10))])
    assert refused.value.code == "ends_before_start"
    assert not Session.objects.exists()


def test_a_room_hosts_one_event_at_a_time(staff, network, kinds, room):
    first = story(staff, network, kinds)
    second = story(staff, network, kinds, title="Projection", kind=kinds["screening"])
    services.add_sessions(staff[Role.LIBRARIAN], first, [(at(SOON, 10), at(SOON, 11))], room)
    with pytest.raises(services.ProgrammeError) as refused:
        services.add_sessions(
            staff[Role.LIBRARIAN], second, [(at(SOON, 10, 30), at(SOON, 12))], room
        )
    assert refused.value.code == "room_taken" and "Heure du conte" in refused.value.message
    # Back to back is fine, and a cancelled event frees its room.
    services.add_sessions(staff[Role.LIBRARIAN], second, [(at(SOON, 11), at(SOON, 12))], room)
    Event.objects.filter(pk=first.pk).update(status=EventStatus.CANCELLED)
    services.add_sessions(staff[Role.LIBRARIAN], second, [(at(SOON, 9), at(SOON, 10, 45))], room)
    assert second.sessions.count() == 2


def test_recurring_series_all_or_nothing(staff, network, kinds, room):
    first = story(staff, network, kinds)
    later = SOON + dt.timedelta(weeks=2)
    services.add_sessions(staff[Role.LIBRARIAN], first, [(at(later, 10), at(later, 11))], room)
    series = story(staff, network, kinds, title="Série")
    spans = services.weekly(at(SOON, 10), at(SOON, 11), 4)
    with pytest.raises(services.ProgrammeError):
        services.add_sessions(staff[Role.LIBRARIAN], series, spans, room)  # week 3 clashes
    assert not series.sessions.exists()
    services.add_sessions(staff[Role.LIBRARIAN], series, spans)  # elsewhere, no room
    assert [s.starts_at for s in series.sessions.all()] == [s for s, _e in spans]


def test_room_smaller_than_the_places(staff, network, kinds, room):
    event = story(staff, network, kinds, capacity=50, registration_required=True)
    with pytest.raises(services.ProgrammeError) as refused:
        services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 10), at(SOON, 11))], room)
    assert refused.value.code == "room_too_small"


def test_publish_needs_a_date(staff, network, kinds):
    event = story(staff, network, kinds)
    with pytest.raises(services.ProgrammeError) as refused:
        services.publish(staff[Role.LIBRARIAN], event)
    assert refused.value.code == "no_session"
    services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 10), at(SOON, 11))])
    assert services.publish(staff[Role.LIBRARIAN], event).status == EventStatus.PUBLISHED


def test_french_dates():
    zone = timezone.get_current_timezone()
    with translation.override("fr"):
        assert dates.moment(dt.datetime(2028, 2, 1, 10, 30, tzinfo=zone)) == (
            "mardi 1er février à 10 h 30"
        )
        assert (
            dates.span(
                dt.datetime(2025, 2, 1, 14, tzinfo=zone), dt.datetime(2025, 2, 1, 16, tzinfo=zone)
            )
            == "samedi 1er février de 14 h à 16 h"
        )
    with translation.override("en"):
        assert dates.moment(dt.datetime(2028, 2, 1, 10, 30, tzinfo=zone)) == (
            "Tuesday 1 February at 10:30"
        )


def test_staff_create_add_a_series_and_publish(client_fr, staff, network, kinds, room):
    client_fr.force_login(staff[Role.LIBRARIAN])
    answer = client_fr.post(
        reverse("programme:create"),
        {
            "library": network["a"].pk,
            "title": "Heure du conte",
            "kind": kinds["story-time"].pk,
            "audience": "children",
            "age_min": "3",
            "age_max": "6",
            "attendance_mode": "1",
            "capacity": "20",
            "registration_required": "on",
            "motor": "on",
        },
    )
    event = Event.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "programme:event", args=[event.pk]
    )
    answer = client_fr.post(
        reverse("programme:event", args=[event.pk]),
        {
            "day": SOON.isoformat(),
            "starts": "10:30",
            "ends": "11:15",
            "weeks": "3",
            "room": room.pk,
        },
    )
    assert answer.status_code == 302
    assert event.sessions.count() == 3
    page = client_fr.get(reverse("programme:event", args=[event.pk])).content.decode()
    assert "de 10 h 30 à 11 h 15" in page
    client_fr.post(reverse("programme:publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert "Heure du conte" in client_fr.get(reverse("programme:list")).content.decode()


def test_staff_form_shows_the_refusal(client_fr, staff, network, kinds):
    client_fr.force_login(staff[Role.LIBRARIAN])
    event = story(staff, network, kinds)
    page = client_fr.post(
        reverse("programme:event", args=[event.pk]),
        {"day": SOON.isoformat(), "starts": "11:00", "ends": "10:00", "weeks": "1"},
    ).content.decode()
    assert "se termine avant de commencer" in page
    assert not event.sessions.exists()


def test_public_agenda_filters(client_fr, staff, network, kinds):
    child = story(staff, network, kinds, title="Contes pour les petits")
    services.add_sessions(staff[Role.LIBRARIAN], child, [(at(SOON, 10), at(SOON, 11))])
    services.publish(staff[Role.LIBRARIAN], child)
    film = services.create_event(
        staff[Role.COORDINATOR],
        network["b"],
        kind=kinds["screening"],
        title="Ciné-club",
        audience=Audience.ADULTS,
    )
    later = SOON + dt.timedelta(days=5)
    services.add_sessions(staff[Role.COORDINATOR], film, [(at(later, 20), at(later, 22))])
    services.publish(staff[Role.COORDINATOR], film)
    draft = story(staff, network, kinds, title="Brouillon secret")
    services.add_sessions(staff[Role.LIBRARIAN], draft, [(at(SOON, 15), at(SOON, 16))])

    agenda = reverse("opac:agenda")
    page = client_fr.get(agenda).content.decode()
    assert "Contes pour les petits" in page and "Ciné-club" in page
    assert "Brouillon secret" not in page
    assert page.index("Contes pour les petits") < page.index("Ciné-club")
    page = client_fr.get(agenda, {"bibliotheque": "BBB"}).content.decode()
    assert "Ciné-club" in page and "Contes pour les petits" not in page
    page = client_fr.get(agenda, {"public": "children"}).content.decode()
    assert "Contes pour les petits" in page and "Ciné-club" not in page
    page = client_fr.get(agenda, {"du": later.isoformat()}).content.decode()
    assert "Ciné-club" in page and "Contes pour les petits" not in page
    page = client_fr.get(agenda, {"du": "pas une date"}).content.decode()
    assert "Ciné-club" in page

    assert client_fr.get(reverse("opac:event", args=[draft.pk])).status_code == 404
    page = client_fr.get(reverse("opac:event", args=[film.pk])).content.decode()
    assert "Ciné-club" in page and "de 20 h à 22 h" in page
