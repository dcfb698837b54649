"""The OpenAgenda-shaped export: what a département's agenda needs to take the events as they
are (title, timings, location, ages, the five accessibility flags, status, an external id)."""

from django.urls import reverse

from maillon.network.models import Role
from maillon.programme import services
from maillon.programme.models import Audience, EventStatus
from tests.programme.conftest import SOON, at


def test_openagenda_export(client, staff, network, kinds):
    event = services.create_event(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=kinds["story-time"],
        title="Heure du conte",
        description="Des albums lus à voix haute. " * 20,
        audience=Audience.CHILDREN,
        age_min=3,
        age_max=6,
        capacity=20,
        registration_required=True,
        motor=True,
    )
    services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 10), at(SOON, 11))])
    services.publish(staff[Role.LIBRARIAN], event)
    draft = services.create_event(
        staff[Role.LIBRARIAN], network["a"], kind=kinds["screening"], title="Brouillon"
    )
    del draft
    [shaped] = client.get(reverse("opac:agenda_openagenda")).json()["events"]
    assert shaped["extIds"] == [{"key": "maillon", "value": str(event.pk)}]
    assert shaped["title"] == {"fr": "Heure du conte"}
    assert len(shaped["description"]["fr"]) <= 200
    assert shaped["timings"] == [
        {"begin": at(SOON, 10).isoformat(), "end": at(SOON, 11).isoformat()}
    ]
    assert shaped["age"] == {"min": 3, "max": 6}
    assert shaped["accessibility"] == {
        "hi": False,
        "ii": False,
        "vi": False,
        "pi": False,
        "mi": True,
    }
    assert shaped["attendanceMode"] == 1 and shaped["status"] == 1
    assert shaped["location"]["name"] == network["a"].name
    assert shaped["registration"][0]["value"].endswith(reverse("opac:event", args=[event.pk]))
    type(event).objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    [shaped] = client.get(reverse("opac:agenda_openagenda")).json()["events"]
    assert shaped["status"] == 6
    answer = client.get(reverse("opac:agenda_openagenda"), {"bibliotheque": "BBB"})
    assert answer.json() == {"events": []}
