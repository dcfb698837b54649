"""What the network has of a set of records, as a library sees it when deciding to buy:
copies held and where, copies on order, holds waiting, loans in the last twelve months.

Three grouped queries whatever the number of records (the selection list's page and its API
read 500 titles at once: maillon bench --only selection).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan

WAITING = (HoldStatus.WAITING, HoldStatus.SUSPENDED)
CHUNK = 1000


@dataclass
class Columns:
    held: dict[int, int] = field(default_factory=dict)  # library id → copies
    on_order: dict[int, int] = field(default_factory=dict)
    holds: int = 0
    loans: int = 0

    @property
    def held_total(self) -> int:
        return sum(self.held.values())

    @property
    def on_order_total(self) -> int:
        return sum(self.on_order.values())

    def frozen(self, library_id: int) -> dict[str, int]:
        """The figures kept with a commitment (what the library saw)."""
        return {
            "held": self.held_total,
            "held_here": self.held.get(library_id, 0),
            "on_order": self.on_order_total,
            "holds": self.holds,
            "loans": self.loans,
        }


def columns(record_ids: list[int], now: dt.datetime | None = None) -> dict[int, Columns]:
    since = (now or timezone.now()) - dt.timedelta(days=365)
    found: dict[int, Columns] = defaultdict(Columns)
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for record_id, home_id, status, n in (
            Item.objects.filter(record_id__in=chunk)
            .exclude(status__in=GONE_STATUSES)
            .values_list("record_id", "home_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            column = found[record_id]
            target = column.on_order if status == ItemStatus.ON_ORDER else column.held
            target[home_id] = target.get(home_id, 0) + n
        for record_id, n in (
            Hold.objects.filter(record_id__in=chunk, status__in=WAITING)
            .values_list("record_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            found[record_id].holds = n
        for record_id, n in (
            Loan.objects.filter(item__record_id__in=chunk, checked_out_at__gte=since)
            .values_list("item__record_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            found[record_id].loans = n
    return {record_id: found[record_id] for record_id in ids}
