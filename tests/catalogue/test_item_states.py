"""The item's own states (lost, missing, damaged, found, withdrawn…) change only through
catalogue/items.py: each change is checked against the transitions table and recorded."""

import pytest

from maillon.audit.services import entries_for
from maillon.catalogue import items
from maillon.catalogue.items import ItemError
from maillon.catalogue.models import Item, ItemStatus, SearchEntry
from maillon.catalogue.search import index_records
from maillon.catalogue.services import update_item
from maillon.circulation.services import (
    CirculationError,
    checkin,
    checkout,
    create_transfer,
    place_hold,
)
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import assert_item_consistent

S = ItemStatus


def test_mark_lost_then_found_elsewhere(desk, network, make_item, book):
    item = make_item(book)
    items.mark_lost(desk["a"], item, note="Introuvable au récolement")
    assert assert_item_consistent(item).status == S.LOST
    entry = entries_for(item).get(action="marked_lost")
    assert entry.user == desk["a"] and entry.details["previous_status"] == S.AVAILABLE
    assert entry.details["note"] == "Introuvable au récolement"

    items.mark_found(desk["a"], item, network["a"])
    item.refresh_from_db()
    assert (item.status, item.current_id) == (S.AVAILABLE, network["a"].pk)
    assert entries_for(item).filter(action="found").count() == 1


def test_damaged_item_is_not_lent_until_repaired(desk, network, make_patron, make_item, book):
    item = make_item(book)
    patron = make_patron()
    items.mark_damaged(desk["volunteer"], item)
    with pytest.raises(CirculationError) as refused:
        checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    assert refused.value.code == "not_for_loan"
    items.mark_repaired(desk["a"], item)
    checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    assert assert_item_consistent(item).status == S.ON_LOAN


def test_an_item_on_loan_cannot_be_withdrawn_lost_or_damaged(
    desk, network, make_patron, make_item, book
):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron().card_number, item.barcode, today=TODAY)
    for change in (
        lambda: items.withdraw(desk["a"], item, reason="worn", destination="discarded"),
        lambda: items.mark_lost(desk["a"], item),
        lambda: items.mark_damaged(desk["a"], item),
    ):
        with pytest.raises(ItemError) as refused:
            change()
        assert refused.value.code == "item_on_loan"
    assert assert_item_consistent(item).status == S.ON_LOAN
    assert not entries_for(item).exclude(action="checkout").exists()


def test_an_item_in_transit_or_on_the_hold_shelf_keeps_its_state(
    desk, network, make_patron, make_item, book
):
    travelling = make_item(book)
    create_transfer(desk["a"], network["a"], travelling.barcode, network["b"])
    with pytest.raises(ItemError) as refused:
        items.mark_missing(desk["a"], travelling)
    assert refused.value.code == "item_in_transit"

    kept = make_item(book)
    place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    checkin(desk["a"], network["a"], kept.barcode, today=TODAY)
    assert assert_item_consistent(kept).status == S.ON_HOLD_SHELF
    with pytest.raises(ItemError) as refused:
        items.withdraw(desk["a"], kept, reason="worn", destination="discarded")
    assert refused.value.code == "item_on_hold_shelf"
    assert_item_consistent(kept)


def test_withdraw_needs_a_reason_and_a_destination_and_can_be_undone(desk, make_item, book):
    item = make_item(book)
    with pytest.raises(ItemError) as refused:
        items.withdraw(desk["a"], item, reason="", destination="discarded")
    assert (refused.value.code, refused.value.field) == ("reason_missing", "reason")
    with pytest.raises(ItemError) as refused:
        items.withdraw(desk["a"], item, reason="worn", destination="nowhere")
    assert refused.value.code == "destination_missing"
    assert Item.objects.get(pk=item.pk).status == S.AVAILABLE

    items.withdraw(desk["a"], item, reason="outdated", destination="donated")
    assert Item.objects.get(pk=item.pk).status == S.WITHDRAWN
    entry = entries_for(item).get(action="withdrawn")
    assert (entry.details["reason"], entry.details["destination"]) == ("outdated", "donated")
    with pytest.raises(ItemError) as refused:
        items.withdraw(desk["a"], item, reason="outdated", destination="donated")
    assert refused.value.code == "no_change"
    with pytest.raises(ItemError) as refused:
        items.mark_lost(desk["a"], item)
    assert refused.value.code == "transition_refused"

    items.reinstate(desk["a"], item)
    assert Item.objects.get(pk=item.pk).status == S.AVAILABLE


def test_a_withdrawn_item_is_neither_lent_nor_counted_by_search(
    desk, network, make_patron, make_item, book
):
    item = make_item(book)
    index_records([book.pk])
    assert SearchEntry.objects.get(record=book).available
    items.withdraw(desk["a"], item, reason="worn", destination="discarded")
    entry = SearchEntry.objects.get(record=book)
    assert not entry.available and entry.libraries.strip() == ""
    with pytest.raises(CirculationError) as refused:
        checkout(desk["a"], network["a"], make_patron().card_number, item.barcode, today=TODAY)
    assert refused.value.code == "item_withdrawn"


def test_change_home_keeps_where_it_is(desk, network, make_item, book):
    item = make_item(book)
    with pytest.raises(ItemError) as refused:
        items.change_home(desk["head"], item, network["a"])
    assert refused.value.code == "no_change"
    items.change_home(desk["head"], item, network["b"], note="Rotation de printemps")
    item.refresh_from_db()
    assert (item.home_id, item.current_id) == (network["b"].pk, network["a"].pk)
    entry = entries_for(item).get(action="home_changed")
    assert (entry.details["old_home"], entry.details["new_home"]) == (
        network["a"].pk,
        network["b"].pk,
    )


def test_circulation_cannot_move_an_item_the_table_does_not_allow(make_item, book):
    item = make_item(book, status=S.WITHDRAWN)
    with pytest.raises(ItemError) as refused:
        items.move_item(item, S.ON_LOAN)
    assert refused.value.kind == "conflict"
    assert Item.objects.get(pk=item.pk).status == S.WITHDRAWN


def test_every_status_has_its_transitions():
    assert set(items.TRANSITIONS) == set(S.values)
    for targets in items.TRANSITIONS.values():
        assert targets <= set(S.values)


def test_the_item_form_changes_the_home_through_change_home(desk, network, make_item, book):
    item = make_item(book, call_number="R SAI")
    update_item(desk["head"], item, home=network["b"], call_number="R SAI P")
    item.refresh_from_db()
    assert (item.home_id, item.call_number, item.status) == (
        network["b"].pk,
        "R SAI P",
        S.AVAILABLE,
    )
    assert entries_for(item).filter(action="home_changed").count() == 1
    assert entries_for(item).get(action="item_edited").details == {
        "changes": {"call_number": ["R SAI", "R SAI P"]}
    }


def test_a_copy_leaving_its_shelf_passes_its_hold_to_another(
    desk, network, make_patron, make_item, book
):
    first, second = make_item(book), make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    hold.refresh_from_db()
    targeted = hold.target_id
    assert targeted in (first.pk, second.pk)
    other = second if targeted == first.pk else first

    items.withdraw(desk["a"], targeted, reason="worn", destination="discarded")
    hold.refresh_from_db()
    assert hold.target_id == other.pk  # on the pull list in place of the withdrawn copy

    items.mark_damaged(desk["a"], other)
    hold.refresh_from_db()
    assert hold.target_id is None  # no copy left on a shelf: the hold waits

    items.mark_repaired(desk["a"], other)
    hold.refresh_from_db()
    assert hold.target_id == other.pk  # back on the shelf, chosen again
