"""The invariant every test checks after each operation (docs/design.md, invariant 1), and the
French messages the desk pages show."""

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer


def assert_item_consistent(item: Item) -> Item:
    """The item's status agrees with the rows that imply it; returns the item, refreshed."""
    item.refresh_from_db()
    open_loans = list(Loan.objects.filter(item=item, returned_at__isnull=True))
    transfers = list(
        Transfer.objects.filter(item=item, received_at__isnull=True, cancelled_at__isnull=True)
    )
    ready = list(Hold.objects.filter(target=item, status=HoldStatus.READY))
    travelling = list(Hold.objects.filter(target=item, status=HoldStatus.IN_TRANSIT))
    assert len(open_loans) <= 1 and len(transfers) <= 1 and len(ready) <= 1, item
    assert bool(open_loans) == (item.status == ItemStatus.ON_LOAN), (item.status, open_loans)
    assert bool(transfers) == (item.status == ItemStatus.IN_TRANSIT), (item.status, transfers)
    assert bool(ready) == (item.status == ItemStatus.ON_HOLD_SHELF), (item.status, ready)
    if ready:
        assert ready[0].pickup_library_id == item.current_id
    if transfers:
        assert transfers[0].from_library_id == item.current_id
    for hold in travelling:
        assert transfers and transfers[0].hold_id == hold.pk
        assert transfers[0].to_library_id == hold.pickup_library_id
    return item


def fr(msgid: str, **values) -> str:
    """The French message a page shows, escaped as in the HTML."""
    with translation.override("fr"):
        return escape(gettext(msgid) % values)
