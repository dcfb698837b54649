"""New arrivals: the records of the newest copies, network-wide or at one library."""

import datetime as dt

import pytest
from django.utils import timezone

from maillon.catalogue.models import Item

pytestmark = pytest.mark.django_db


def _age(barcode: str, days: int) -> None:
    Item.objects.filter(barcode=barcode).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_newest_first_each_record_once(client, catalogue):
    for barcode, days in (("A1", 30), ("B1", 1), ("B3", 20), ("B2", 10), ("A2", 5)):
        _age(barcode, days)
    html = client.get("/nouveautes/").content.decode()
    main = html.split("<main")[1]
    order = [
        main.index(f'/notice/{catalogue[t].pk}/"')
        for t in (
            "Le Rouge et le Noir",
            "Le Père Goriot",
            "La Chartreuse de Parme",
            "Le Rouge et le Noir 1972",
        )
    ]
    assert order == sorted(order)
    assert main.count(f'/notice/{catalogue["Le Rouge et le Noir"].pk}/"') == 1


def test_filtered_per_library(client, catalogue):
    html = client.get("/nouveautes/", {"bibliotheque": "AAA"}).content.decode()
    main = html.split("<main")[1]
    assert "Médiathèque d&#x27;Aval" in main
    assert "Le Père Goriot" in main
    assert "La Chartreuse de Parme" not in main
    assert '<option value="AAA" selected>' in html


def test_unknown_library_code_shows_the_network(client, catalogue):
    response = client.get("/nouveautes/", {"bibliotheque": "NOPE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "La Chartreuse de Parme" in html


def test_withdrawn_copies_are_not_new_arrivals(client, catalogue):
    Item.objects.filter(barcode="B2").update(status="withdrawn")
    html = client.get("/nouveautes/").content.decode()
    assert "La Chartreuse de Parme" not in html
