"""Lots: built by scan or selection, one lot per item, sent and received in one scan through
the circulation services, label and packing list printed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkin, checkout
from maillon.lots import printing, services
from maillon.lots.models import Lot
from tests.circulation.conftest import TODAY


@pytest.fixture
def crate(desk, network, make_item, record_of):
    lot = services.create(desk["volunteer"], network["a"], "Romans policiers n°3")
    items = [
        make_item(record_of(f"Polar {n}"), network["a"], call_number=f"R POL {n}", price=12)
        for n in range(4)
    ]
    for item in items:
        services.add(desk["volunteer"], lot, item.barcode)
    return lot, items


def test_build_by_scan_with_count_value_and_history(crate, desk):
    lot, items = crate
    assert lot.code == f"LOT{lot.pk:05d}"
    found = services.contents(lot)
    assert found.count == 4 and found.value == 48
    with pytest.raises(services.LotError) as error:
        services.add(desk["volunteer"], lot, items[0].barcode)
    assert error.value.code == "already_in_lot"
    with pytest.raises(services.LotError) as error:
        services.add(desk["volunteer"], lot, "NOPE")
    assert error.value.code == "unknown_barcode"
    actions = list(entries_for(lot).values_list("action", flat=True))
    assert actions.count("lot_item_added") == 4 and "lot_created" in actions


def test_an_item_is_in_one_lot_only(crate, desk, network):
    lot, items = crate
    other = services.create(desk["volunteer"], network["a"], "Albums 0-3 ans B")
    with pytest.raises(services.LotError) as error:
        services.add(desk["volunteer"], other, items[1].barcode)
    assert error.value.code == "in_another_lot" and lot.code in error.value.message
    services.remove(desk["volunteer"], lot, items[1])
    services.add(desk["volunteer"], other, items[1].barcode)
    assert services.contents(lot).count == 3


def test_volunteer_builds_only_at_own_library(desk, network):
    with pytest.raises(PermissionDenied):
        services.create(desk["volunteer"], network["b"], "Ailleurs")


def test_selection_adds_the_idle_shelf(desk, network, make_item, record_of):
    lot = services.create(desk["a"], network["a"], "Sélection")
    make_item(record_of("Un"), network["a"], call_number="R POL A")
    make_item(record_of("Deux"), network["a"], call_number="BD X")
    chosen = services.selection(network["a"], call_prefix="R POL", idle_months=18)
    added, refused = services.add_many(desk["a"], lot, chosen)
    assert (added, refused) == (1, [])


def test_send_and_receive_in_one_scan(crate, desk, network, make_patron):
    lot, items = crate
    patron = make_patron()
    checkout(desk["a"], network["a"], patron.card_number, items[3].barcode, today=TODAY)
    result = services.send(desk["a"], lot, network["b"])
    assert len(result.sent) == 3 and result.following == [items[3].barcode]
    for item in items:
        item.refresh_from_db()
        assert item.home_id == network["b"].pk and item.owner_id == network["a"].pk
    assert {i.status for i in items[:3]} == {ItemStatus.IN_TRANSIT}
    assert Transfer.objects.filter(item__in=items[:3], sent_at__isnull=False).count() == 3
    with pytest.raises(services.LotError) as error:
        services.send(desk["a"], lot, network["b"])
    assert error.value.code == "lot_in_transit"
    with pytest.raises(services.LotError) as error:
        services.receive(desk["a"], lot, network["a"])
    assert error.value.code == "wrong_library" and network["b"].name in error.value.message

    done = services.receive(
        desk["b"], lot, network["b"], [items[0].barcode, items[1].barcode, "INTRUS-1"]
    )
    assert done.received == [items[0].barcode, items[1].barcode]
    assert done.missing == [items[2].barcode] and done.extra == ["INTRUS-1"]
    assert done.following == [items[3].barcode]
    lot.refresh_from_db()
    assert lot.station == network["b"] and lot.state == Lot.State.AT_STATION
    assert Item.objects.get(pk=items[0].pk).current_id == network["b"].pk
    assert services.receive(desk["b"], lot, network["b"]).already
    # The copy on loan at departure goes to its new home when returned.
    answer = checkin(desk["a"], network["a"], items[3].barcode, today=TODAY)
    assert Transfer.objects.filter(item=items[3], to_library=network["b"]).exists(), answer


def test_a_lost_item_blocks_the_send_and_nothing_moves(crate, desk, network):
    lot, items = crate
    from maillon.catalogue import items as item_service

    item_service.mark_lost(desk["a"], items[2])
    with pytest.raises(services.LotError) as error:
        services.send(desk["a"], lot, network["b"])
    assert error.value.code == "items_blocked" and items[2].barcode in error.value.message
    assert not Transfer.objects.filter(item__in=items).exists()
    assert Item.objects.filter(pk__in=[i.pk for i in items], home=network["a"]).count() == 4


def test_label_has_a_code128_and_the_packing_list(crate):
    lot, items = crate
    html = printing.html(lot)
    assert "<svg" in html and lot.code in html and items[0].barcode in html
    assert printing.pdf(lot).startswith(b"%PDF")


def test_pages_by_keyboard_and_scanner(client_fr, crate, desk, network, make_item, record_of):
    lot, items = crate
    extra = make_item(record_of("Encore"), network["a"])
    client_fr.force_login(desk["volunteer"])
    client_fr.post(reverse("lots:scan", args=[lot.code]), {"barcode": extra.barcode})
    page = client_fr.get(reverse("lots:detail", args=[lot.code])).content.decode()
    assert "mis dans le lot" in page and extra.barcode in page
    client_fr.post(reverse("lots:send", args=[lot.code]), {"to_library": network["b"].pk})
    lot.refresh_from_db()
    assert lot.state == Lot.State.IN_TRANSIT
    client_fr.force_login(desk["b"])
    session = client_fr.session
    session["maillon_library_id"] = network["b"].pk
    session.save()
    page = client_fr.post(reverse("lots:receive"), {"code": lot.code.lower()}).content.decode()
    lot.refresh_from_db()
    assert lot.station == network["b"], page
    response = client_fr.get(reverse("lots:print", args=[lot.code]))
    assert response["Content-Type"] == "application/pdf"


def test_the_search_index_follows_the_lot(crate, desk, network):
    """Sent and received in bulk, the items' records still say where they are held and
    available: as a full reindex would."""
    from maillon.catalogue.models import SearchEntry, SearchHolding
    from maillon.catalogue.search import index_records

    lot, items = crate
    records = [item.record_id for item in items]

    def index() -> list:
        entries = list(
            SearchEntry.objects.filter(record_id__in=records)
            .order_by("record_id")
            .values_list("libraries", "available_libraries")
        )
        pairs = sorted(SearchHolding.objects.filter(record_id__in=records).values_list())
        return [entries, pairs]

    services.send(desk["a"], lot, network["b"])
    sent = index()
    assert {row[0] for row in sent[0]} == {f" {network['b'].pk} "}  # their home now
    assert {row[1] for row in sent[0]} == {" "}  # in transit: available nowhere
    index_records(records)
    assert index() == sent
    services.receive(desk["b"], lot, network["b"])
    received = index()
    assert {row[1] for row in received[0]} == {f" {network['b'].pk} "}
    index_records(records)
    assert index() == received


def test_deferred_refreshes_are_dropped_with_an_error(crate, desk, network):
    """Inside refreshes_deferred the index is rewritten once at the end, and not at all when
    the block fails."""
    from django.db import transaction

    from maillon.catalogue import search
    from maillon.catalogue.models import SearchEntry

    _lot, items = crate
    record = items[0].record_id
    search.index_records([record])
    before = SearchEntry.objects.get(record_id=record).available_libraries
    with pytest.raises(RuntimeError), search.refreshes_deferred():
        Item.objects.filter(pk=items[0].pk).update(status=ItemStatus.DAMAGED)
        search.refresh_holdings(record)
        raise RuntimeError("the change failed")
    # Not reindexed (the caller's transaction would roll the change back).
    assert SearchEntry.objects.get(record_id=record).available_libraries == before
    with transaction.atomic(), search.refreshes_deferred():
        with search.refreshes_deferred():  # nested: the outer one reindexes
            Item.objects.filter(record_id=record).update(status=ItemStatus.DAMAGED)
            search.refresh_holdings(record)
        assert SearchEntry.objects.get(record_id=record).available_libraries == before
    assert SearchEntry.objects.get(record_id=record).available_libraries == " "


def test_a_received_lot_leaves_each_item_s_history_as_one_by_one(crate, desk, network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lot, items = crate
    services.send(desk["a"], lot, network["b"])
    with CaptureQueriesContext(connection) as captured:
        services.receive(desk["b"], lot, network["b"])
    for item in items:
        actions = list(entries_for(item).values_list("action", flat=True))
        assert actions[:3] == ["transfer_received", "transfer_sent", "transfer_created"]
        assert entries_for(item).first().library_id == network["b"].pk
    # The arrivals' audit entries in one INSERT (batched), not one per item.
    inserts = [q for q in captured.captured_queries if 'INSERT INTO "audit_auditentry"' in q["sql"]]
    assert len(inserts) == 2  # the items' entries, then the lot's own
