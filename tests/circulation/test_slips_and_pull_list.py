"""Slips carry the call number and a scannable barcode, fit a receipt printer and open the
print dialog; the pull list follows the shelves."""

from django.urls import reverse

from maillon.circulation.services import create_transfer, place_hold, pull_list
from tests.circulation.conftest import TODAY


def test_the_routing_slip_has_call_number_and_barcode(client_fr, desk, network, make_item, book):
    item = make_item(book, call_number="R SAI")
    transfer = create_transfer(desk["a"], network["a"], item.barcode, network["b"])
    client_fr.force_login(desk["a"])
    page = client_fr.get(
        reverse("circulation:transfer_slip", args=[transfer.pk]) + "?imprimer=1"
    ).content.decode()
    assert "R SAI" in page
    assert 'class="barcode" src="data:image/svg+xml;base64,' in page
    assert "data-autoprint" in page and "autoprint.js" in page and "slip.css" in page


def test_the_pull_list_follows_the_shelves(desk, network, make_patron, make_item, make_record):
    for title, location, call in (
        ("Zadig", "Romans", "R VOL"),
        ("Atlas", "Documentaires", "912 ATL"),
        ("Candide", "Romans", "R CAN"),
    ):
        record = make_record(title)
        make_item(record, location=location, call_number=call)
        place_hold(desk["a"], network["a"], make_patron(), record, network["a"], today=TODAY)
    entries = pull_list(network["a"], TODAY)
    assert [e.item.call_number for e in entries] == ["912 ATL", "R CAN", "R VOL"]
