"""A record page: a clear description, copies per library with their status in words."""

import datetime as dt

import pytest

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan
from tests.opac.conftest import fr

pytestmark = pytest.mark.django_db


def test_description(client, catalogue):
    record = catalogue["Le Rouge et le Noir"]
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert "<h1" in html and "Le Rouge et le Noir</h1>" in html
    assert "Stendhal" in html and "(auteur)" in html
    assert "Gallimard, 1830" in html
    assert "Folio classique" in html and "17" in html
    assert "Roman français -- 19e siècle" in html
    assert "Julien Sorel" in html
    assert "9782070412044" in html
    assert "Français" in html  # the language in words, not "fre"


def test_copies_per_library_with_status_in_words(client, catalogue, libraries):
    record = catalogue["Le Rouge et le Noir"]
    Item.objects.filter(barcode="A1").update(status=ItemStatus.IN_TRANSIT)
    Item.objects.filter(barcode="B1").update(status=ItemStatus.NOT_FOR_LOAN)
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert 'href="/bibliotheques/AAA/">Médiathèque d&#x27;Aval' in html
    assert 'href="/bibliotheques/BBB/">Bibliothèque de Bois' in html
    assert "R STE" in html
    table = html.split('<table class="holdings">')[1].split("</table>")[0]
    assert "A1" not in table and "B1" not in table  # barcodes are for staff
    assert fr("travelling between libraries") in html
    assert fr("to read on site only") in html


def test_withdrawn_and_lost_copies_are_not_shown(client, catalogue):
    record = catalogue["Le Père Goriot"]
    Item.objects.filter(barcode="A2").update(status=ItemStatus.WITHDRAWN)
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert "R DUP" not in html
    assert fr("No library of the network holds a copy at the moment.") in html


def test_due_date_of_an_open_loan(client, catalogue, libraries):
    record = catalogue["Le Rouge et le Noir"]
    copy = Item.objects.get(barcode="B1")
    copy.status = ItemStatus.ON_LOAN
    copy.save()
    Loan.objects.create(
        item=copy, library=libraries["b"], due_on=dt.date(2031, 3, 14), loan_days=21
    )
    Loan.objects.create(
        item=Item.objects.get(barcode="A1"),
        library=libraries["a"],
        due_on=dt.date(2030, 1, 2),
        loan_days=21,
        returned_at="2030-01-01T10:00:00Z",
    )
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert "14 mars 2031" in html
    assert "2 janvier 2030" not in html  # a returned loan has no due date to show


def test_reserve_area_says_how_to_reserve_for_now(client, catalogue):
    record = catalogue["Le Rouge et le Noir"]
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert 'id="reserver"' in html


def test_more_by_the_author_and_in_the_series(client, catalogue):
    record = catalogue["Le Rouge et le Noir"]
    html = client.get(f"/notice/{record.pk}/").content.decode()
    assert 'href="/recherche/?q=%22Stendhal%22&amp;sort=year"' in html
    assert 'href="/recherche/?q=%22Folio+classique%22&amp;sort=title"' in html
    found = client.get("/recherche/?q=%22Stendhal%22&sort=year").content.decode()
    assert "3 documents" in found


def test_record_without_items_or_details(client, db):
    from tests.search.conftest import make_record

    record = make_record("Sans rien")
    response = client.get(f"/notice/{record.pk}/")
    assert response.status_code == 200
    assert "Sans rien" in response.content.decode()
