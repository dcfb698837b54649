"""Holds are served first come, first served; a hold may name one copy; refusals are clear."""

import datetime as dt

import pytest

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus, LoanRule
from maillon.circulation.services import (
    CirculationError,
    checkin,
    checkout,
    hold_position,
    holds_of,
    place_hold,
    place_own_hold,
    queue_of,
)
from maillon.patrons.models import BlockKind, PatronBlock

from .conftest import TODAY
from .helpers import assert_item_consistent


def refusal(*args, own=False) -> str:
    with pytest.raises(CirculationError) as caught:
        if own:
            place_own_hold(*args, today=TODAY)
        else:
            place_hold(*args, today=TODAY)
    assert caught.value.message
    return caught.value.code


def test_first_come_first_served(desk, network, make_patron, make_item, book):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron("Lecteur"), item, today=TODAY)
    first, second, third = (make_patron(name) for name in ("Un", "Deux", "Trois"))
    holds = [
        place_hold(desk["a"], network["a"], p, book, network["a"], today=TODAY)
        for p in (first, second, third)
    ]
    assert [hold_position(h) for h in holds] == [1, 2, 3]
    assert queue_of(book) == holds
    assert holds_of(second)[0].position == 2
    checkin(desk["a"], network["a"], item, today=TODAY)
    holds[0].refresh_from_db()
    assert holds[0].status == HoldStatus.READY
    assert [hold_position(h) for h in holds[1:]] == [1, 2]


def test_hold_on_one_copy_waits_for_that_copy(desk, network, make_patron, make_item, book):
    wanted, other = make_item(book), make_item(book)
    checkout(desk["a"], network["a"], make_patron("A"), wanted, today=TODAY)
    checkout(desk["a"], network["a"], make_patron("B"), other, today=TODAY)
    specific = place_hold(
        desk["a"], network["a"], make_patron("Précis"), wanted, network["a"], today=TODAY
    )
    anyone = place_hold(
        desk["a"], network["a"], make_patron("Souple"), book, network["a"], today=TODAY
    )
    assert specific.item == wanted and specific.record == book
    other_result = checkin(desk["a"], network["a"], other, today=TODAY)
    assert other_result.hold == anyone  # the older hold wants only `wanted`
    wanted_result = checkin(desk["a"], network["a"], wanted, today=TODAY)
    assert wanted_result.hold == specific
    assert_item_consistent(wanted)
    assert_item_consistent(other)


def test_patron_cannot_hold_twice_or_what_they_have(desk, network, make_patron, make_item, book):
    patron = make_patron()
    item = make_item(book)
    place_hold(desk["a"], network["a"], patron, book, network["a"], today=TODAY)
    assert refusal(desk["a"], network["a"], patron, item, network["b"]) == "already_held"
    other = make_patron("Autre")
    checkout(desk["a"], network["a"], other, item, today=TODAY)
    assert refusal(other, book, network["a"], own=True) == "already_yours"


def test_record_without_items_or_without_holdable_copy(
    desk, network, make_patron, make_item, make_record, types
):
    patron = make_patron()
    empty = make_record("Sans exemplaire")
    assert refusal(desk["a"], network["a"], patron, empty, network["a"]) == "no_items"
    reference = make_record("Dictionnaire")
    make_item(reference, status=ItemStatus.WITHDRAWN)
    assert refusal(desk["a"], network["a"], patron, reference, network["a"]) == "no_holdable_copy"
    LoanRule.objects.create(item_type=types["DVD"], holds_allowed=False)
    film = make_record("Film")
    make_item(film, item_type="DVD")
    assert refusal(desk["a"], network["a"], patron, film, network["a"]) == "no_holdable_copy"


def test_blocked_or_expired_patron_cannot_hold(desk, network, make_patron, make_item, book):
    make_item(book)
    expired = make_patron(expires_on=TODAY - dt.timedelta(days=1))
    assert refusal(expired, book, network["a"], own=True) == "patron_expired"
    blocked = make_patron("Bloqué")
    PatronBlock.objects.create(patron=blocked, kind=BlockKind.LOST, library=network["a"])
    assert refusal(desk["a"], network["a"], blocked, book, network["a"]) == "patron_blocked"


def test_checkout_of_another_copy_fulfils_the_patrons_hold(
    desk, network, make_patron, make_item, book
):
    patron = make_patron()
    lent, shelved = make_item(book), make_item(book, network["b"])
    checkout(desk["a"], network["a"], make_patron("X"), lent, today=TODAY)
    hold = place_hold(desk["a"], network["a"], patron, book, network["a"], today=TODAY)
    assert hold.target == shelved
    checkout(desk["b"], network["b"], patron, shelved, today=TODAY)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.FULFILLED
    result = checkin(desk["a"], network["a"], lent, today=TODAY)
    assert result.action == "shelve"  # nobody else waits
