"""Check-in at any library says what to do: hold shelf here, send elsewhere, or shelve here."""

from maillon.audit.services import entries_for
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus, Loan, Transfer, TransferReason
from maillon.circulation.services import checkin, checkout, place_hold

from .conftest import TODAY
from .helpers import assert_item_consistent


def lent(desk, network, patron, item, library="a"):
    checkout(desk[library], network[library], patron, item, today=TODAY)
    return item


def test_returned_at_home_is_shelved(desk, network, make_patron, make_item, book):
    item = lent(desk, network, make_patron(), make_item(book))
    result = checkin(desk["volunteer"], network["a"], item.barcode, today=TODAY)
    assert result.action == "shelve" and result.destination == network["a"]
    assert result.loan.returned_at and result.loan.return_library == network["a"]
    assert "Ranger" in result.message or "Shelve" in result.message
    item = assert_item_consistent(item)
    assert item.status == ItemStatus.AVAILABLE and item.current == network["a"]


def test_returned_elsewhere_goes_home(desk, network, make_patron, make_item, book):
    item = lent(desk, network, make_patron(), make_item(book))
    result = checkin(desk["b"], network["b"], item, today=TODAY)
    assert result.action == "transfer" and result.destination == network["a"]
    assert result.transfer.reason == TransferReason.RETURN_HOME
    assert result.transfer.from_library == network["b"]
    item = assert_item_consistent(item)
    assert item.status == ItemStatus.IN_TRANSIT and item.current == network["b"]
    assert item.home == network["a"]


def test_returned_where_a_hold_waits_goes_on_the_hold_shelf(
    desk, network, make_patron, make_item, book
):
    reader, waiting = make_patron(), make_patron("Bernard", "Jean")
    item = lent(desk, network, reader, make_item(book))
    hold = place_hold(desk["b"], network["b"], waiting, book, network["b"], today=TODAY)
    result = checkin(desk["b"], network["b"], item, today=TODAY)
    assert result.action == "hold_shelf" and result.destination == network["b"]
    assert result.hold == hold and result.patron_card == waiting.card_number
    assert result.patron_initials == "J. B."
    assert "Bernard" not in result.message and waiting.card_number in result.message
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY and hold.target == item
    assert hold.ready_until.isoformat() == "2025-03-13"
    assert assert_item_consistent(item).status == ItemStatus.ON_HOLD_SHELF


def test_returned_elsewhere_than_the_pickup_travels_to_it(
    desk, network, make_patron, make_item, book
):
    reader, waiting = make_patron(), make_patron("Bernard")
    item = lent(desk, network, reader, make_item(book))
    hold = place_hold(desk["b"], network["b"], waiting, book, network["head"], today=TODAY)
    result = checkin(desk["a"], network["a"], item, today=TODAY)
    assert result.action == "transfer" and result.destination == network["head"]
    assert result.transfer.reason == TransferReason.HOLD and result.transfer.hold == hold
    hold.refresh_from_db()
    assert hold.status == HoldStatus.IN_TRANSIT and hold.target == item
    assert_item_consistent(item)


def test_double_scan_repeats_the_decision(desk, network, make_patron, make_item, book):
    item = lent(desk, network, make_patron(), make_item(book))
    first = checkin(desk["b"], network["b"], item, today=TODAY)
    again = checkin(desk["b"], network["b"], item, today=TODAY)
    assert again.repeated and not first.repeated
    assert (again.action, again.destination, again.transfer) == (
        first.action,
        first.destination,
        first.transfer,
    )
    assert Transfer.objects.count() == 1 and again.loan is None
    assert_item_consistent(item)

    shelved = lent(desk, network, make_patron("Petit"), make_item(book))
    checkin(desk["a"], network["a"], shelved, today=TODAY)
    events = entries_for(shelved).count()
    again = checkin(desk["a"], network["a"], shelved, today=TODAY)
    assert again.action == "shelve" and again.loan is None
    assert entries_for(shelved).count() == events


def test_double_scan_on_the_hold_shelf(desk, network, make_patron, make_item, book):
    item = lent(desk, network, make_patron(), make_item(book))
    place_hold(desk["a"], network["a"], make_patron("Bernard"), book, network["a"], today=TODAY)
    first = checkin(desk["a"], network["a"], item, today=TODAY)
    again = checkin(desk["a"], network["a"], item, today=TODAY)
    assert first.action == again.action == "hold_shelf" and again.repeated
    assert again.hold == first.hold and again.patron_card == first.patron_card
    assert_item_consistent(item)


def test_checkin_of_an_item_not_on_loan_just_decides(desk, network, make_item, book):
    item = make_item(book, network["a"], current=network["b"])  # left at BBB by someone
    result = checkin(desk["b"], network["b"], item, today=TODAY)
    assert result.action == "transfer" and result.loan is None
    assert not Loan.objects.exists()
    assert_item_consistent(item)


def test_lost_item_found_at_checkin(desk, network, make_item, book):
    item = make_item(book, status=ItemStatus.LOST)
    result = checkin(desk["a"], network["a"], item, today=TODAY)
    assert result.action == "shelve"
    assert entries_for(item).filter(action="found").exists()
    assert assert_item_consistent(item).status == ItemStatus.AVAILABLE


def test_not_for_loan_item_is_left_as_it_is(desk, network, make_item, book):
    item = make_item(book, status=ItemStatus.NOT_FOR_LOAN)
    result = checkin(desk["a"], network["a"], item, today=TODAY)
    assert result.action == "shelve" and result.repeated
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_FOR_LOAN


def test_withdrawn_item_is_refused(desk, network, make_item, book):
    import pytest

    from maillon.circulation.services import CirculationError

    item = make_item(book, status=ItemStatus.WITHDRAWN)
    with pytest.raises(CirculationError) as caught:
        checkin(desk["a"], network["a"], item, today=TODAY)
    assert caught.value.code == "item_withdrawn"


def test_result_as_plain_data(desk, network, make_patron, make_item, book):
    item = lent(desk, network, make_patron(), make_item(book))
    data = checkin(desk["b"], network["b"], item, today=TODAY).as_dict()
    assert data["action"] == "transfer" and data["destination"] == "AAA"
    assert data["reason"] == "return_home" and data["loan_closed"] and not data["repeated"]
