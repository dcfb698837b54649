"""Transfers: sent and received at the desk; shuttle lists; an item at the wrong library.

Decision: an item received at the wrong library is accepted there and routed afresh (a new
transfer to its destination); the old transfer keeps the library that really received it.
"""

import pytest

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus, Transfer, TransferReason
from maillon.circulation.services import (
    CirculationError,
    checkin,
    checkout,
    create_transfer,
    place_hold,
    receive_transfer,
    send_transfer,
    shuttle_lists,
)

from .conftest import TODAY
from .helpers import assert_item_consistent


@pytest.fixture
def travelling(desk, network, make_patron, make_item, book):
    """A copy of AAA checked in at AAA for a hold picked up at BBB."""
    copy = make_item(book)
    hold = place_hold(
        desk["a"], network["a"], make_patron("Bernard", "Jean"), book, network["b"], today=TODAY
    )
    checkin(desk["a"], network["a"], copy, today=TODAY)
    return copy, hold


def test_send_then_receive_for_a_hold(desk, network, travelling):
    copy, hold = travelling
    lists = shuttle_lists(network["a"], TODAY)
    assert [t.item for t in lists.to_send] == [copy] and lists.expected == []
    transfer = send_transfer(desk["volunteer"], network["a"], copy.barcode)
    assert transfer.sent_at and send_transfer(desk["a"], network["a"], copy).pk == transfer.pk
    assert shuttle_lists(network["a"], TODAY).to_send == []
    assert [t.item for t in shuttle_lists(network["b"], TODAY).expected] == [copy]
    copy = assert_item_consistent(copy)
    assert copy.status == ItemStatus.IN_TRANSIT and copy.current == network["a"]

    result = receive_transfer(desk["b"], network["b"], copy, today=TODAY)
    assert result.action == "hold_shelf" and result.hold == hold
    assert result.patron_initials == "J. B." and result.misrouted_from is None
    transfer.refresh_from_db()
    assert transfer.received_at and transfer.received_library == network["b"]
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    copy = assert_item_consistent(copy)
    assert copy.current == network["b"] and copy.status == ItemStatus.ON_HOLD_SHELF
    assert shuttle_lists(network["b"], TODAY).expected == []
    again = receive_transfer(desk["b"], network["b"], copy, today=TODAY)
    assert again.repeated and again.action == "hold_shelf"


def test_received_home_is_shelved(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    checkout(desk["a"], network["a"], make_patron(), copy, today=TODAY)
    checkin(desk["b"], network["b"], copy, today=TODAY)
    send_transfer(desk["b"], network["b"], copy)
    result = receive_transfer(desk["a"], network["a"], copy, today=TODAY)
    assert result.action == "shelve"
    assert assert_item_consistent(copy).status == ItemStatus.AVAILABLE


def test_received_at_the_wrong_library_is_rerouted(desk, network, travelling):
    copy, hold = travelling
    send_transfer(desk["a"], network["a"], copy)
    result = receive_transfer(desk["head"], network["head"], copy, today=TODAY)
    assert result.misrouted_from == network["b"]
    assert result.action == "transfer" and result.destination == network["b"]
    assert network["b"].name in result.message
    old, new = Transfer.objects.order_by("pk")
    assert old.received_library == network["head"] and old.to_library == network["b"]
    assert (new.from_library, new.to_library, new.hold, new.reason) == (
        network["head"],
        network["b"],
        hold,
        TransferReason.HOLD,
    )
    hold.refresh_from_db()
    assert hold.status == HoldStatus.IN_TRANSIT
    assert assert_item_consistent(copy).current == network["head"]


def test_send_from_the_wrong_library_or_without_transfer(
    desk, network, travelling, make_item, book
):
    copy, _hold = travelling
    with pytest.raises(CirculationError) as caught:
        send_transfer(desk["b"], network["b"], copy)
    assert caught.value.code == "not_from_here" and network["a"].name in caught.value.message
    with pytest.raises(CirculationError) as caught:
        send_transfer(desk["a"], network["a"], make_item(book))
    assert caught.value.code == "no_transfer"


def test_receiving_an_item_on_loan_is_refused(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    checkout(desk["a"], network["a"], make_patron(), copy, today=TODAY)
    with pytest.raises(CirculationError) as caught:
        receive_transfer(desk["a"], network["a"], copy, today=TODAY)
    assert caught.value.code == "not_in_transit"
    assert assert_item_consistent(copy).status == ItemStatus.ON_LOAN


def test_manual_transfer(desk, network, make_item, book):
    copy = make_item(book)
    transfer = create_transfer(desk["a"], network["a"], copy, network["b"])
    assert transfer.reason == TransferReason.MANUAL
    with pytest.raises(CirculationError) as caught:
        create_transfer(desk["a"], network["a"], copy, network["b"])
    assert caught.value.code == "not_available"
    assert Transfer.objects.count() == 1
    assert_item_consistent(copy)
    send_transfer(desk["a"], network["a"], copy)
    result = receive_transfer(desk["b"], network["b"], copy, today=TODAY)
    assert result.action == "transfer" and result.destination == network["a"]  # goes home


def test_checking_out_an_item_waiting_to_go_home_cancels_the_transfer(
    desk, network, make_patron, make_item, book
):
    copy = make_item(book)
    checkout(desk["a"], network["a"], make_patron(), copy, today=TODAY)
    checkin(desk["b"], network["b"], copy, today=TODAY)
    checkout(desk["b"], network["b"], make_patron("Autre"), copy, today=TODAY)
    assert Transfer.objects.get().cancelled_at is not None
    assert assert_item_consistent(copy).status == ItemStatus.ON_LOAN
