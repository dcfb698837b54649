"""A core title a library lacks goes on a shared selection list in one click, from the gaps
page of the core collection."""

import datetime as dt
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.corecollection import services as core
from maillon.purchasing.models import SelectionTitle


def _gaps_page(client, network) -> str:
    url = reverse("corecollection:gaps") + f"?bibliotheque={network['a'].code}"
    return client.get(url).content.decode()


def test_a_gap_is_proposed_on_an_open_list(client_fr, demand, staff, network, desk, open_today):
    core.refresh_demand()
    core.compute(staff["coordinator"], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    client_fr.force_login(desk["a"])
    page = _gaps_page(client_fr, network)
    assert reverse("purchasing:propose_gap") in page and open_today.name in page

    back = reverse("corecollection:gaps") + f"?bibliotheque={network['a'].code}"
    form = {"list": open_today.pk, "record": demand["roman"].pk, "next": back}
    response = client_fr.post(reverse("purchasing:propose_gap"), form)
    assert response.status_code == 302 and response["Location"] == back
    title = SelectionTitle.objects.get(selection=open_today)
    assert title.record == demand["roman"] and title.note == "Manque du fonds de base"
    assert "proposé sur la liste" in _gaps_page(client_fr, network)

    again = client_fr.post(reverse("purchasing:propose_gap"), form, follow=True)
    assert "déjà sur cette liste" in again.content.decode()
    assert SelectionTitle.objects.filter(selection=open_today).count() == 1

    elsewhere = {**form, "record": demand["album"].pk, "next": "https://ailleurs.example/"}
    response = client_fr.post(reverse("purchasing:propose_gap"), elsewhere)
    assert response["Location"] == reverse("purchasing:selection", args=[open_today.pk])


def test_a_volunteer_sees_no_purchase_button_and_cannot_propose(
    client_fr, demand, staff, network, desk, open_today
):
    core.refresh_demand()
    core.compute(staff["coordinator"], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    client_fr.force_login(desk["volunteer"])
    assert reverse("purchasing:propose_gap") not in _gaps_page(client_fr, network)
    form = {"list": open_today.pk, "record": demand["roman"].pk}
    assert client_fr.post(reverse("purchasing:propose_gap"), form).status_code == 403
    assert not SelectionTitle.objects.exists()


def test_no_open_list_no_button(client_fr, demand, staff, network, desk, season):
    core.refresh_demand()
    core.compute(staff["coordinator"], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    client_fr.force_login(desk["a"])  # the season's list closed in 2025
    assert reverse("purchasing:propose_gap") not in _gaps_page(client_fr, network)


def test_the_gaps_page_reads_the_same_whatever_the_number_of_gaps(
    demand, staff, network, desk, open_today
):
    """The purchase form of each gap is drawn without the page's context (its processors would
    read the staff's libraries again for every gap), and still carries the CSRF token."""
    core.refresh_demand()
    core.compute(staff["coordinator"], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(desk["a"])
    url = reverse("corecollection:gaps") + f"?bibliotheque={network['a'].code}"
    counts = {}
    for audience in ("", "youth"):  # four gaps, then one
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"{url}&public={audience}").content.decode()
        counts[audience] = (len(queries.captured_queries), page.count('name="record"'))
    assert counts[""][1] > counts["youth"][1] >= 1
    assert counts[""][0] == counts["youth"][0]

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = {"csrfmiddlewaretoken": token.group(1), "list": open_today.pk}
    response = client.post(
        reverse("purchasing:propose_gap"), {**form, "record": demand["album"].pk}
    )
    assert response.status_code == 302
    assert SelectionTitle.objects.get(selection=open_today).record == demand["album"]
