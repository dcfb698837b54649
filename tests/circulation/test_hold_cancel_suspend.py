"""Patrons and staff cancel or suspend holds; a suspended hold keeps its place in line."""

import datetime as dt

import pytest

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus
from maillon.circulation.services import (
    CirculationError,
    cancel_hold,
    cancel_own_hold,
    checkin,
    checkout,
    expire_holds,
    hold_position,
    place_hold,
    pull_list,
    resume_own_hold,
    suspend_hold,
    suspend_own_hold,
)

from .conftest import TODAY
from .helpers import assert_item_consistent


def test_patron_cancels_a_waiting_hold_the_copy_goes_to_the_next(
    desk, network, make_patron, make_item, book
):
    copy = make_item(book)
    mine = place_hold(desk["a"], network["a"], make_patron("Moi"), book, network["a"], today=TODAY)
    other = place_hold(
        desk["a"], network["a"], make_patron("Autre"), book, network["a"], today=TODAY
    )
    assert pull_list(network["a"], TODAY)[0].hold == mine
    outcome = cancel_own_hold(mine.patron, mine, today=TODAY)
    assert outcome.hold.status == HoldStatus.CANCELLED and outcome.decision is None
    other.refresh_from_db()
    assert other.target == copy and pull_list(network["a"], TODAY)[0].hold == other
    with pytest.raises(CirculationError) as caught:
        cancel_own_hold(mine.patron, mine, today=TODAY)
    assert caught.value.code == "hold_closed"
    with pytest.raises(CirculationError) as caught:
        cancel_own_hold(mine.patron, other, today=TODAY)
    assert caught.value.code == "not_your_hold"


def test_staff_cancels_a_ready_hold_the_copy_is_routed(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["b"], today=TODAY)
    checkout(desk["a"], network["a"], make_patron("Lecteur"), make_item(book), today=TODAY)
    checkin(desk["a"], network["a"], copy, today=TODAY)  # travels to BBB
    result = checkin(desk["b"], network["b"], copy, today=TODAY)  # received at BBB
    assert result.action == "hold_shelf"
    outcome = cancel_hold(desk["b"], network["b"], hold, today=TODAY)
    assert outcome.hold.status == HoldStatus.CANCELLED
    assert outcome.decision.action == "transfer"
    assert outcome.decision.destination == network["a"]
    assert assert_item_consistent(copy).status == ItemStatus.IN_TRANSIT


def test_cancelled_while_travelling_the_copy_is_routed_on_arrival(
    desk, network, make_patron, make_item, book
):
    copy = make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["b"], today=TODAY)
    checkin(desk["a"], network["a"], copy, today=TODAY)
    cancel_hold(desk["a"], network["a"], hold, today=TODAY)
    assert_item_consistent(copy)
    result = checkin(desk["b"], network["b"], copy, today=TODAY)
    assert result.action == "transfer" and result.destination == network["a"]
    assert_item_consistent(copy)


def test_suspended_hold_keeps_its_place_and_is_skipped(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    checkout(desk["a"], network["a"], make_patron("Lecteur"), copy, today=TODAY)
    first = place_hold(
        desk["a"], network["a"], make_patron("Vacances"), book, network["a"], today=TODAY
    )
    second = place_hold(
        desk["a"], network["a"], make_patron("Présent"), book, network["a"], today=TODAY
    )
    until = TODAY + dt.timedelta(days=14)
    first = suspend_own_hold(first.patron, first, until, today=TODAY)
    assert first.status == HoldStatus.SUSPENDED and hold_position(second) == 1
    result = checkin(desk["a"], network["a"], copy, today=TODAY)
    assert result.hold == second
    resumed = resume_own_hold(first.patron, first, today=TODAY)
    assert resumed.status == HoldStatus.WAITING and hold_position(resumed) == 1


def test_suspension_ends_on_its_date(desk, network, make_patron, make_item, book):
    make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    suspend_hold(desk["a"], network["a"], hold, TODAY + dt.timedelta(days=3), today=TODAY)
    assert pull_list(network["a"], TODAY) == []
    expire_holds(TODAY + dt.timedelta(days=2))
    hold.refresh_from_db()
    assert hold.status == HoldStatus.SUSPENDED
    expire_holds(TODAY + dt.timedelta(days=3))
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING and hold.target is not None


def test_cannot_suspend_a_ready_hold_or_into_the_past(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    with pytest.raises(CirculationError) as caught:
        suspend_hold(desk["a"], network["a"], hold, TODAY, today=TODAY)
    assert caught.value.code == "bad_date"
    checkin(desk["a"], network["a"], copy, today=TODAY)
    with pytest.raises(CirculationError) as caught:
        suspend_hold(desk["a"], network["a"], hold, today=TODAY)
    assert caught.value.code == "cannot_suspend"
