"""Registrations: places never exceed the capacity, the waiting list moves up on a cancellation,
e-mails say so, reminders go the day before, staff record who came; the iCalendar feed."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from maillon.network.models import Role
from maillon.programme import registrations, services
from maillon.programme.models import Audience, Registration, RegistrationStatus
from tests.programme.conftest import SOON, at

CONFIRMED, WAITING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING


@pytest.fixture
def event(staff, network, kinds):
    made = services.create_event(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=kinds["story-time"],
        title="Heure du conte",
        audience=Audience.CHILDREN,
        capacity=3,
        registration_required=True,
    )
    services.add_sessions(staff[Role.LIBRARIAN], made, [(at(SOON, 10, 30), at(SOON, 11, 15))])
    return services.publish(staff[Role.LIBRARIAN], made)


def visitor(event, name, places=1, **kw):
    return registrations.register(
        event, name=name, email=f"{name.lower()}@example.org", places=places, **kw
    )


def test_full_then_waiting_list_then_promotion(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        family = visitor(event, "Martin", places=2)
        one = visitor(event, "Durand")
        late = visitor(event, "Petit")
        later = visitor(event, "Roux")
    assert [family.status, one.status, late.status, later.status] == [
        CONFIRMED,
        CONFIRMED,
        WAITING,
        WAITING,
    ]
    assert registrations.remaining(event) == 0
    assert "liste d’attente" in mail.outbox[2].body or "liste d'attente" in mail.outbox[2].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registrations.cancel(family)
    assert [r.pk for r in promoted] == [late.pk, later.pk]  # two places freed, two move up
    assert Registration.objects.get(pk=later.pk).status == CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == ["petit@example.org", "roux@example.org"]
    assert registrations.cancel(family) == []  # twice: nothing more


def test_nobody_jumps_the_queue(event):
    visitor(event, "Martin", places=3)
    group = visitor(event, "Ecole", places=2)
    single = visitor(event, "Petit")
    assert single.status == WAITING  # even though the list is not empty for a bigger group
    registrations.cancel(Registration.objects.get(name="Martin"))
    assert Registration.objects.get(pk=group.pk).status == CONFIRMED
    assert Registration.objects.get(pk=single.pk).status == CONFIRMED


def test_double_submit_gives_the_first_back(event):
    first = visitor(event, "Martin")
    assert visitor(event, "Martin").pk == first.pk
    assert Registration.objects.count() == 1


def test_patron_registers(event, make_patron):
    patron = make_patron("Lefebvre")
    patron.email = "lefebvre@example.org"
    patron.save()
    registration = registrations.register(event, patron=patron, places=2)
    assert registration.patron == patron and registration.status == CONFIRMED
    assert registrations.register(event, patron=patron).pk == registration.pk


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "cancelled"}, "event_cancelled"),
        ({"status": "draft"}, "event_closed"),
        ({"registration_required": False}, "no_registration"),
    ],
)
def test_refused(event, change, code):
    type(event).objects.filter(pk=event.pk).update(**change)
    with pytest.raises(services.ProgrammeError) as refused:
        visitor(event, "Martin")
    assert refused.value.code == code


def test_past_event_and_bad_contact(event):
    with pytest.raises(services.ProgrammeError) as refused:
        visitor(event, "Martin", now=at(SOON, 11))
    assert refused.value.code == "event_past"
    with pytest.raises(services.ProgrammeError) as refused:
        registrations.register(event, name="Sans contact")
    assert refused.value.code == "contact_missing"


def test_reminders_the_day_before(event):
    visitor(event, "Martin")
    registrations.cancel(visitor(event, "Durand"))
    mail.outbox.clear()
    assert registrations.send_reminders(SOON - dt.timedelta(days=2)) == 0
    assert registrations.send_reminders(SOON - dt.timedelta(days=1)) == 1
    assert registrations.send_reminders(SOON - dt.timedelta(days=1)) == 0  # once
    assert mail.outbox[0].to == ["martin@example.org"]
    assert "10 h 30" in mail.outbox[0].body


def test_public_registration_and_cancel_link(client_fr, event, django_capture_on_commit_callbacks):
    page = reverse("opac:event", args=[event.pk])
    assert "3 places restantes" in client_fr.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_fr.post(
            page, {"name": "Martin", "email": "martin@example.org", "places": 1}
        )
    registration = Registration.objects.get()
    assert answer["Location"] == reverse("opac:registration", args=[registration.token])
    link = reverse("opac:registration_cancel", args=[registration.token])
    assert f"http://testserver{link}" in mail.outbox[0].body
    assert "inscrit" in client_fr.get(answer["Location"]).content.decode()
    client_fr.post(answer["Location"])
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    answer = client_fr.post(page, {"name": "", "email": "", "places": 1})
    assert answer.status_code == 200 and Registration.objects.count() == 1


def test_staff_record_attendance(client_fr, staff, event):
    came, absent = visitor(event, "Martin"), visitor(event, "Durand")
    client_fr.force_login(staff[Role.LIBRARIAN])
    assert "Martin" in client_fr.get(reverse("programme:event", args=[event.pk])).content.decode()
    client_fr.post(reverse("programme:attendance", args=[event.pk]), {"present": [came.pk]})
    assert Registration.objects.get(pk=came.pk).attended is True
    assert Registration.objects.get(pk=absent.pk).attended is False


def test_ical_feed(client, event, network):
    feed = client.get(reverse("opac:agenda_ics"))
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Heure du conte"
    assert entry.decoded("dtstart") == at(SOON, 10, 30)
    mine = client.get(reverse("opac:library_ics", args=["AAA"]))
    assert len(icalendar.Calendar.from_ical(mine.content).walk("VEVENT")) == 1
    other = client.get(reverse("opac:library_ics", args=["BBB"]))
    assert icalendar.Calendar.from_ical(other.content).walk("VEVENT") == []
