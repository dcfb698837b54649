"""An event cancelled while someone registers (PostgreSQL, threads): either the registration
comes first and its person is told of the cancellation, or it comes after and is refused.

Without the event's lock, the cancellation reads who to tell, a registration slips in, and the
newcomer holds a place at a cancelled event that nobody told them about: the first test shows it."""

import threading

import pytest
from django.core import mail
from django.db import connection

from maillon.audit.models import AuditEntry
from maillon.programme import changes, registrations
from maillon.programme.models import Event, Registration, RegistrationStatus
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user
from tests.programme.test_registration_concurrency import make_event, take

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def cancel(event_pk):
    return changes.cancel_event(user("libr"), Event.objects.get(pk=event_pk))


def live(event):
    return Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)


def test_without_the_lock_a_newcomer_is_never_told(staff, network, kinds, monkeypatch):
    event = make_event(staff, network, kinds, capacity=5)
    take(event.pk, "premier")
    read, registered = threading.Event(), threading.Event()
    original_people = changes._people

    def people_then_wait(event_):
        found = original_people(event_)
        read.set()
        registered.wait(TIMEOUT)  # the newcomer registers between the reading and the writing
        return found

    def unlocked(actor, event_, to, now):
        return Event.objects.select_related("library").get(pk=event_.pk)

    def newcomer():
        read.wait(TIMEOUT)
        try:
            return take(event.pk, "nouveau")
        finally:
            registered.set()

    monkeypatch.setattr(changes, "_locked", unlocked)
    monkeypatch.setattr(changes, "_people", people_then_wait)
    mail.outbox.clear()
    outcomes = in_parallel(lambda: cancel(event.pk), newcomer)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert live(event).count() == 2
    assert AuditEntry.objects.get(action="event_cancelled").details["told"] == 1  # one missed


def test_with_the_lock_everyone_registered_is_told(staff, network, kinds):
    for round_ in range(3):
        event = make_event(staff, network, kinds, capacity=5)
        take(event.pk, f"premier{round_}")
        outcomes = in_parallel(
            lambda e=event.pk: cancel(e), lambda e=event.pk, r=round_: take(e, f"nouveau{r}")
        )
        refused = [o for o in outcomes if isinstance(o, registrations.ProgrammeError)]
        assert len(refused) <= 1 and all(o.code == "event_cancelled" for o in refused), outcomes
        told = AuditEntry.objects.filter(action="event_cancelled", object_id=event.pk).get()
        assert told.details["told"] == live(event).count() == 2 - len(refused)
