"""Which copy fills a hold: one at the pickup library first, else the soonest by the shuttle.

The chosen copy appears on its library's pull list; scanning it at check-in captures it.
"""

import datetime as dt

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus
from maillon.circulation.services import checkin, checkout, place_hold, pull_list
from maillon.network.models import Closure
from tests.conftest import make_library

from .conftest import TODAY
from .helpers import assert_item_consistent


def test_copy_at_the_pickup_library_comes_first(desk, network, make_patron, make_item, book):
    far = make_item(book, network["head"])
    near = make_item(book, network["b"])
    hold = place_hold(desk["b"], network["b"], make_patron(), book, network["b"], today=TODAY)
    assert hold.target == near and hold.status == HoldStatus.WAITING
    assert [e.item for e in pull_list(network["b"], TODAY)] == [near]
    assert pull_list(network["head"], TODAY) == []
    # Not on the hold shelf until someone takes it off the shelf and scans it.
    assert assert_item_consistent(near).status == ItemStatus.AVAILABLE
    assert far.pk != near.pk


def test_otherwise_the_copy_that_arrives_soonest(desk, network, make_patron, make_item, book):
    thursday = make_library("JEUDI", shuttle_days=[4])  # leaves Thursday 6 March
    tuesday = make_library("MARDI", shuttle_days=[2])  # leaves Tuesday 4 March
    no_shuttle = make_library("ISOLE", shuttle_days=[])
    make_item(book, no_shuttle)
    make_item(book, thursday)
    soon = make_item(book, tuesday)
    hold = place_hold(
        desk["head"], network["head"], make_patron(), book, network["head"], today=TODAY
    )
    assert hold.target == soon
    entry = pull_list(tuesday, TODAY)[0]
    assert (entry.item, entry.hold, entry.destination) == (soon, hold, network["head"])


def test_closures_delay_the_shuttle(desk, network, make_patron, make_item, book):
    thursday = make_library("JEUDI", shuttle_days=[4])
    tuesday = make_library("MARDI", shuttle_days=[2])
    Closure.objects.create(library=tuesday, start=dt.date(2025, 3, 4), end=dt.date(2025, 3, 8))
    make_item(book, tuesday)  # next run from MARDI: Tuesday 11 March
    thursday_copy = make_item(book, thursday)
    hold = place_hold(
        desk["head"], network["head"], make_patron(), book, network["head"], today=TODAY
    )
    assert hold.target == thursday_copy


def test_scanning_the_pulled_copy_captures_it(desk, network, make_patron, make_item, book):
    copy = make_item(book, network["a"])
    hold = place_hold(desk["b"], network["b"], make_patron(), book, network["b"], today=TODAY)
    assert [e.item for e in pull_list(network["a"], TODAY)] == [copy]
    result = checkin(desk["a"], network["a"], copy, today=TODAY)
    assert result.action == "transfer" and result.destination == network["b"]
    assert result.hold == hold
    assert pull_list(network["a"], TODAY) == []
    assert_item_consistent(copy)


def test_pulled_copy_borrowed_meanwhile_is_replaced(desk, network, make_patron, make_item, book):
    first = make_item(book, network["b"])
    second = make_item(book, network["a"])
    hold = place_hold(desk["b"], network["b"], make_patron(), book, network["b"], today=TODAY)
    assert hold.target == first
    checkout(desk["b"], network["b"], make_patron("Passant"), first, today=TODAY)
    hold.refresh_from_db()
    assert hold.target == second
    assert [e.item for e in pull_list(network["a"], TODAY)] == [second]
    assert pull_list(network["b"], TODAY) == []


def test_copy_that_may_not_travel_is_not_pulled_for_elsewhere(
    desk, network, make_patron, make_item, book, types
):
    from maillon.circulation.models import LoanRule

    LoanRule.objects.create(item_type=types["NOUV"], may_travel=False)
    new = make_item(book, network["a"], item_type="NOUV")
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    assert hold.target == new  # pickup at its own library: fine
    import pytest

    from maillon.circulation.services import CirculationError

    with pytest.raises(CirculationError) as caught:
        place_hold(desk["b"], network["b"], make_patron("Loin"), book, network["b"], today=TODAY)
    assert caught.value.code == "no_holdable_copy"
