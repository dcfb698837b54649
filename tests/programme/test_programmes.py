"""Festivals and programmes: the coordinator sets their dates, libraries join with events inside
those dates, the programme has a staff page, a public page and a printable leaflet."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.network.models import Role
from maillon.programme import programmes, services
from maillon.programme.models import Audience, Programme, ProgrammeScope
from maillon.programme.services import ProgrammeError
from tests.programme.conftest import SOON, at


@pytest.fixture
def festival(staff):
    return programmes.create_programme(
        staff[Role.COORDINATOR],
        name="Nuits de la lecture",
        scope=ProgrammeScope.NATIONAL,
        starts_on=SOON - dt.timedelta(days=1),
        ends_on=SOON + dt.timedelta(days=2),
        description="Quatre soirées pour lire autrement.",
    )


def join(staff, library, kinds, festival, title, day=SOON, publish=True):
    librarian = staff[Role.COORDINATOR]
    event = services.create_event(
        librarian,
        library,
        kind=kinds["story-time"],
        title=title,
        audience=Audience.FAMILIES,
        programme=festival,
    )
    services.add_sessions(librarian, event, [(at(day, 19), at(day, 21))])
    return services.publish(librarian, event) if publish else event


def test_the_coordinator_sets_up_a_festival(staff, festival):
    assert festival.slug == f"nuits-de-la-lecture-{festival.starts_on.year}"
    with pytest.raises(PermissionDenied):
        programmes.create_programme(
            staff[Role.LIBRARIAN], name="Fête", starts_on=SOON, ends_on=SOON
        )
    with pytest.raises(ProgrammeError) as backwards:
        programmes.create_programme(
            staff[Role.COORDINATOR], name="Fête", starts_on=SOON, ends_on=SOON - dt.timedelta(1)
        )
    assert backwards.value.field == "ends_on" and "se termine avant" in backwards.value.message
    again = programmes.create_programme(
        staff[Role.COORDINATOR], name="Nuits de la lecture", starts_on=SOON, ends_on=SOON
    )
    assert again.slug != festival.slug


def test_libraries_join_with_dates_inside_the_festival(staff, network, kinds, festival):
    join(staff, network["a"], kinds, festival, "Contes en pyjama")
    librarian = staff[Role.LIBRARIAN]
    late = services.create_event(
        librarian, network["a"], kind=kinds["story-time"], title="Trop tard", programme=festival
    )
    outside = SOON + dt.timedelta(days=10)
    with pytest.raises(ProgrammeError) as refused:
        services.add_sessions(librarian, late, [(at(outside, 19), at(outside, 20))])
    assert refused.value.code == "outside_programme"
    assert "Nuits de la lecture" in refused.value.message and "en dehors" in refused.value.message
    alone = services.create_event(librarian, network["a"], kind=kinds["story-time"], title="Seul")
    services.add_sessions(librarian, alone, [(at(outside, 19), at(outside, 20))])
    with pytest.raises(ProgrammeError):
        services.update_event(librarian, alone, programme=festival)
    # The festival cannot shrink away from its events either.
    with pytest.raises(ProgrammeError) as shrink:
        programmes.update_programme(
            staff[Role.COORDINATOR], festival, ends_on=SOON - dt.timedelta(days=1)
        )
    assert shrink.value.code == "events_outside" and "Contes en pyjama" in shrink.value.message
    assert Programme.objects.get(pk=festival.pk).ends_on == SOON + dt.timedelta(days=2)


def test_programme_pages_and_leaflet(staff, network, kinds, festival, client_fr):
    join(staff, network["a"], kinds, festival, "Contes en pyjama")
    join(staff, network["b"], kinds, festival, "Lectures à deux voix", day=SOON + dt.timedelta(1))
    join(staff, network["b"], kinds, festival, "Encore en brouillon", publish=False)
    client_fr.force_login(staff[Role.LIBRARIAN])
    staff_page = client_fr.get(reverse("programme:programme", args=[festival.slug])).content
    text = staff_page.decode()
    assert "Encore en brouillon" in text and "Bibliothèque BBB" in text
    assert "Bibliothèque HEAD" in text.split("pas encore")[1]  # not taking part yet
    listing = client_fr.get(reverse("programme:programmes")).content.decode()
    assert "Nuits de la lecture" in listing
    public = client_fr.get(reverse("opac:programme", args=[festival.slug])).content.decode()
    assert "Contes en pyjama" in public and "Encore en brouillon" not in public
    agenda = client_fr.get(reverse("opac:agenda"), {"programme": festival.slug}).content.decode()
    assert "Lectures à deux voix" in agenda
    html = programmes.leaflet_html(festival, "Réseau de Gâtine")
    assert "Contes en pyjama" in html and "Encore en brouillon" not in html
    assert "À la Bibliothèque AAA" in html and "19 h" in html
    assert html.index("Contes en pyjama") < html.index("Lectures à deux voix")
    pdf = client_fr.get(reverse("opac:programme_leaflet", args=[festival.slug]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_fr.get(reverse("opac:programme", args=["inconnu"])).status_code == 404


def test_only_the_coordinator_edits_programmes_on_the_pages(staff, client_fr, festival):
    client_fr.force_login(staff[Role.LIBRARIAN])
    assert client_fr.get(reverse("programme:programme_create")).status_code == 403
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(
        reverse("programme:programme_create"),
        {
            "name": "Printemps des poètes",
            "scope": "national",
            "starts_on": "2027-03-31",
            "ends_on": "2027-03-07",
            "description": "",
        },
    )
    assert "se termine avant" in response.content.decode()
    assert 'value="Printemps des poètes"' in response.content.decode()  # what was typed stays
    response = client_fr.post(
        reverse("programme:programme_create"),
        {
            "name": "Printemps des poètes",
            "scope": "national",
            "starts_on": "2027-03-07",
            "ends_on": "2027-03-31",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert Programme.objects.filter(name="Printemps des poètes").exists()
