"""Capacity caps as data: a floating copy returned to a full library goes home, a lot is not
sent to a library it would overfill; each refusal names the cap in French."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from maillon.catalogue.models import ItemStatus
from maillon.circulation import capacity
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkin
from maillon.lots import services as lots
from tests.circulation.conftest import TODAY


def test_a_floating_copy_goes_home_when_the_library_is_full(desk, network, make_item, book):
    floating = make_item(book, network["a"], floating=True)
    make_item(book, network["b"])
    capacity.set_capacity(desk["head"], network["b"], max_items=1, max_copies=None)
    with translation.override("fr"):
        result = checkin(desk["b"], network["b"], floating.barcode, today=TODAY)
    floating.refresh_from_db()
    assert floating.home_id == network["a"].pk and floating.status == ItemStatus.IN_TRANSIT
    assert Transfer.objects.get(item=floating).to_library_id == network["a"].pk
    assert result.message.startswith(
        "Capacité : Bibliothèque BBB aurait 2 documents, au plus 1."
    ), result.message
    # Room again: the next floating copy stays.
    capacity.set_capacity(desk["head"], network["b"], max_items=None, max_copies=None)
    other = make_item(book, network["a"], floating=True)
    checkin(desk["b"], network["b"], other.barcode, today=TODAY)
    other.refresh_from_db()
    assert other.home_id == network["b"].pk and other.status == ItemStatus.AVAILABLE


def test_copies_of_one_title_and_locations(desk, network, make_item, book, record_of):
    capacity.set_capacity(desk["head"], network["b"], max_items=None, max_copies=1)
    make_item(book, network["b"])
    lot = lots.create(desk["a"], network["a"], "Caisse")
    lots.add(desk["a"], lot, make_item(book, network["a"]).barcode)
    with translation.override("fr"), pytest.raises(lots.LotError) as error:
        lots.send(desk["a"], lot, network["b"])
    assert error.value.code == "capacity"
    assert error.value.message == (
        "Capacité : Bibliothèque BBB aurait 2 exemplaires de « Le Petit Prince », au plus 1."
    )
    capacity.set_capacity(desk["head"], network["b"], max_items=None, max_copies=None)
    capacity.set_capacity(
        desk["head"], network["b"], location="Jeunesse", max_items=0, max_copies=None
    )
    other = record_of("Album")
    youth = lots.create(desk["a"], network["a"], "Albums")
    lots.add(desk["a"], youth, make_item(other, network["a"], location="Jeunesse").barcode)
    with translation.override("fr"), pytest.raises(lots.LotError) as error:
        lots.send(desk["a"], youth, network["b"])
    assert "le rayon « Jeunesse » de la Bibliothèque BBB" in error.value.message
    assert lots.send(desk["a"], lot, network["b"]).sent  # other shelves: room


def test_only_the_coordinator_sets_caps(desk, network):
    with pytest.raises(PermissionDenied):
        capacity.set_capacity(desk["a"], network["a"], max_items=10, max_copies=None)


def test_stock_against_capacity(desk, network, make_item, book):
    make_item(book, network["a"])
    make_item(book, network["a"], status=ItemStatus.WITHDRAWN)
    capacity.set_capacity(desk["head"], network["a"], max_items=4, max_copies=None)
    line = next(
        x for x in capacity.stock_against_capacity([network["a"]]) if x.library == network["a"]
    )
    assert (line.stock, line.max_items, line.percent, line.full) == (1, 4, 25, False)


def test_the_coordinator_sees_stock_against_capacity(client_fr, desk, network, make_item, book):
    from django.urls import reverse

    make_item(book, network["a"])
    client_fr.force_login(desk["head"])
    client_fr.post(reverse("rotation:capacities"), {"library": network["a"].pk, "max_items": 1})
    page = client_fr.get(reverse("rotation:capacities")).content.decode()
    assert "Bibliothèque AAA" in page and "100 %" in page and "complet" in page
    client_fr.force_login(desk["a"])
    client_fr.post(reverse("rotation:capacities"), {"library": network["a"].pk, "max_items": 9})
    assert network["a"].capacities.get().max_items == 1  # only the coordinator sets caps
