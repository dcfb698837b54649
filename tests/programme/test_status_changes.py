"""A published event that is marked full, postponed, moved to new dates or cancelled: everyone
registered or waiting is told by e-mail (in French, with a cancel link), the audit log keeps it,
and registrations follow the status."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.models import Role
from maillon.programme import changes, registrations, services
from maillon.programme.models import Event, EventStatus, Registration, RegistrationStatus
from maillon.programme.services import ProgrammeError
from tests.programme.conftest import SOON, at

PUBLIC = "https://bibliotheques.example.org"


@pytest.fixture
def event(staff, network, kinds, room):
    made = services.create_event(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=kinds["story-time"],
        title="Heure du conte",
        capacity=2,
        registration_required=True,
    )
    services.add_sessions(
        staff[Role.LIBRARIAN],
        made,
        [
            (at(SOON, 10), at(SOON, 11)),
            (at(SOON + dt.timedelta(weeks=1), 10), at(SOON + dt.timedelta(weeks=1), 11)),
        ],
        room,
    )
    return services.publish(staff[Role.LIBRARIAN], made)


@pytest.fixture
def people(event):
    """Two registered, one waiting, one without e-mail (phone at the desk), one cancelled."""
    made = [
        registrations.register(event, name="Martin", email="martin@example.org"),
        registrations.register(event, name="Durand", phone="05 49 00 00 00"),
        registrations.register(event, name="Petit", email="petit@example.org"),
        registrations.register(event, name="Roux", email="roux@example.org"),
    ]
    registrations.cancel(made[3])
    mail.outbox.clear()
    return made


def test_cancelling_tells_everyone_registered_or_waiting(
    event, people, staff, settings, django_capture_on_commit_callbacks
):
    settings.MAILLON_PUBLIC_URL = PUBLIC
    assert [p.status for p in people[:3]] == ["confirmed", "confirmed", "waiting"]
    with django_capture_on_commit_callbacks(execute=True):
        changes.cancel_event(staff[Role.LIBRARIAN], event, reason="Conteuse malade")
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["martin@example.org", "petit@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Annulé : Heure du conte"
    assert "est annulé" in message.body and "Conteuse malade" in message.body
    assert "Pour annuler" not in message.body  # nothing left to cancel
    entry = AuditEntry.objects.get(action="event_cancelled")
    assert entry.details["told"] == 2 and entry.library_id == event.library_id
    with pytest.raises(ProgrammeError) as refused:
        registrations.register(event, name="Lenoir", email="lenoir@example.org")
    assert refused.value.code == "event_cancelled"
    assert "annulé" in refused.value.message
    with pytest.raises(ProgrammeError) as twice:
        changes.cancel_event(staff[Role.LIBRARIAN], event)
    assert twice.value.code == "status_unchanged"


def test_postponing_keeps_places_and_closes_registrations(
    event, people, staff, settings, django_capture_on_commit_callbacks
):
    settings.MAILLON_PUBLIC_URL = PUBLIC
    with django_capture_on_commit_callbacks(execute=True):
        changes.postpone_event(staff[Role.LIBRARIAN], event, reason="Travaux dans la salle")
    assert len(mail.outbox) == 2
    body = next(m.body for m in mail.outbox if m.to == ["martin@example.org"])
    assert "est reporté" in body and "Travaux dans la salle" in body
    martin = Registration.objects.get(name="Martin")
    assert martin.status == RegistrationStatus.CONFIRMED
    assert PUBLIC + reverse("opac:registration_cancel", args=[martin.token]) in body
    with pytest.raises(ProgrammeError) as refused:
        registrations.register(event, name="Lenoir", email="lenoir@example.org")
    assert refused.value.code == "event_postponed"


def test_new_dates_move_the_sessions_with_their_people(
    event, people, staff, django_capture_on_commit_callbacks
):
    changes.postpone_event(staff[Role.LIBRARIAN], event)
    mail.outbox.clear()
    first, second = event.sessions.order_by("starts_at")
    later = SOON + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        changes.reschedule_event(
            staff[Role.LIBRARIAN],
            event,
            {first.pk: (at(later, 14), at(later, 15))},
            base_url="http://testserver/",
        )
    first.refresh_from_db()
    assert (first.starts_at, first.ends_at) == (at(later, 14), at(later, 15))
    assert Event.objects.get(pk=event.pk).status == EventStatus.RESCHEDULED
    assert len(mail.outbox) == 2
    martin = next(m for m in mail.outbox if m.to == ["martin@example.org"])
    assert martin.subject == "Nouvelles dates : Heure du conte"
    assert "14 h" in martin.body
    assert "http://testserver/agenda/inscription/" in martin.body  # the request's address
    assert "liste d’attente" in next(m.body for m in mail.outbox if m.to == ["petit@example.org"])
    # Registrations are open again, and the waiting list still comes first.
    newcomer = registrations.register(event, name="Lenoir", email="lenoir@example.org")
    assert newcomer.status == RegistrationStatus.WAITING
    assert AuditEntry.objects.get(action="event_rescheduled").details["sessions"] == 1


def test_new_dates_are_checked(event, people, staff, network, kinds, room):
    first, second = event.sessions.order_by("starts_at")
    librarian = staff[Role.LIBRARIAN]
    with pytest.raises(ProgrammeError) as backwards:
        changes.reschedule_event(librarian, event, {first.pk: (at(SOON, 12), at(SOON, 11))})
    assert backwards.value.code == "ends_before_start"
    with pytest.raises(ProgrammeError) as past:
        changes.reschedule_event(
            librarian,
            event,
            {
                first.pk: (
                    at(SOON - dt.timedelta(days=30), 10),
                    at(SOON - dt.timedelta(days=30), 11),
                )
            },
        )
    assert past.value.code == "date_past"
    other = services.create_event(librarian, network["a"], kind=kinds["screening"], title="Film")
    services.add_sessions(librarian, other, [(at(SOON, 15), at(SOON, 17))], room)
    with pytest.raises(ProgrammeError) as taken:
        changes.reschedule_event(librarian, event, {first.pk: (at(SOON, 16), at(SOON, 17))})
    assert taken.value.code == "room_taken" and "Film" in taken.value.message
    # Swapping the two dates of the event itself is no clash with itself.
    changes.reschedule_event(
        librarian,
        event,
        {first.pk: (second.starts_at, second.ends_at), second.pk: (first.starts_at, first.ends_at)},
    )
    with pytest.raises(ProgrammeError) as elsewhere:
        changes.reschedule_event(
            librarian, event, {other.sessions.get().pk: (at(SOON, 9), at(SOON, 10))}
        )
    assert elsewhere.value.code == "session_elsewhere"
    assert other.sessions.get().starts_at == at(SOON, 15)


def test_full_sends_newcomers_to_the_waiting_list(event, staff, django_capture_on_commit_callbacks):
    martin = registrations.register(event, name="Martin", email="martin@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changes.mark_full(staff[Role.LIBRARIAN], event)
    assert [m.subject for m in mail.outbox] == ["Complet : Heure du conte"]
    assert "votre place" in mail.outbox[0].body.lower()
    # One place seems free, but the library said full (a group at the desk).
    assert (
        registrations.register(event, name="Petit", email="petit@example.org").status == "waiting"
    )
    changes.reopen(staff[Role.LIBRARIAN], event)
    registrations.cancel(martin)  # the freed place goes to the queue
    assert Registration.objects.get(name="Petit").status == RegistrationStatus.CONFIRMED


def test_only_the_event_s_managers_change_it(event, staff):
    for who in (Role.VOLUNTEER,):
        with pytest.raises(Exception) as denied:
            changes.cancel_event(staff[who], event)
        assert denied.type.__name__ == "PermissionDenied"
    changes.cancel_event(staff[Role.COORDINATOR], event)  # the coordinator edits every event


def test_a_draft_or_an_event_over_is_not_changed(staff, network, kinds):
    librarian = staff[Role.LIBRARIAN]
    draft = services.create_event(librarian, network["a"], kind=kinds["screening"], title="Film")
    services.add_sessions(librarian, draft, [(at(SOON, 10), at(SOON, 11))])
    with pytest.raises(ProgrammeError) as not_yet:
        changes.cancel_event(librarian, draft)
    assert not_yet.value.code == "not_published"
    services.publish(librarian, draft)
    draft.sessions.update(
        starts_at=at(SOON - dt.timedelta(days=40), 10), ends_at=at(SOON - dt.timedelta(days=40), 11)
    )
    with pytest.raises(ProgrammeError) as over:
        changes.postpone_event(librarian, draft)
    assert over.value.code == "event_over" and "terminé" in over.value.message


def test_places_never_fall_below_those_taken(event, people, staff):
    with pytest.raises(ProgrammeError) as refused:
        services.update_event(staff[Role.LIBRARIAN], event, capacity=1)
    assert refused.value.code == "capacity_below_taken" and refused.value.field == "capacity"
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_staff_page_changes_the_status(event, people, client_fr, staff):
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get(reverse("programme:event", args=[event.pk])).content.decode()
    assert "Annuler l’animation" in page and "Reporter" in page
    response = client_fr.post(
        reverse("programme:change_status", args=[event.pk]),
        {"change": "postpone", "reason": "Intempéries"},
        follow=True,
    )
    assert "est reportée" in response.content.decode()
    assert Event.objects.get(pk=event.pk).status_note == "Intempéries"
    first = event.sessions.order_by("starts_at").first()
    later = SOON + dt.timedelta(days=30)
    form = {f"day_{s.pk}": timezone_day(s) for s in event.sessions.all()}
    form |= {f"starts_{s.pk}": "10:00" for s in event.sessions.all()}
    form |= {f"ends_{s.pk}": "11:00" for s in event.sessions.all()}
    form[f"day_{first.pk}"] = later.isoformat()
    response = client_fr.post(reverse("programme:reschedule", args=[event.pk]), form, follow=True)
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.starts_at == at(later, 10)
    public = client_fr.get(reverse("opac:event", args=[event.pk])).content.decode()
    assert "Reprogrammé" in public or "reprogrammé" in public.lower()
    mail.outbox.clear()
    client_fr.post(reverse("programme:change_status", args=[event.pk]), {"change": "nothing"})
    assert Event.objects.get(pk=event.pk).status == EventStatus.RESCHEDULED


def timezone_day(session) -> str:
    from django.utils import timezone

    return timezone.localtime(session.starts_at).date().isoformat()
