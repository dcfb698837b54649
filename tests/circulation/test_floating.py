"""A floating collection stays where it is returned: its home follows it."""

from maillon.audit.services import entries_for
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkin, checkout, place_hold

from .conftest import TODAY
from .helpers import assert_item_consistent


def test_floating_item_returned_elsewhere_stays_there(desk, network, make_patron, make_item, book):
    item = make_item(book, floating=True)
    checkout(desk["a"], network["a"], make_patron(), item, today=TODAY)
    result = checkin(desk["b"], network["b"], item, today=TODAY)
    assert result.action == "shelve" and result.destination == network["b"]
    assert not Transfer.objects.exists()
    item = assert_item_consistent(item)
    assert (item.home, item.current, item.owner) == (network["b"], network["b"], network["a"])
    event = entries_for(item).get(action="home_changed")
    assert event.details["old_home"] == network["a"].pk


def test_floating_item_still_serves_holds_first(desk, network, make_patron, make_item, book):
    item = make_item(book, floating=True)
    checkout(desk["a"], network["a"], make_patron(), item, today=TODAY)
    place_hold(desk["a"], network["a"], make_patron("Bernard"), book, network["a"], today=TODAY)
    result = checkin(desk["b"], network["b"], item, today=TODAY)
    assert result.action == "transfer" and result.destination == network["a"]
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT
