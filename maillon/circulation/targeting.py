"""Which copy should fill which hold.

Rules for a hold (library of the rule = the item's home library, which lends it; category = the
hold's patron's; type = the item's):

* a copy can be held at all when its rule allows holds and it is not gone (withdrawn, lost,
  missing) — and, if its rule says it may not travel, only for pickup at its home library;
* a copy on the shelf is *targeted* for the oldest waiting hold it can fill: a copy already at
  the pickup library first, else the one that arrives soonest by the shuttle schedule. A target
  only puts the copy on its library's pull list; check-in decides for real when the copy is
  scanned (see ``routing``), so a target that went stale (the copy was borrowed meanwhile) is
  harmless and gets replaced by ``retarget``.
"""

from __future__ import annotations

import datetime as dt

from maillon.catalogue.models import HOLDABLE_STATUSES, Item, ItemStatus
from maillon.circulation.calendar import shuttle_arrival
from maillon.circulation.models import Hold, HoldStatus
from maillon.circulation.rules import RuleBook
from maillon.network.models import Library


def can_hold_copy(book: RuleBook, item: Item, category_id: int | None, pickup_id: int) -> bool:
    """May a patron of this category hold this copy for pickup at `pickup_id`, some day?"""
    if item.status not in HOLDABLE_STATUSES:
        return False
    rule = book.rule_for(item.home_id, category_id, item.item_type_id)
    return rule.holds_allowed and (rule.may_travel or pickup_id == item.home_id)


def can_fill_now(
    book: RuleBook, item: Item, category_id: int | None, pickup_id: int, at_library_id: int
) -> bool:
    """May this copy, now at `at_library_id`, go to this hold (the shelf here or the shuttle)?"""
    rule = book.rule_for(item.home_id, category_id, item.item_type_id)
    return rule.holds_allowed and (rule.may_travel or pickup_id == at_library_id)


class Arrivals:
    """Shuttle arrival dates, libraries loaded once with their closures."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.libraries: dict[int, Library] = {}
        self.cache: dict[tuple[int, int], dt.date] = {}

    def library(self, pk: int) -> Library:
        if pk not in self.libraries:
            self.libraries[pk] = Library.objects.prefetch_related("closures").get(pk=pk)
        return self.libraries[pk]

    def arrival(self, source_id: int, destination_id: int) -> dt.date:
        key = (source_id, destination_id)
        if key not in self.cache:
            self.cache[key] = shuttle_arrival(
                self.library(source_id), self.library(destination_id), self.today
            )
        return self.cache[key]


def best_copy(
    book: RuleBook, arrivals: Arrivals, hold: Hold, category_id: int | None, copies: list[Item]
) -> Item | None:
    """The copy on a shelf that reaches the hold's pickup library first (there already: best)."""
    usable = [
        c
        for c in copies
        if c.status == ItemStatus.AVAILABLE
        and (hold.item_id is None or hold.item_id == c.pk)
        and can_fill_now(book, c, category_id, hold.pickup_library_id, c.current_id)
    ]
    if not usable:
        return None
    return min(usable, key=lambda c: (arrivals.arrival(c.current_id, hold.pickup_library_id), c.pk))


def retarget(record_id: int, today: dt.date, book: RuleBook | None = None) -> None:
    """Give every waiting hold of the record, oldest first, a copy to pull if one is free.

    A target stays if its copy is still on the shelf and no older hold took it. Locks the
    record's waiting holds with SKIP LOCKED: a hold another transaction is changing is left to it
    (it retargets too), and this never waits while holding other locks, so no deadlock with a
    check-in locking the same holds. Targets are advisory, a rare double pick is harmless.
    """
    holds = list(
        Hold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(record_id=record_id, status=HoldStatus.WAITING)
        .select_related("patron")
        .order_by("created_at", "pk")
    )
    if not holds:
        return
    book = book or RuleBook()
    arrivals = Arrivals(today)
    copies = list(Item.objects.filter(record_id=record_id, status=ItemStatus.AVAILABLE))
    by_pk = {c.pk: c for c in copies}
    taken: set[int] = set()
    for hold in holds:
        category_id = hold.patron.category_id if hold.patron else None
        current = by_pk.get(hold.target_id) if hold.target_id else None
        if (
            current is not None
            and current.pk not in taken
            and (hold.item_id is None or hold.item_id == current.pk)
            and can_fill_now(book, current, category_id, hold.pickup_library_id, current.current_id)
        ):
            taken.add(current.pk)
            continue
        free = [c for c in copies if c.pk not in taken]
        chosen = best_copy(book, arrivals, hold, category_id, free)
        new_target = chosen.pk if chosen else None
        if chosen:
            taken.add(chosen.pk)
        if new_target != hold.target_id:
            Hold.objects.filter(pk=hold.pk).update(target_id=new_target)
