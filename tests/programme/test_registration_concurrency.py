"""The last place taken by two people at once; a cancellation and a registration at once
(PostgreSQL, threads): capacity is never exceeded and exactly one person moves up."""

import pytest
from django.db import connection

from maillon.network.models import Role
from maillon.programme import registrations, services
from maillon.programme.models import Event, Registration, RegistrationStatus
from tests.circulation.test_concurrency import in_parallel
from tests.programme.conftest import SOON, at

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def make_event(staff, network, kinds, capacity):
    event = services.create_event(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=kinds["story-time"],
        title="Heure du conte",
        capacity=capacity,
        registration_required=True,
    )
    services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 10), at(SOON, 11))])
    return services.publish(staff[Role.LIBRARIAN], event)


def take(event_pk, name):
    return registrations.register(
        Event.objects.get(pk=event_pk), name=name, email=f"{name}@example.org"
    )


def test_two_people_for_the_last_place(staff, network, kinds):
    for round_ in range(3):
        event = make_event(staff, network, kinds, capacity=1)
        outcomes = in_parallel(
            lambda e=event.pk, r=round_: take(e, f"un{r}"),
            lambda e=event.pk, r=round_: take(e, f"deux{r}"),
        )
        assert sorted(o.status for o in outcomes) == ["confirmed", "waiting"], outcomes
        assert registrations.taken(event, None) == 1


def test_cancel_and_register_at_once_promote_one(staff, network, kinds):
    for round_ in range(3):
        event = make_event(staff, network, kinds, capacity=1)
        first = take(event.pk, f"premier{round_}")
        waiting = take(event.pk, f"attente{round_}")
        assert waiting.status == RegistrationStatus.WAITING
        outcomes = in_parallel(
            lambda f=first: registrations.cancel(Registration.objects.get(pk=f.pk)),
            lambda e=event.pk, r=round_: take(e, f"nouveau{r}"),
        )
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        assert [r.pk for r in confirmed] == [waiting.pk]  # the queue first, exactly one
