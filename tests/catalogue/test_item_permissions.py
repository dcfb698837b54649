"""Who may change an item's state: the server decides, whatever the page shows (invariant 5).

Desk actions (lost, missing, damaged, found) belong to circulation staff of the item's home
library or of the library where it is; withdrawing, reinstating and changing the home library to
the librarians of its home library (and the coordinator)."""

import pytest
from django.core.exceptions import PermissionDenied

from maillon.audit.models import AuditEntry
from maillon.catalogue import items
from maillon.catalogue.models import Item, ItemStatus


def test_a_volunteer_of_a_cannot_withdraw_b_s_item_nor_a_s(desk, network, make_item, book):
    theirs, ours = make_item(book, home=network["b"]), make_item(book, home=network["a"])
    for item in (theirs, ours):
        with pytest.raises(PermissionDenied):
            items.withdraw(desk["volunteer"], item, reason="worn", destination="discarded")
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.AVAILABLE}
    assert not AuditEntry.objects.exists()


def test_a_librarian_withdraws_only_her_library_s_items(desk, network, make_item, book):
    theirs, ours = make_item(book, home=network["b"]), make_item(book, home=network["a"])
    with pytest.raises(PermissionDenied):
        items.withdraw(desk["a"], theirs, reason="worn", destination="discarded")
    items.withdraw(desk["a"], ours, reason="worn", destination="discarded")
    items.withdraw(desk["head"], theirs, reason="worn", destination="discarded")
    assert set(Item.objects.values_list("status", flat=True)) == {ItemStatus.WITHDRAWN}


def test_a_volunteer_marks_damaged_what_is_in_her_hands(desk, network, make_item, book):
    elsewhere = make_item(book, home=network["b"])
    with pytest.raises(PermissionDenied):
        items.mark_damaged(desk["volunteer"], elsewhere)
    # B's item, now at A (returned there, waiting for the shuttle): A's desk may say so.
    here = make_item(book, home=network["b"], current=network["a"])
    items.mark_damaged(desk["volunteer"], here)
    assert Item.objects.get(pk=here.pk).status == ItemStatus.DAMAGED
    assert Item.objects.get(pk=elsewhere.pk).status == ItemStatus.AVAILABLE


def test_changing_the_home_library_needs_both_libraries(desk, network, make_item, book):
    item = make_item(book)
    with pytest.raises(PermissionDenied):
        items.change_home(desk["a"], item, network["b"])  # B is not hers
    with pytest.raises(PermissionDenied):
        items.change_home(desk["b"], item, network["b"])  # the item is not hers
    assert Item.objects.get(pk=item.pk).home_id == network["a"].pk
