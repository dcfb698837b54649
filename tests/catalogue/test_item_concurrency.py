"""A librarian withdraws an item while a desk lends it: exactly one wins (invariant 3).

As in tests/circulation/test_concurrency.py: real threads on PostgreSQL (SQLite lets one writer
in at a time, so there is no race to show). The first test takes the item locks away and holds
both sides after their checks: both pass, and the item ends withdrawn with an open loan, or lent
while withdrawn. With the locks, the second side waits, reads the item as the first left it, and
gets a clear refusal.
"""

import threading
from functools import partial

import pytest
from django.db import connection

from maillon.audit.services import entries_for
from maillon.catalogue import items
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation import loans
from maillon.circulation.models import Loan
from maillon.circulation.services import CirculationError, checkout
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import assert_item_consistent
from tests.circulation.test_concurrency import (
    TIMEOUT,
    in_parallel,
    unlock_items_by_barcode,
    user,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def _withdraw(item: Item):
    return items.withdraw(user("libr"), item.pk, reason="worn", destination="discarded")


def _checkout(patron, item: Item):
    return checkout(user("volunt"), item.home_id, patron.card_number, item.barcode, today=TODAY)


def test_without_the_lock_withdrawal_and_checkout_both_pass(
    desk, make_patron, make_item, book, monkeypatch
):
    item, patron = make_item(book), make_patron()
    past_checks = threading.Barrier(2)
    refuse_loan, write_withdrawal = loans._item_refusal, items.move_item

    def checked_then_wait(item_, patron_):
        refusal = refuse_loan(item_, patron_)
        past_checks.wait(TIMEOUT)  # both sides have read the item before either writes
        return refusal

    def wait_then_write(item_, *args, **kwargs):
        past_checks.wait(TIMEOUT)
        return write_withdrawal(item_, *args, **kwargs)

    # The same reads without FOR UPDATE.
    monkeypatch.setattr(items, "lock", lambda item_: Item.objects.get(pk=item_))
    unlock_items_by_barcode(monkeypatch)
    monkeypatch.setattr(loans, "_item_refusal", checked_then_wait)
    monkeypatch.setattr(items, "move_item", wait_then_write)  # the withdrawal's write only
    outcomes = in_parallel(lambda: _withdraw(item), lambda: _checkout(patron, item))
    assert isinstance(outcomes[0], Item) and isinstance(outcomes[1], Loan), outcomes
    # Both "won" from the same available copy: a loan and a withdrawal of it are recorded,
    # whichever status was written last — what the locks exist to prevent.
    assert Loan.objects.filter(item=item, returned_at__isnull=True).exists()
    assert entries_for(item).filter(action="withdrawn").exists()


def test_withdrawal_against_checkout_exactly_one_wins(desk, make_patron, make_item, book):
    for _round in range(3):
        item, patron = make_item(book), make_patron()
        outcomes = in_parallel(partial(_withdraw, item), partial(_checkout, patron, item))
        withdrawn, lent = outcomes
        if isinstance(withdrawn, Item):
            assert isinstance(lent, CirculationError) and lent.code == "item_withdrawn", outcomes
            assert assert_item_consistent(item).status == ItemStatus.WITHDRAWN
            assert not Loan.objects.filter(item=item).exists()
        else:
            assert isinstance(withdrawn, items.ItemError), outcomes
            assert withdrawn.code == "item_on_loan" and isinstance(lent, Loan)
            assert assert_item_consistent(item).status == ItemStatus.ON_LOAN
