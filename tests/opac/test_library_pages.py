"""The libraries: list with today's hours; a page each with hours, closures, shuttle, map."""

import datetime as dt

import pytest

from maillon.network.models import Closure, OpeningHours
from tests.opac.conftest import fr

pytestmark = pytest.mark.django_db


def test_library_page(client, libraries, today):
    library = libraries["a"]
    OpeningHours.objects.create(
        library=library, weekday=3, opens=dt.time(10), closes=dt.time(12, 30)
    )
    OpeningHours.objects.create(library=library, weekday=3, opens=dt.time(14), closes=dt.time(18))
    OpeningHours.objects.create(
        library=library, weekday=6, opens=dt.time(9, 30), closes=dt.time(12)
    )
    Closure.objects.create(
        library=library,
        start=today + dt.timedelta(days=10),
        end=today + dt.timedelta(days=20),
        reason="travaux",
    )
    Closure.objects.create(
        library=library,
        start=today - dt.timedelta(days=40),
        end=today - dt.timedelta(days=30),
        reason="inventaire passé",
    )
    html = client.get("/bibliotheques/AAA/").content.decode()
    assert "<h1>Médiathèque d&#x27;Aval</h1>" in html
    assert "1 rue Haute" in html and "79000" in html
    assert 'href="tel:0549000001"' in html and "mailto:aval@example.org" in html
    assert "10:00–12:30, 14:00–18:00" in html and "09:30–12:00" in html
    assert html.count("fermé") + html.count("closed") >= 5  # the days without hours
    assert "travaux" in html and "inventaire passé" not in html
    assert "mardi, vendredi" in html  # shuttle days
    assert (
        "https://www.openstreetmap.org/?mlat=46.648600&amp;mlon=-0.247800"
        "#map=17/46.648600/-0.247800"
    ) in html
    assert 'href="/recherche/?library=AAA&amp;sort=title"' in html
    assert 'href="/nouveautes/?bibliotheque=AAA"' in html


def test_next_shuttle_skips_closures(client, libraries, today):
    from maillon.opac import network

    library = libraries["b"]  # shuttle on Wednesdays
    next_wed = today + dt.timedelta(days=(3 - today.isoweekday()) % 7 or 7)
    Closure.objects.create(library=library, start=next_wed, end=next_wed)
    loaded = network.public_libraries(today).get(pk=library.pk)
    assert network.next_shuttle_day(loaded, today) == next_wed + dt.timedelta(days=7)


def test_library_without_coordinates_or_shuttle(client, db):
    from tests.conftest import make_library

    make_library("NUL", shuttle_days=[])
    html = client.get("/bibliotheques/NUL/").content.decode()
    assert "openstreetmap" not in html
    assert fr("The shuttle does not call at this library.") in html


def test_list_shows_active_libraries_head_first(client, libraries):
    from maillon.network.models import LibraryKind
    from tests.conftest import make_library

    make_library("TETE", LibraryKind.HEAD, name="Zénith, tête de réseau")
    libraries["b"].is_active = False
    libraries["b"].save()
    html = client.get("/bibliotheques/").content.decode()
    assert 'href="/bibliotheques/AAA/"' in html and 'href="/bibliotheques/TETE/"' in html
    assert 'href="/bibliotheques/BBB/"' not in html
    assert html.index("/bibliotheques/TETE/") < html.index("/bibliotheques/AAA/")
    assert client.get("/bibliotheques/BBB/").status_code == 404
