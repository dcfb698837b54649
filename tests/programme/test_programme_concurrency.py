"""Two librarians booking one room for the same hour at once: one gets it (PostgreSQL, threads).

Without the room's lock both read "free" and both sessions are written: the first test shows
that race, so the lock in services.add_sessions is what the second one proves."""

import threading

import pytest
from django.db import connection

from maillon.programme import services
from maillon.programme.models import Event, Room, Session
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user
from tests.programme.conftest import SOON, at

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def two_events(staff, network, kinds):
    from maillon.network.models import Role

    librarian = staff[Role.LIBRARIAN]
    return [
        services.create_event(librarian, network["a"], kind=kinds["story-time"], title=title)
        for title in ("Heure du conte", "Atelier")
    ]


def book(event: Event, room: Room):
    return services.add_sessions(
        user("libr"), Event.objects.get(pk=event.pk), [(at(SOON, 10), at(SOON, 11))], room
    )


def test_without_the_lock_both_take_the_room(staff, network, kinds, room, monkeypatch):
    first, second = two_events(staff, network, kinds)
    both_checked = threading.Barrier(2)
    original = services._room_clash

    def check_then_wait(room_, starts_at, ends_at):
        clash = original(room_, starts_at, ends_at)
        both_checked.wait(TIMEOUT)  # both have looked before either writes
        return clash

    monkeypatch.setattr(services, "_lock_room", lambda r: Room.objects.get(pk=r.pk))
    monkeypatch.setattr(services, "_room_clash", check_then_wait)
    outcomes = in_parallel(lambda: book(first, room), lambda: book(second, room))
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert Session.objects.filter(room=room).count() == 2  # the room is double-booked


def test_with_the_lock_one_gets_the_room(staff, network, kinds, room):
    for _round in range(3):
        Session.objects.all().delete()
        first, second = two_events(staff, network, kinds)
        outcomes = in_parallel(lambda f=first: book(f, room), lambda s=second: book(s, room))
        refused = [o for o in outcomes if isinstance(o, services.ProgrammeError)]
        assert len(refused) == 1 and refused[0].code == "room_taken", outcomes
        assert Session.objects.filter(room=room).count() == 1
