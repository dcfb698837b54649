"""Receiving: a scan finds the open lines, each copy gets its new barcode and becomes available
(or in processing) through the item service, waiting holds are targeted at once; partial
receipts; invoices make copies spent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from maillon.catalogue.models import Item, ItemStatus, RecordIdentifier
from maillon.circulation import holds
from maillon.circulation.models import Hold
from maillon.purchasing import receiving, services
from maillon.purchasing.models import Receipt
from tests.circulation_fixtures import TODAY
from tests.conftest import PASSWORD

ISBN = "9782070541270"


@pytest.fixture
def line(sent_order):
    """AAA's line of 2 copies of "Veiller sur elle", known by its ISBN."""
    found = sent_order.lines.select_related("record", "order").get(quantity=2)
    RecordIdentifier.objects.create(record=found.record, value=f"isbn:{ISBN}")
    return found


def test_a_scan_finds_the_open_lines_of_the_library(line, network):
    assert receiving.open_lines(network["a"], "978-2-07-054127-0") == [line]
    with pytest.raises(services.PurchasingError) as error:
        receiving.open_lines(network["b"], ISBN)
    assert error.value.code == "no_open_line"
    with pytest.raises(services.PurchasingError) as error:
        receiving.open_lines(network["a"], "12345")
    assert error.value.code == "scan_invalid"


def test_copies_received_are_available_and_holds_are_targeted(line, network, desk, make_patron):
    hold = holds.place_own_hold(make_patron(), line.record, network["a"], today=TODAY)
    assert hold.target_id is None
    receipt = receiving.receive(desk["volunteer"], line, ["NEUF001"])
    item = Item.objects.get(barcode="NEUF001")
    assert item.status == ItemStatus.AVAILABLE and item.acquired_on is not None
    hold.refresh_from_db()
    assert hold.target_id == item.pk  # on the pull list at once
    line.refresh_from_db()
    assert line.received == 1 and line.open_quantity == 1 and receipt.quantity == 1
    assert Item.objects.filter(record=line.record, status=ItemStatus.ON_ORDER).count() == 1


def test_copies_to_equip_go_in_processing(line, desk):
    receiving.receive(desk["a"], line, ["NEUF001", "NEUF002"], status=ItemStatus.IN_PROCESSING)
    assert set(
        Item.objects.filter(barcode__startswith="NEUF").values_list("status", flat=True)
    ) == {ItemStatus.IN_PROCESSING}


def test_receiving_more_than_ordered_is_refused_and_nothing_changes(line, desk):
    with pytest.raises(services.PurchasingError) as error:
        receiving.receive(desk["a"], line, ["NEUF101", "NEUF102", "NEUF103"])
    assert error.value.code == "more_than_ordered"
    assert "Seuls 2 exemplaires sont encore attendus" in error.value.message
    receiving.receive(desk["a"], line, ["NEUF001", "NEUF002"])
    with pytest.raises(services.PurchasingError) as error:
        receiving.receive(desk["a"], line, ["NEUF003"])
    assert error.value.code == "more_than_ordered"
    assert not Item.objects.filter(barcode="NEUF003").exists()


@pytest.mark.parametrize(
    ("barcodes", "code"),
    [([], "quantity_invalid"), (["NEUF1", "NEUF1"], "barcode_twice"), (["B 1"], "barcode_format")],
)
def test_bad_barcodes_are_refused(line, desk, barcodes, code):
    with pytest.raises(services.PurchasingError) as error:
        receiving.receive(desk["a"], line, barcodes)
    assert error.value.code == code
    assert not Receipt.objects.exists()


def test_a_barcode_already_used_is_refused(line, desk, make_item):
    taken = make_item(line.record)
    with pytest.raises(services.PurchasingError) as error:
        receiving.receive(desk["a"], line, [taken.barcode])
    assert error.value.code == "barcode_taken"


def test_another_librarys_staff_cannot_receive(line, desk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        receiving.receive(desk["b"], line, ["NEUF001"])


def test_invoices_make_received_copies_spent(line, desk, network, bookseller, funds):
    first = receiving.receive(desk["a"], line, ["NEUF001"])
    receiving.receive(desk["a"], line, ["NEUF002"])
    before = services.figures_of(funds["a"])
    assert before.spent == 0
    invoice, warning = receiving.record_invoice(
        desk["a"],
        bookseller,
        network["a"],
        number="FA-2025-12",
        date=TODAY,
        amount_excl_tax=Decimal("19.41"),
        amount_incl_tax=Decimal("20.48"),
        receipt_ids=[first.pk],
    )
    assert warning == ""
    after = services.figures_of(funds["a"])
    assert after.spent == Decimal("20.48") and after.committed == before.committed - Decimal(
        "20.48"
    )
    with pytest.raises(services.PurchasingError) as error:
        receiving.record_invoice(
            desk["a"],
            bookseller,
            network["a"],
            number="FA-2025-12",
            date=TODAY,
            amount_excl_tax=Decimal("1"),
            amount_incl_tax=Decimal("1"),
            receipt_ids=[],
        )
    assert error.value.code == "invoice_taken"
    with pytest.raises(services.PurchasingError) as error:
        receiving.record_invoice(
            desk["a"],
            bookseller,
            network["a"],
            number="FA-13",
            date=TODAY,
            amount_excl_tax=Decimal("5"),
            amount_incl_tax=Decimal("4"),
            receipt_ids=[],
        )
    assert error.value.code == "amount_invalid"
    with pytest.raises(services.PurchasingError) as error:
        receiving.record_invoice(
            desk["a"],
            bookseller,
            network["a"],
            number="FA-14",
            date=TODAY,
            amount_excl_tax=Decimal("5"),
            amount_incl_tax=Decimal("6"),
            receipt_ids=[first.pk],
        )
    assert error.value.code == "receipt_unknown"  # already on FA-2025-12
    _invoice, warning = receiving.record_invoice(
        desk["a"],
        bookseller,
        network["a"],
        number="FA-15",
        date=TODAY + dt.timedelta(days=1),
        amount_excl_tax=Decimal("20"),
        amount_incl_tax=Decimal("21.10"),
        receipt_ids=[r.pk for r in receiving.uninvoiced(bookseller, network["a"])],
    )
    assert "20,48" in warning and "21,10" in warning


def test_the_reception_page_scans_and_receives(client_fr, line, desk):
    client_fr.login(username="volunt", password=PASSWORD)
    page = client_fr.get(reverse("purchasing:reception"), {"code": ISBN}).content.decode()
    assert "Veiller sur elle" in page and "2 attendus" in page
    response = client_fr.post(
        reverse("purchasing:receive", args=[line.pk]),
        {
            "code": ISBN,
            "quantity": "2",
            "barcodes": "NEUF001\nNEUF002\nNEUF003",
            "status": "available",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2 exemplaires confirmés mais 3 codes-barres lus" in page
    assert "NEUF003" in page  # what was scanned is still there
    response = client_fr.post(
        reverse("purchasing:receive", args=[line.pk]),
        {"code": ISBN, "quantity": "2", "barcodes": "NEUF001\r\nNEUF002", "status": "available"},
        follow=True,
    )
    assert "2 exemplaires de « Veiller sur elle » reçus" in response.content.decode()
    assert Item.objects.filter(barcode__in=["NEUF001", "NEUF002"]).count() == 2
    assert Hold.objects.count() == 0


def test_the_invoices_page_reads_only_a_number_as_a_supplier(client_fr, staff, bookseller):
    """?fournisseur=abc, typed or cut short, made a 500."""
    client_fr.login(username="libr", password=PASSWORD)
    url = reverse("purchasing:invoices")
    assert client_fr.get(url, {"fournisseur": "abc"}).status_code == 200
    page = client_fr.get(url, {"fournisseur": str(bookseller.pk)}).content.decode()
    assert "Librairie La Colline" in page
