"""Checkout refuses with a stable code and a French message, and changes nothing when it does.

A librarian may override a card or limit problem with a reason that is kept; a volunteer may not.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maillon.audit.services import entries_for
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan
from maillon.circulation.services import CirculationError, checkout, place_hold
from maillon.patrons.models import BlockKind, PatronBlock

from .conftest import TODAY
from .helpers import assert_item_consistent


def refused(code, *args, **kwargs) -> CirculationError:
    with pytest.raises(CirculationError) as caught:
        checkout(*args, today=TODAY, **kwargs)
    assert caught.value.code == code, caught.value
    assert caught.value.message
    return caught.value


def test_checkout_by_card_and_barcode(desk, network, make_patron, make_item, book):
    patron, item = make_patron(), make_item(book)
    loan = checkout(
        desk["volunteer"], network["a"], f" {patron.card_number} ", item.barcode, today=TODAY
    )
    assert loan.patron == patron and loan.library == network["a"]
    assert loan.due_on == TODAY + dt.timedelta(days=21) and loan.loan_days == 21
    assert (loan.patron_category_code, loan.item_type_code, loan.patron_age_band) == (
        "ADU",
        "LIVRE",
        "25-39",
    )
    item = assert_item_consistent(item)
    assert item.status == ItemStatus.ON_LOAN and item.loan_count == 1 and item.last_loan_at
    assert entries_for(item).filter(action="checkout").count() == 1


def test_unknown_card_and_barcode(desk, network, make_patron, make_item, book):
    patron, item = make_patron(), make_item(book)
    assert (
        "99999999"
        in refused("unknown_card", desk["a"], network["a"], "99999999", item.barcode).message
    )
    refused("unknown_barcode", desk["a"], network["a"], patron, "NOPE-1")
    assert not Loan.objects.exists()


def test_already_on_loan_to_someone_else_or_to_the_same_patron(
    desk, network, make_patron, make_item, book
):
    first, second, item = make_patron(), make_patron("Durand"), make_item(book)
    checkout(desk["a"], network["a"], first, item, today=TODAY)
    refused("already_on_loan", desk["a"], network["a"], second, item)
    refused("already_yours", desk["a"], network["a"], first, item)
    assert Loan.objects.count() == 1
    assert_item_consistent(item)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (ItemStatus.WITHDRAWN, "item_withdrawn"),
        (ItemStatus.LOST, "item_lost"),
        (ItemStatus.MISSING, "item_lost"),
        (ItemStatus.NOT_FOR_LOAN, "not_for_loan"),
        (ItemStatus.IN_PROCESSING, "not_for_loan"),
    ],
)
def test_items_out_of_circulation(desk, network, make_patron, make_item, book, status, code):
    patron, item = make_patron(), make_item(book, status=status)
    error = refused(code, desk["a"], network["a"], patron, item, override_reason="please")
    assert not error.overridable
    assert not Loan.objects.exists()


def test_item_kept_for_another_patrons_hold(desk, network, make_patron, make_item, book):
    from maillon.circulation.services import checkin

    waiting, other = make_patron("Attente"), make_patron("Autre")
    item = make_item(book)
    checkout(desk["a"], network["a"], other, item, today=TODAY)
    place_hold(desk["a"], network["a"], waiting, book, network["a"], today=TODAY)
    checkin(desk["a"], network["a"], item, today=TODAY)  # → hold shelf for `waiting`
    refused("on_hold_for_other", desk["a"], network["a"], other, item, override_reason="il insiste")
    loan = checkout(desk["a"], network["a"], waiting, item, today=TODAY)
    assert loan.patron == waiting
    assert waiting.holds.get().status == "fulfilled"
    assert_item_consistent(item)


def test_expired_card_volunteer_refused_librarian_overrides(
    desk, network, make_patron, make_item, book
):
    patron = make_patron(expires_on=TODAY - dt.timedelta(days=1))
    item = make_item(book)
    error = refused("patron_expired", desk["volunteer"], network["a"], patron, item)
    assert error.overridable and error.details["refusals"][0]["code"] == "patron_expired"
    refused(
        "override_forbidden",
        desk["volunteer"],
        network["a"],
        patron,
        item,
        override_reason="Je la connais",
    )
    refused("patron_expired", desk["a"], network["a"], patron, item, override_reason="   ")
    loan = checkout(
        desk["a"], network["a"], patron, item, today=TODAY, override_reason="Réinscription en cours"
    )
    assert loan.override_reason == "Réinscription en cours"
    assert loan.override_codes == ["patron_expired"] and loan.overridden_by == desk["a"]
    assert entries_for(item).get(action="checkout").details["override"] == ["patron_expired"]
    assert_item_consistent(item)


def test_blocked_card_lists_the_reasons(desk, network, make_patron, make_item, book):
    patron, item = make_patron(), make_item(book)
    PatronBlock.objects.create(patron=patron, kind=BlockKind.OVERDUE, library=network["a"])
    error = refused("patron_blocked", desk["a"], network["a"], patron, item)
    assert "retard" in error.message or "overdue" in error.message
    loan = checkout(
        desk["a"], network["a"], patron, item, today=TODAY, override_reason="Retards rendus ce jour"
    )
    assert loan.override_codes == ["patron_blocked"]


def test_desk_work_only_at_ones_own_library(desk, network, make_patron, make_item, book):
    patron = make_patron(expires_on=TODAY - dt.timedelta(days=1))
    item = make_item(book, network["b"])
    with pytest.raises(PermissionDenied):
        checkout(desk["a"], network["b"], patron, item, today=TODAY, override_reason="x")
    loan = checkout(desk["b"], network["b"], patron, item, today=TODAY, override_reason="ok")
    assert loan.library == network["b"]
