"""Inventory of a shelf section: scans compared with the catalogue, fixed and closed through
the services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan
from maillon.circulation.services import checkout
from maillon.inventory import services
from maillon.inventory.models import Inventory
from maillon.network.models import Role
from tests.weeding.conftest import TODAY


def test_call_numbers_sort_as_on_a_shelf():
    shelf = ["843.9 B", "R Émile", "843.10 A", "843 Z", "R durand", "R Dupont"]
    assert sorted(shelf, key=services.call_key) == [
        "843 Z",
        "843.10 A",
        "843.9 B",
        "R Dupont",
        "R durand",
        "R Émile",
    ]


@pytest.fixture
def section(network, make_item, record_of, make_patron, desk):
    a = network["a"]
    items = {
        call: make_item(record_of(f"Roman {call}"), a, call_number=f"R {call}")
        for call in ("AUB", "BAR", "BEN", "CAS", "DUR", "EVA", "ZOL")
    }
    items["HUG"] = make_item(record_of("Poèmes"), a, call_number="841 HUG")
    patron = make_patron(expires_on=TODAY.replace(year=TODAY.year + 1))
    checkout(desk["a"], a, patron.card_number, items["BEN"].barcode, today=TODAY)
    return items


def test_scan_compare_fix_and_close(desk, network, section):
    inventory = services.start(
        desk["volunteer"], network["a"], "Romans A–F", call_from="R A", call_to="R F"
    )
    kinds = [
        services.scan(desk["volunteer"], inventory, section[call].barcode).kind
        for call in ("AUB", "CAS", "BAR", "BEN", "DUR", "ZOL")
    ]
    assert kinds == ["ok", "ok", "ok", "anomaly", "ok", "outside"]
    assert services.scan(desk["volunteer"], inventory, "XX-404").kind == "unknown"
    assert services.scan(desk["volunteer"], inventory, section["AUB"].barcode).kind == "repeated"

    report = services.report(inventory)
    assert report.scanned == 7 and report.unknown == ["XX-404"]
    assert [i.call_number for i, _problem in report.anomalies] == ["R BEN"]  # lent, yet here
    assert [i.call_number for i in report.outside] == ["R ZOL"]
    assert [i.call_number for i in report.misfiled] == ["R CAS"]  # shelved before R BAR
    assert [i.call_number for i in report.missing] == ["R EVA"]  # BEN is on loan: not missing
    ((_inventory, summary),) = services.summaries([inventory])  # the list's figures agree
    assert (summary.scanned, summary.expected, summary.progress) == (7, 6, report.progress)
    assert services.progress(inventory) == summary  # the shelf page's figures, counted in SQL

    # The lent item found on the shelf: checked in here, its loan closed.
    services.fix(desk["volunteer"], inventory, section["BEN"])
    assert not Loan.objects.filter(item=section["BEN"], returned_at__isnull=True).exists()
    assert Item.objects.get(pk=section["BEN"].pk).status == ItemStatus.AVAILABLE

    with pytest.raises(PermissionDenied):
        services.close(desk["volunteer"], inventory, mark_missing=True)
    assert services.close(desk["a"], inventory, mark_missing=True) == 1
    assert Item.objects.get(pk=section["EVA"].pk).status == ItemStatus.MISSING
    assert entries_for(section["EVA"]).filter(action="marked_missing").exists()
    assert entries_for(inventory).get(action="inventory_closed").details == {"marked_missing": 1}
    with pytest.raises(services.InventoryError) as closed:
        services.scan(desk["a"], inventory, section["EVA"].barcode)
    assert closed.value.code == "inventory_closed"


def test_pages_with_a_scanner_and_a_reader_file(client_fr, desk, network, section):
    client_fr.force_login(desk["volunteer"])
    response = client_fr.post(
        reverse("inventory:list"),
        {"library": network["a"].pk, "name": "Romans", "call_from": "R A", "call_to": "R F"},
    )
    inventory = Inventory.objects.get()
    assert response.url == reverse("inventory:detail", args=[inventory.pk])
    page = client_fr.post(
        reverse("inventory:scan", args=[inventory.pk]),
        {"barcode": section["AUB"].barcode + "\n"},
        follow=True,
    ).content.decode()
    assert "Roman AUB" in page and "scan-ok" in page
    # At the shelf: the figures only (counted by the database), the lists one click away.
    assert "1 scanné" in page and "Non retrouvés au rayon" not in page
    lines = f"{section['BAR'].barcode}\n\n{section['CAS'].barcode};2024-05-02\nINCONNU\n"
    client_fr.post(
        reverse("inventory:upload", args=[inventory.pk]),
        {"file": SimpleUploadedFile("lecteur.txt", lines.encode())},
    )
    assert inventory.scans.count() == 4
    page = client_fr.get(reverse("inventory:detail", args=[inventory.pk])).content.decode()
    assert "INCONNU" in page and "Non retrouvés au rayon" in page


def test_rules_of_the_game(desk, network, section, make_staff):
    with pytest.raises(services.InventoryError) as reversed_:
        services.start(desk["a"], network["a"], "À l'envers", call_from="R F", call_to="R A")
    assert reversed_.value.code == "range_reversed"
    stranger = make_staff("volb", (network["b"], Role.VOLUNTEER))
    inventory = services.start(desk["a"], network["a"], "Romans")
    with pytest.raises(PermissionDenied):
        services.scan(stranger, inventory, section["AUB"].barcode)
    assert not inventory.scans.exists()
