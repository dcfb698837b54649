"""What the public sees of a record's copies: per library, call number, status in words, due date.

Copies withdrawn or lost are no longer held and are not shown. The due date comes from the open
loan of a copy (``maillon.circulation``); it is fetched for the whole list in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus, Record
from maillon.circulation.models import Loan
from maillon.network.models import Library

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Status → (words for readers, badge tone). Staff words say what happened; these say what the
# reader can do.
PUBLIC_STATUS: dict[str, tuple[StrOrPromise, str]] = {
    ItemStatus.AVAILABLE: (_("available"), "ok"),
    ItemStatus.ON_LOAN: (_("on loan"), "warn"),
    ItemStatus.IN_TRANSIT: (_("travelling between libraries"), "warn"),
    ItemStatus.ON_HOLD_SHELF: (_("set aside for a reader"), "warn"),
    ItemStatus.IN_PROCESSING: (_("being prepared, soon on the shelves"), "warn"),
    ItemStatus.NOT_FOR_LOAN: (_("to read on site only"), "ok"),
    ItemStatus.DAMAGED: (_("unavailable (being repaired)"), "bad"),
    ItemStatus.MISSING: (_("unavailable"), "bad"),
    ItemStatus.ON_ORDER: (_("on order: you may reserve it now"), "warn"),
}


@dataclass
class Copy:
    call_number: str
    item_type: str
    location: str
    status: str
    label: str
    tone: str
    due_on: dt.date | None = None
    # Where the copy is when it is on a shelf of another library than its own.
    elsewhere: Library | None = None


@dataclass
class Holding:
    library: Library
    copies: list[Copy] = field(default_factory=list)

    @property
    def available(self) -> int:
        return sum(copy.status == ItemStatus.AVAILABLE for copy in self.copies)


def held_items(record: Record) -> QuerySet[Item]:
    """The copies still held, with their libraries, types and open loans: three queries."""
    open_loans = Prefetch(
        "loans",
        to_attr="open_loans",
        queryset=Loan.objects.filter(returned_at__isnull=True).only("id", "item_id", "due_on"),
    )
    return (
        record.items.exclude(status__in=GONE_STATUSES)
        .select_related("home", "current", "item_type")
        .prefetch_related(open_loans)
        .order_by("home__name", "call_number", "id")
    )


def holdings(record: Record) -> list[Holding]:
    by_library: dict[int, Holding] = {}
    for item in held_items(record):
        label, tone = PUBLIC_STATUS.get(item.status, (item.get_status_display(), "warn"))
        loans = getattr(item, "open_loans", [])
        elsewhere = (
            item.current
            if item.current_id != item.home_id and item.status != ItemStatus.IN_TRANSIT
            else None
        )
        holding = by_library.setdefault(item.home_id, Holding(item.home))
        holding.copies.append(
            Copy(
                call_number=item.call_number,
                item_type=item.item_type.name,
                location=item.location,
                status=item.status,
                label=str(label),
                tone=tone,
                due_on=loans[0].due_on if loans else None,
                elsewhere=elsewhere,
            )
        )
    return list(by_library.values())
