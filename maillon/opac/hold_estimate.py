"""What a patron may expect before confirming a hold: where to pick it up, and how soon.

An estimate, read-only: the circulation services decide for real when the hold is placed and
when a copy is checked in. The copies on a shelf go to the holds already waiting first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from maillon.catalogue.models import Item, ItemStatus, Record
from maillon.circulation.models import Hold, HoldStatus
from maillon.circulation.rules import RuleBook
from maillon.circulation.targeting import Arrivals, can_fill_now, can_hold_copy
from maillon.network.models import Library
from maillon.patrons.models import Patron

READY_SOON = "ready_soon"
SHUTTLE = "shuttle"
QUEUE = "queue"
NONE = "none"


def pickup_points() -> QuerySet[Library]:
    """Where a patron may collect a hold: the active libraries the network made pickup points."""
    return Library.objects.filter(is_active=True, is_pickup_point=True).order_by("name")


@dataclass
class Estimate:
    kind: str  # READY_SOON, SHUTTLE, QUEUE or NONE (no copy can come to this library)
    position: int  # in the queue, counting the holds already waiting
    arrival: dt.date | None = None  # the shuttle's expected arrival at the pickup library
    source: Library | None = None  # where the copy that would travel is now


def estimate(record: Record, patron: Patron, pickup: Library, today: dt.date) -> Estimate:
    book = RuleBook()
    copies = list(Item.objects.filter(record=record).select_related("current"))
    if not any(can_hold_copy(book, c, patron.category_id, pickup.pk) for c in copies):
        return Estimate(NONE, 0)
    ahead = Hold.objects.filter(record=record, status=HoldStatus.WAITING).count()
    arrivals = Arrivals(today)
    on_shelves = sorted(
        (
            (arrivals.arrival(c.current_id, pickup.pk), c)
            for c in copies
            if c.status == ItemStatus.AVAILABLE
            and can_fill_now(book, c, patron.category_id, pickup.pk, c.current_id)
        ),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    reachable = [(day, c) for day, c in on_shelves if day != dt.date.max]
    # Waiting holds take the shelved copies first; ours gets the next one, if any is left.
    if ahead < len(reachable):
        day, copy = reachable[ahead]
        if copy.current_id == pickup.pk:
            return Estimate(READY_SOON, ahead + 1)
        return Estimate(SHUTTLE, ahead + 1, arrival=day, source=copy.current)
    return Estimate(QUEUE, ahead + 1)
