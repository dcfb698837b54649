"""The staff home page tells how many events start today at the library (its own and those it
hosts with others), and in the network for the coordinator; drafts and cancelled ones aside."""

import datetime as dt

from django.utils import timezone

from maillon.network.models import Role
from maillon.programme import changes, services, today
from maillon.programme.models import Audience

from .conftest import at


def count(library, on):
    (line,) = today.today_counts(library, on)
    return line["count"]


def test_events_starting_today(staff, kinds, network):
    coordinator = staff[Role.COORDINATOR]
    day = timezone.localdate() + dt.timedelta(days=3)

    def event(library, title, hours, publish=True, **extra):
        made = services.create_event(
            coordinator,
            library,
            kind=kinds["story-time"],
            title=title,
            audience=Audience.CHILDREN,
            **extra,
        )
        services.add_sessions(coordinator, made, [(at(day, hours[0]), at(day, hours[1]))])
        return services.publish(coordinator, made) if publish else made

    event(network["a"], "Heure du conte", (10, 11))
    shared = event(network["b"], "Ciné-goûter", (15, 17))
    shared.other_libraries.add(network["a"])
    event(network["a"], "Brouillon", (16, 17), publish=False)
    cancelled = event(network["b"], "Annulé", (10, 12))
    changes.cancel_event(coordinator, cancelled)
    assert count(network["a"], day) == 2
    assert count(network["a"], day + dt.timedelta(days=1)) == 0
    assert count(network["b"], day) == 1
    assert count(None, day) == 2


def test_the_line_opens_the_day_in_the_calendar(client_fr, staff, network):
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get("/pro/").content.decode()
    assert "animations aujourd’hui" in page
    assert f"#j-{timezone.localdate().isoformat()}" in page
