"""Supplies bought together: a network order per season with each library's quantities and one
supplier, received by the workshop and split; the workshop's stock; low stock adds a line."""

import datetime as dt
import importlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from maillon.purchasing import supplies
from maillon.purchasing.models import Medium, Supplier, SupplyArticle, SupplyNeed, SupplyOrder
from maillon.purchasing.services import PurchasingError
from maillon.workshop.models import Workshop

SOON = dt.date.today() + dt.timedelta(days=20)


@pytest.fixture
def articles(books) -> dict[str, SupplyArticle]:
    """The seeded articles; covering film is low at the workshop (2 rolls, low at 3)."""
    from django.apps import apps

    importlib.import_module("maillon.purchasing.migrations.0005_supplies").seed(apps, None)
    film = SupplyArticle.objects.get(name="Film de couverture adhésif, 32 cm")
    film.in_stock, film.reorder_at, film.reorder_quantity = 2, 3, 10
    film.save()
    rfid = SupplyArticle.objects.get(name="Étiquettes RFID")
    rfid.in_stock, rfid.reorder_at, rfid.reorder_quantity = 5, 2, 4
    rfid.save()
    return {"film": film, "rfid": rfid, "boxes": SupplyArticle.objects.get(name="Boîtiers DVD")}


@pytest.fixture
def season(articles, staff, network):
    Workshop.objects.create(library=network["head"])
    fournitures = Supplier.objects.create(
        name="Bibliofournitures", medium=Medium.objects.get(code="FOURN")
    )
    return supplies.create_order(staff["coordinator"], "Printemps", fournitures, SOON)


def _needs(order):
    return {
        (n.article.name, n.library.code if n.library else None): n.quantity
        for n in order.needs.select_related("article", "library")
    }


def test_an_order_opens_with_a_line_for_each_low_stock(season, articles, network):
    assert season.receiving_library == network["head"]
    need = SupplyNeed.objects.get(order=season)
    assert (need.article, need.library, need.quantity, need.low_stock) == (
        articles["film"],
        None,
        10,
        True,
    )


def test_each_library_gives_its_quantities_and_only_its_own(season, articles, desk, network):
    film, boxes = articles["film"], articles["boxes"]
    supplies.set_needs(desk["a"], season, network["a"], {film.pk: "2", boxes.pk: "1"})
    supplies.set_needs(desk["b"], season, network["b"], {film.pk: "3", boxes.pk: ""})
    supplies.set_needs(desk["a"], season, network["a"], {film.pk: "1", boxes.pk: "0"})
    assert _needs(season) == {
        (film.name, None): 10,
        (film.name, "AAA"): 1,
        (film.name, "BBB"): 3,
    }
    with pytest.raises(PermissionDenied):
        supplies.set_needs(desk["a"], season, network["b"], {film.pk: "9"})
    with pytest.raises(PermissionDenied):
        supplies.set_needs(desk["volunteer"], season, network["a"], {film.pk: "9"})
    with pytest.raises(PurchasingError) as refused:
        supplies.set_needs(desk["a"], season, network["a"], {film.pk: "4", boxes.pk: "-1"})
    assert refused.value.code == "quantity_invalid" and "nombre entier" in refused.value.message
    assert _needs(season)[(film.name, "AAA")] == 1
    grid = supplies.grid(season)
    assert [c.code if c else None for c in grid.columns] == ["AAA", "BBB", None]
    assert grid.rows == [(film, [1, 3, 10], 14)]


def test_sent_received_and_split(season, articles, desk, network, staff):
    film = articles["film"]
    supplies.set_needs(desk["a"], season, network["a"], {film.pk: "2"})
    with pytest.raises(PermissionDenied):
        supplies.send(desk["a"], season)
    supplies.send(staff["coordinator"], season)
    with pytest.raises(PurchasingError) as refused:
        supplies.set_needs(desk["a"], season, network["a"], {film.pk: "5"})
    assert refused.value.code == "supply_order_state"
    with pytest.raises(PermissionDenied):
        supplies.receive(desk["a"], season)  # delivered to the head library's workshop
    supplies.receive(staff["coordinator"], season)
    film.refresh_from_db()
    assert film.in_stock == 12 and not film.low
    split = [
        (lib.code if lib else None, [n.quantity for n in needs])
        for lib, needs in supplies.shares(season)
    ]
    assert split == [("AAA", [2]), (None, [10])]
    with pytest.raises(PurchasingError):
        supplies.receive(staff["coordinator"], season)  # once
    film.refresh_from_db()
    assert film.in_stock == 12


def test_stock_falling_low_adds_a_line_to_the_open_order(season, articles, staff):
    rfid = articles["rfid"]
    supplies.use(staff["coordinator"], rfid, "2")
    assert not SupplyNeed.objects.filter(article=rfid).exists()  # 3 left, low at 2
    supplies.use(staff["coordinator"], rfid, "1")
    need = SupplyNeed.objects.get(article=rfid)
    assert (need.order, need.library, need.quantity, need.low_stock) == (season, None, 4, True)
    with pytest.raises(PurchasingError) as refused:
        supplies.use(staff["coordinator"], rfid, "3")
    assert refused.value.code == "not_enough_stock"
    rfid.refresh_from_db()
    assert rfid.in_stock == 2


def test_a_librarian_cannot_take_from_the_workshop(season, articles, desk):
    with pytest.raises(PermissionDenied):
        supplies.use(desk["a"], articles["rfid"], "1")


def test_the_pages(season, articles, desk, network, client_fr, staff):
    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("purchasing:supplies")).content.decode()
    assert "Printemps" in page and "Film de couverture adhésif, 32 cm" in page
    url = reverse("purchasing:supply_order", args=[season.pk])
    form = {"action": "needs", f"q-{articles['boxes'].pk}": "3", f"q-{articles['film'].pk}": "x"}
    page = client_fr.post(url, form).content.decode()
    assert "nombre entier" in page and 'value="x"' in page
    form[f"q-{articles['film'].pk}"] = "1"
    assert client_fr.post(url, form).status_code == 302
    assert _needs(season)[("Boîtiers DVD", "AAA")] == 3
    assert client_fr.post(url, {"action": "send"}).status_code == 403
    assert SupplyOrder.objects.get(pk=season.pk).state == SupplyOrder.State.OPEN
    sheet = load_workbook(io.BytesIO(client_fr.get(url + "?format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Article", "Unité", "Bibliothèque AAA", "Stock de l’atelier", "Total")
    client_fr.force_login(staff["coordinator"])
    assert client_fr.post(url, {"action": "send"}).status_code == 302
    assert client_fr.post(url, {"action": "receive"}).status_code == 302
    page = client_fr.get(url).content.decode()
    assert "Répartition de la livraison" in page
