"""A hold not picked up in time expires; its copy goes to the next patron, or home."""

import datetime as dt

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus
from maillon.circulation.services import (
    checkin,
    checkout,
    expire_holds,
    hold_shelf,
    place_hold,
)

from .conftest import TODAY
from .helpers import assert_item_consistent


def ready_for(desk, network, patron, item, book, pickup="a"):
    hold = place_hold(desk["a"], network["a"], patron, book, network[pickup], today=TODAY)
    checkin(desk[pickup], network[pickup], item, today=TODAY)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    return hold


def test_expired_hold_passes_to_the_next_patron(desk, network, make_patron, make_item, book):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron("Lecteur"), item, today=TODAY)
    first = ready_for(desk, network, make_patron("Premier"), item, book)
    second = place_hold(
        desk["a"], network["a"], make_patron("Second"), book, network["a"], today=TODAY
    )
    assert hold_shelf(network["a"]) == [first]
    assert expire_holds(first.ready_until) == []  # the last day still counts
    outcomes = expire_holds(first.ready_until + dt.timedelta(days=1))
    assert [o.hold for o in outcomes] == [first]
    assert outcomes[0].decision.action == "hold_shelf"
    assert outcomes[0].decision.hold == second
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldStatus.EXPIRED and first.closed_at
    assert second.status == HoldStatus.READY and second.target == item
    assert second.ready_until == first.ready_until + dt.timedelta(days=11)
    assert_item_consistent(item)


def test_expired_hold_sends_the_copy_home(desk, network, make_patron, make_item, book):
    item = make_item(book)  # home AAA
    checkout(desk["a"], network["a"], make_patron("Lecteur"), item, today=TODAY)
    hold = ready_for(desk, network, make_patron("Loin"), item, book, pickup="b")
    outcome = expire_holds(hold.ready_until + dt.timedelta(days=1))[0]
    assert outcome.decision.action == "transfer"
    assert outcome.decision.destination == network["a"]
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT


def test_expiry_at_home_shelves(desk, network, make_patron, make_item, book):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron("Lecteur"), item, today=TODAY)
    hold = ready_for(desk, network, make_patron("Ici"), item, book)
    outcome = expire_holds(hold.ready_until + dt.timedelta(days=1))[0]
    assert outcome.decision.action == "shelve"
    assert assert_item_consistent(item).status == ItemStatus.AVAILABLE
