"""The search box: a scanned card opens the patron, a name finds them whatever the accents."""

import datetime as dt

from maillon.network.models import Role
from maillon.patrons import services


def test_scanned_card_goes_straight_to_the_patron(client, staff, make_patron):
    patron = make_patron(card_number="PAR000123")
    client.force_login(staff[Role.VOLUNTEER])
    response = client.get("/pro/usagers/", {"q": " par000123 "})
    assert response.status_code == 302
    assert response["Location"] == f"/pro/usagers/{patron.pk}/"


def test_unknown_card_offers_registration(client, staff, make_patron):
    client.force_login(staff[Role.VOLUNTEER])
    page = client.get("/pro/usagers/", {"q": "87878787"}).content.decode()
    assert "87878787" in page and "/pro/usagers/nouveau/?carte=87878787" in page


def test_names_match_without_accents_in_any_order(client, staff, network, make_patron):
    wanted = make_patron(surname="Hervé-Bézier", first_name="Élodie", library=network["b"])
    make_patron(surname="Bernier", first_name="Élodie")
    client.force_login(staff[Role.LIBRARIAN])  # volunteers search names at home only
    for query in ("herve bezier", "ÉLODIE HERV", "bézier", "elodie herve-bez"):
        page = client.get("/pro/usagers/", {"q": query}).content.decode()
        assert wanted.card_number in page, query
        assert "BERNIER" not in page, query
    page = client.get("/pro/usagers/", {"q": "elodie"}).content.decode()
    assert "BERNIER" in page and "HERVÉ-BÉZIER" in page


def test_search_page_has_a_labelled_box_and_current_menu(client, staff):
    client.force_login(staff[Role.VOLUNTEER])
    page = client.get("/pro/usagers/").content.decode()
    assert '<label for="q">' in page and 'id="q" name="q"' in page
    assert 'href="/pro/usagers/" aria-current="page"' in page


def test_blocked_and_expired_show_in_results(client, staff, coordinator, network, make_patron):
    patron = make_patron(surname="Airault", registered_on=dt.date(2020, 1, 1))
    services.block_patron(coordinator, patron, network["a"], "unpaid")
    client.force_login(staff[Role.VOLUNTEER])
    page = client.get("/pro/usagers/", {"q": "airault"}).content.decode()
    assert page.count("badge bad") == 2
