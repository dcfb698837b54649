"""An event's public page carries schema.org/Event JSON-LD (one Event per date to come, with
its place and status); the network's home page and each library's page list the events to come
with a link to the agenda."""

import json
import re

from django.urls import reverse

from maillon.network.models import Role
from maillon.programme import changes, services
from maillon.programme.models import Audience
from tests.programme.conftest import SOON, at


def json_ld(page: str):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def test_json_ld_per_date_with_place_and_status(client, staff, network, kinds):
    coordinator = staff[Role.COORDINATOR]
    network["a"].address, network["a"].postcode = "2 rue des Écoles", "79200"
    network["a"].save()
    event = services.create_event(
        coordinator,
        network["a"],
        kind=kinds["story-time"],
        title="Contes </script> & comptines",
        audience=Audience.CHILDREN,
        age_min=3,
        age_max=6,
    )
    dates = [(at(SOON, 10), at(SOON, 11)), (at(SOON, 15), at(SOON, 16))]
    services.add_sessions(coordinator, event, dates)
    services.publish(coordinator, event)
    page = client.get(reverse("opac:event", args=[event.pk])).content.decode()
    # In the block the title cannot end it: "<", ">" and "&" are written as escapes.
    assert "Contes \\u003C/script\\u003E \\u0026 comptines" in page
    found = json_ld(page)
    assert [(e["startDate"], e["endDate"]) for e in found] == [
        (start.isoformat(), end.isoformat()) for start, end in dates
    ]
    first = found[0]
    assert first["@type"] == "Event" and first["name"] == "Contes </script> & comptines"
    assert first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert first["location"]["address"]["postalCode"] == "79200"
    assert first["location"]["name"] == network["a"].name and first["typicalAgeRange"] == "3-6"
    assert first["url"].endswith(reverse("opac:event", args=[event.pk]))

    changes.cancel_event(coordinator, event, reason="Conteuse malade")
    page = client.get(reverse("opac:event", args=[event.pk])).content.decode()
    assert json_ld(page)[0]["eventStatus"] == "https://schema.org/EventCancelled"


def test_home_and_library_pages_list_the_events_to_come(client, staff, network, kinds):
    coordinator = staff[Role.COORDINATOR]
    for library, title in ((network["a"], "Heure du conte"), (network["b"], "Ciné-goûter")):
        event = services.create_event(coordinator, library, kind=kinds["story-time"], title=title)
        services.add_sessions(coordinator, event, [(at(SOON, 10), at(SOON, 11))])
        services.publish(coordinator, event)
    home = client.get("/").content.decode()
    assert "Heure du conte" in home and "Ciné-goûter" in home
    here = client.get(reverse("opac:library", args=["AAA"])).content.decode()
    assert "Heure du conte" in here and "Ciné-goûter" not in here
    assert f"{reverse('opac:agenda')}?bibliotheque=AAA" in here
    assert reverse("opac:library_ics", args=["AAA"]) in here


def test_the_agenda_as_a_month(client, staff, network, kinds):
    coordinator = staff[Role.COORDINATOR]
    event = services.create_event(
        coordinator, network["a"], kind=kinds["story-time"], title="Atelier du jour"
    )
    services.add_sessions(
        coordinator, event, [(at(SOON, h), at(SOON, h, 45)) for h in range(9, 16)]
    )
    services.publish(coordinator, event)
    page = client.get(reverse("opac:agenda"), {"vue": "mois", "mois": f"{SOON:%Y-%m}"})
    html = page.content.decode()
    assert 'class="programme-calendar"' in html
    assert html.count("Atelier du jour</a>") == 6  # a day shows six dates, then the rest
    assert f"du={SOON.isoformat()}&amp;au={SOON.isoformat()}" in html
    following = client.get(reverse("opac:agenda"), {"vue": "mois", "mois": "2099-01"})
    assert "Atelier du jour" not in following.content.decode()
    listed = client.get(reverse("opac:agenda"), {"du": SOON.isoformat(), "au": SOON.isoformat()})
    assert listed.content.decode().count("Atelier du jour</a>") == 7
