"""The register and edit forms: errors sit next to their field and nothing typed is lost."""

import datetime as dt

from maillon.network.models import Role
from maillon.patrons.models import Patron


def test_register_page_offers_the_desk_library(client, network, staff):
    client.force_login(staff[Role.VOLUNTEER])
    page = client.get("/pro/usagers/nouveau/?carte=12 34 56 78").content.decode()
    assert 'value="12345678"' in page  # a scanned unknown card arrives prefilled
    assert f'<option value="{network["a"].pk}" selected>' in page
    assert f'<option value="{network["b"].pk}"' not in page  # not their library
    assert 'name="confirm_duplicate"' not in page


def test_service_error_is_linked_to_its_field_and_input_kept(
    client, network, staff, categories, make_patron
):
    make_patron(card_number="98989898")
    client.force_login(staff[Role.LIBRARIAN])
    response = client.post(
        "/pro/usagers/nouveau/",
        {
            "card_number": "98989898",
            "surname": "Sénéchal",
            "first_name": "Anaïs",
            "birth_date": "1995-02-03",
            "category": categories["adult"].pk,
            "home_library": network["a"].pk,
            "address": "3 rue du Moulin",
            "newsletters": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_card_number_error"' in page
    assert 'aria-describedby="id_card_number_error"' in page and 'aria-invalid="true"' in page
    assert 'value="Sénéchal"' in page and 'value="3 rue du Moulin"' in page
    assert 'name="newsletters" id="id_newsletters" checked' in page
    assert Patron.objects.count() == 1


def test_collective_error_lands_on_partner(client, network, staff, categories):
    client.force_login(staff[Role.LIBRARIAN])
    response = client.post(
        "/pro/usagers/nouveau/",
        {
            "card_number": "13131313",
            "surname": "Classe de CP",
            "category": categories["collective"].pk,
            "home_library": network["a"].pk,
        },
    )
    assert response.status_code == 400
    assert 'id="id_partner_error"' in response.content.decode()


def test_edit_changes_the_patron(client, network, staff, make_patron, categories, partner):
    patron = make_patron(registered_on=dt.date(2026, 1, 1))
    client.force_login(staff[Role.LIBRARIAN])
    page = client.get(f"/pro/usagers/{patron.pk}/modifier/").content.decode()
    assert f'value="{patron.card_number}"' in page and 'value="1990-05-17"' in page
    response = client.post(
        f"/pro/usagers/{patron.pk}/modifier/",
        {
            "card_number": patron.card_number,
            "surname": "Martin",
            "first_name": "Léa",
            "birth_date": "1990-05-17",
            "category": categories["adult"].pk,
            "home_library": network["a"].pk,
            "email": "lea.martin@example.org",
            "email_notices": "on",
            "keep_history": "on",
        },
    )
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.email == "lea.martin@example.org"
    assert patron.email_notices and patron.keep_history and not patron.newsletters
    assert patron.expires_on == dt.date(2027, 1, 1)  # editing does not touch the dates


def test_detail_page_shows_the_essentials(client, staff, make_patron):
    patron = make_patron(
        first_name="Gaëlle",
        surname="Lœuillet",
        birth_date=dt.date(1950, 1, 2),
        notes="Préfère les gros caractères",
    )
    client.force_login(staff[Role.VOLUNTEER])
    page = client.get(f"/pro/usagers/{patron.pk}/").content.decode()
    assert "LŒUILLET Gaëlle" in page and patron.card_number in page
    assert "75+" in page and "Préfère les gros caractères" in page
    assert 'id="prets"' in page  # the place circulation fills in
