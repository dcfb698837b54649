"""The demo's season: events in several libraries' rooms, published ones on the agenda."""

import datetime as dt

from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.demo import build_network
from maillon.programme import calendar, figures, registrations
from maillon.programme.demo import build_programme
from maillon.programme.models import (
    CalendarRules,
    ClassVisit,
    Event,
    EventStatus,
    Meeting,
    MeetingKind,
    Programme,
    RegistrationStatus,
    Session,
)

TODAY = dt.date(2026, 11, 25)


def test_demo_programme(db, client_fr):
    build_network("maillon-demo", TODAY)
    made = build_programme(TODAY)
    assert made["events"] >= 8
    assert Event.objects.values("library").distinct().count() >= 5
    committee = Meeting.objects.get(kind=MeetingKind.READING_COMMITTEE)
    assert committee.minutes and committee.books.filter(verdict="pick").count() == 2
    training = Meeting.objects.get(kind=MeetingKind.TRAINING)
    volunteers = training.participants.filter(attended=True, user__staff_roles__role="volunteer")
    assert volunteers.distinct().count() == 2
    assert Meeting.objects.filter(
        kind=MeetingKind.WORKING_GROUP, participants__response="coming"
    ).exists()
    visits = ClassVisit.objects.filter(library__code="MAZ")
    assert visits.values("class_name").distinct().count() == 2 and visits.count() > 10
    assert not Event.objects.filter(kind__code="class-visit").exists()  # no public page
    assert ClassVisit.objects.filter(library__code="SEC").count() == 1
    network = figures.for_period(None, TODAY - dt.timedelta(days=60), TODAY)
    assert network.class_visits >= 2 and network.pupils >= 44 and network.counted == 71
    assert Event.objects.filter(partners__isnull=False).exists()
    assert Session.objects.filter(event__title__startswith="Heure du conte").count() == 8
    story = Event.objects.get(title__startswith="Heure du conte")
    waiting = story.registrations.filter(status=RegistrationStatus.WAITING)
    assert registrations.taken(story, None) <= story.capacity and waiting.count() >= 2
    cancelled = Event.objects.get(status=EventStatus.CANCELLED)
    assert cancelled.registrations.count() == 3 and cancelled.status_note
    assert (
        AuditEntry.objects.get(action="event_cancelled", object_id=cancelled.pk).details["told"]
        == 3
    )
    clash = calendar.clashes(
        calendar.sessions_between(TODAY, TODAY + dt.timedelta(days=14)), CalendarRules.current()
    )
    assert any({lib.code for lib in c.libraries} == {"PAR", "SAC"} for c in clash)
    nights = Programme.objects.get(name="Nuits de la lecture")
    assert nights.events.values("library").distinct().count() >= 3
    assert Programme.objects.count() == 5
    assert build_programme(TODAY) == {}  # once
    page = client_fr.get(reverse("opac:event", args=[story.pk])).content.decode()
    assert "toutes les dates" in page and "10 h 30" in page  # a date of the series to choose
    page = client_fr.get(reverse("opac:agenda"), {"du": TODAY.isoformat()}).content.decode()
    assert "Rencontre avec Lucie Marchal" in page
