"""Funds per library and year: committed, spent and left read live from the order lines and
the invoiced receipts, in Decimal; only the library's managers change them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.models import Role
from maillon.purchasing import services
from maillon.purchasing.models import Fund, Invoice, Receipt
from tests.conftest import PASSWORD

from .conftest import YEAR


def test_figures_add_up_from_lines_and_invoiced_receipts(funds, make_line, record_of, bookseller):
    fund = funds["a"]
    first = make_line(record_of(), fund, 3, "19.90")  # net 18.11 each
    second = make_line(record_of(), fund, 2, "7.10", cancelled=1)  # net 6.46, one cancelled
    make_line(record_of(), funds["b"], 5, "50.00")  # another library's fund: not counted
    invoice = Invoice.objects.create(
        supplier=bookseller,
        library=fund.library,
        number="F-1",
        date="2025-03-01",
        amount_excl_tax=Decimal("34.33"),
        amount_incl_tax=Decimal("36.22"),
    )
    Receipt.objects.create(line=first, quantity=2, invoice=invoice)
    Receipt.objects.create(line=second, quantity=1)  # received, not invoiced: still committed
    found = services.figures_of(fund)
    assert found.ordered == Decimal("18.11") * 3 + Decimal("6.46")
    assert found.spent == Decimal("36.22")
    assert found.committed == found.ordered - Decimal("36.22")
    assert found.left == Decimal("1000") - found.ordered
    assert found.committed + found.spent + found.left == fund.amount
    assert all(isinstance(v, Decimal) for v in (found.ordered, found.spent, found.left))


def test_net_price_rounds_to_the_cent():
    assert services.net_price(Decimal("19.90"), Decimal("9")) == Decimal("18.11")
    assert services.net_price(Decimal("7.15"), Decimal("5")) == Decimal("6.79")  # 6.7925
    assert services.excl_tax(Decimal("10.55"), Decimal("5.5")) == Decimal("10.00")


def test_a_librarian_creates_a_fund_at_their_library_only(staff, network):
    librarian = staff[Role.LIBRARIAN]
    fund = services.save_fund(
        librarian,
        Fund(library=network["a"], year=YEAR, code="mus", name="Musique", amount=Decimal("250.5")),
    )
    assert fund.code == "MUS" and fund.amount == Decimal("250.50")
    assert AuditEntry.objects.filter(action="fund_created", object_id=fund.pk).exists()
    with pytest.raises(PermissionDenied):
        services.save_fund(
            librarian,
            Fund(library=network["b"], year=YEAR, code="X", name="X", amount=Decimal("1")),
        )


def test_a_fund_code_is_taken_once_per_library_and_year(staff, funds, network):
    with pytest.raises(services.PurchasingError) as error:
        services.save_fund(
            staff[Role.COORDINATOR],
            Fund(library=network["a"], year=YEAR, code="adu", name="Autre", amount=Decimal("1")),
        )
    assert error.value.code == "code_taken" and "ADU" in error.value.message
    # Another year, the same code is free.
    services.save_fund(
        staff[Role.COORDINATOR],
        Fund(library=network["a"], year=YEAR + 1, code="ADU", name="Adultes", amount=Decimal("1")),
    )


def test_a_fund_cannot_shrink_below_what_is_ordered(staff, funds, make_line, record_of):
    make_line(record_of(), funds["a"], 10, "50.00")  # 455.00 ordered
    fund = funds["a"]
    fund.amount = Decimal("400")
    with pytest.raises(services.PurchasingError) as error:
        services.save_fund(staff[Role.COORDINATOR], fund)
    assert error.value.code == "amount_below_ordered"
    assert "455,00" in error.value.message
    fund.amount = Decimal("-1")
    with pytest.raises(services.PurchasingError) as error:
        services.save_fund(staff[Role.COORDINATOR], fund)
    assert error.value.code == "amount_negative"
    assert Fund.objects.get(pk=fund.pk).amount == Decimal("1000.00")


def test_overspending_a_fund_needs_a_reason(funds, make_line, record_of):
    make_line(record_of(), funds["b"], 10, "80.00")  # 728.00 of 800
    with pytest.raises(services.PurchasingError) as error:
        services.check_fund_room(funds["b"], Decimal("100"), "")
    assert error.value.code == "fund_overspent" and "72,00" in error.value.message
    assert services.check_fund_room(funds["b"], Decimal("100"), " prix littéraire ") == (
        "prix littéraire"
    )
    assert services.check_fund_room(funds["b"], Decimal("72"), "") == ""


def test_the_budgets_page_shows_each_managed_library(client_fr, staff, funds, make_line, record_of):
    make_line(record_of(), funds["a"], 2, "10.00")
    client_fr.login(username="coord", password=PASSWORD)
    page = client_fr.get(reverse("purchasing:budgets"), {"annee": YEAR}).content.decode()
    assert "Bibliothèque AAA" in page and "Bibliothèque BBB" in page
    assert "1\xa0000,00\xa0€" in page and "18,20\xa0€" in page  # amount, committed
    client_fr.login(username="libr", password=PASSWORD)
    page = client_fr.get(reverse("purchasing:budgets"), {"annee": YEAR}).content.decode()
    assert "Bibliothèque AAA" in page and "Bibliothèque BBB" not in page
    assert client_fr.get(reverse("purchasing:fund", args=[funds["b"].pk])).status_code == 403
    client_fr.login(username="volunt", password=PASSWORD)
    page = client_fr.get(reverse("purchasing:budgets"), {"annee": YEAR}).content.decode()
    assert "Adultes" not in page
    assert client_fr.get(reverse("purchasing:fund", args=[funds["a"].pk])).status_code == 403


def test_the_fund_form_keeps_what_was_typed_on_error(client_fr, staff, funds):
    client_fr.login(username="libr", password=PASSWORD)
    response = client_fr.post(
        reverse("purchasing:budgets") + f"?annee={YEAR}",
        {
            "library": funds["a"].library_id,
            "year": YEAR,
            "code": "ADU",
            "name": "Doublon",
            "amount": "12,50",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Doublon" in page and "12,50" in page
    assert "a déjà un fonds avec ce code pour cette année" in page
    response = client_fr.post(
        reverse("purchasing:budgets") + f"?annee={YEAR}",
        {
            "library": funds["a"].library_id,
            "year": YEAR,
            "code": "DOC",
            "name": "Docs",
            "amount": "12,50",
        },
    )
    assert response.status_code == 302
    assert Fund.objects.get(code="DOC").amount == Decimal("12.50")
