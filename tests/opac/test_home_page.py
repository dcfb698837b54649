"""The home page: a search box, the network's new arrivals, the libraries open today."""

import datetime as dt

import pytest

from maillon.network.models import Closure, OpeningHours

pytestmark = pytest.mark.django_db


def test_home_shows_search_arrivals_and_today(client, catalogue, libraries, today):
    OpeningHours.objects.create(
        library=libraries["a"], weekday=today.isoweekday(), opens=dt.time(9), closes=dt.time(12, 30)
    )
    OpeningHours.objects.create(
        library=libraries["a"], weekday=today.isoweekday(), opens=dt.time(14), closes=dt.time(18)
    )
    Closure.objects.create(library=libraries["b"], start=today, end=today, reason="inventaire")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'role="search"' in html and 'action="/recherche/"' in html
    assert "Le Père Goriot" in html and "La Chartreuse de Parme" in html
    assert "09:00–12:30, 14:00–18:00" in html
    assert "inventaire" in html
    assert 'href="/bibliotheques/AAA/"' in html


def test_home_on_an_empty_network(client, db):
    response = client.get("/")
    assert response.status_code == 200


def test_public_header_has_skip_link_language_switch_and_staff_link(client, catalogue):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#contenu"' in html and '<main id="contenu"' in html
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    assert 'href="/pro/"' in html


def test_english_on_request(client, catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "New arrivals" in html


def test_network_named_after_the_head_library(client, catalogue):
    from maillon.network.models import LibraryKind
    from tests.conftest import make_library

    make_library("TETE", LibraryKind.HEAD, commune="Parthenay")
    html = client.get("/").content.decode()
    assert "Parthenay" in html.split("</title>")[0]
