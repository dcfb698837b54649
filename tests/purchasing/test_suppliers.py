"""Suppliers: the legal cap on book discounts is a row, not a constant; a discount above it is
saved with a clear warning; only the coordinator changes the network's suppliers."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.network.models import Role
from maillon.purchasing import services
from maillon.purchasing.models import Medium, Supplier, SupplierContact
from tests.conftest import PASSWORD


def test_the_seeded_media_carry_vat_and_the_book_cap(books):
    assert books.vat_rate == Decimal("5.50") and books.discount_cap == Decimal("9.00")
    assert "2003" in books.cap_source and books.lending_right
    assert Medium.objects.get(code="AV").discount_cap is None


def test_a_discount_above_the_cap_is_saved_with_a_warning(staff, books):
    supplier = Supplier(name="Maxi Livres", medium=books, discount=Decimal("12.5"))
    warning = services.save_supplier(staff[Role.COORDINATOR], supplier)
    assert supplier.pk and "12,5 %" in warning and "9 %" in warning
    assert (
        services.save_supplier(
            staff[Role.COORDINATOR], Supplier(name="Page 2", medium=books, discount=Decimal("9"))
        )
        == ""
    )


def test_the_cap_follows_its_row(staff, books):
    books.discount_cap = Decimal("15")
    books.save()
    supplier = Supplier(name="Maxi Livres", medium=books, discount=Decimal("12.5"))
    assert services.save_supplier(staff[Role.COORDINATOR], supplier) == ""
    other = Medium.objects.get(code="AV")
    assert services.discount_warning(Decimal("30"), other) == ""


def test_a_gln_is_checked_and_only_the_coordinator_saves(staff, books):
    with pytest.raises(services.PurchasingError) as error:
        services.save_supplier(
            staff[Role.COORDINATOR],
            Supplier(name="Lib", medium=books, gln="3012345678901"),
        )
    assert error.value.code == "gln_invalid"
    services.save_supplier(
        staff[Role.COORDINATOR], Supplier(name="Lib", medium=books, gln="3 012345 678902")
    )
    assert Supplier.objects.get(name="Lib").gln == "3012345678902"
    with pytest.raises(PermissionDenied):
        services.save_supplier(staff[Role.LIBRARIAN], Supplier(name="X", medium=books))


def test_supplier_pages(client_fr, staff, bookseller):
    client_fr.login(username="coord", password=PASSWORD)
    response = client_fr.post(
        reverse("purchasing:supplier", args=[bookseller.pk]),
        {
            "name": "Librairie La Colline",
            "contract_lot": "Lot 1 — romans adultes",
            "medium": bookseller.medium_id,
            "discount": "10",
            "delivery_days": "15",
            "gln": "",
            "email": "",
            "phone": "",
            "address": "",
            "active": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "dépasse le plafond légal" in page
    client_fr.post(
        reverse("purchasing:contact_add", args=[bookseller.pk]),
        {"name": "Anne Libraire", "role": "claims", "email": "anne@example.org", "phone": ""},
    )
    assert SupplierContact.objects.get(supplier=bookseller).role == "claims"
    page = client_fr.get(reverse("purchasing:suppliers")).content.decode()
    assert "Lot 1 — romans adultes" in page and "Anne Libraire" in page
    assert "au-dessus du plafond légal" in page
    page = client_fr.get(reverse("purchasing:supplier", args=[bookseller.pk])).content.decode()
    assert page.count('id="id_name"') == 1 and 'id="id_contact_name"' in page  # two forms
    client_fr.login(username="libr", password=PASSWORD)
    page = client_fr.get(reverse("purchasing:supplier", args=[bookseller.pk])).content.decode()
    # The facts as a reader reads them: not the form's raw values (True, an id, 10.00).
    assert "<dd>oui</dd>" in page and "<dd>10</dd>" in page
    assert f"<dd>{bookseller.medium}</dd>" in page
    assert "True" not in page and "10.00" not in page
    response = client_fr.post(
        reverse("purchasing:contact_add", args=[bookseller.pk]), {"name": "X"}
    )
    assert response.status_code == 403
