"""Holds: placing, cancelling, suspending, the daily expiry; the pull list and the hold shelf.

Locks, in order: the patron, then the item a hold keeps on a shelf (if any), then the hold.
Staff functions take the actor and the desk's library (CIRCULATE there); the ``*_own`` variants
are for the patron themself (public account, portal) and check the hold is theirs.

Holds are served first come, first served (``created_at``); a suspended hold keeps its place
and gets it back when it resumes (on the date given, by ``expire_holds``, or by hand).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.models import ActorKind
from maillon.audit.services import Actor
from maillon.audit.services import record as record_action
from maillon.catalogue.models import Item, ItemStatus, Record
from maillon.circulation.common import library_obj, lock_item, lock_patron, log, today_or
from maillon.circulation.errors import CirculationError
from maillon.circulation.loans import patron_refusals
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold, HoldStatus, Loan
from maillon.circulation.routing import CheckinResult, route
from maillon.circulation.rules import RuleBook
from maillon.circulation.targeting import can_hold_copy, retarget
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.patrons.models import Patron


@dataclass
class HoldOutcome:
    """A hold that changed, and what became of the copy it held on a shelf (if it did)."""

    hold: Hold
    decision: CheckinResult | None = None


# Placing -------------------------------------------------------------------------------------


def place_hold(
    actor,
    library: Library | int,
    patron: Patron,
    wanted: Record | Item,
    pickup_library: Library | int,
    *,
    today: dt.date | None = None,
) -> Hold:
    """Place a hold from the desk of `library` on a record (any copy) or one item.

    Locks the patron. Codes: patron_expired, patron_blocked, pickup_unavailable,
    not_a_pickup_point, record_merged, no_items, no_holdable_copy, already_held, already_yours.
    The chosen copy, if one is on a shelf, appears on its library's pull list; check-in of that
    copy captures it.
    """
    require(actor, Action.CIRCULATE, library_obj(library))
    return _place(patron, wanted, library_obj(pickup_library), today_or(today), actor)


def place_own_hold(
    patron: Patron,
    wanted: Record | Item,
    pickup_library: Library | int,
    *,
    today: dt.date | None = None,
) -> Hold:
    """A patron placing their own hold (public account, portal); same rules as the desk."""
    return _place(patron, wanted, library_obj(pickup_library), today_or(today), None)


def _place(patron: Patron, wanted: Record | Item, pickup: Library, today: dt.date, actor) -> Hold:
    with transaction.atomic():
        patron = lock_patron(patron)
        refusals = patron_refusals(patron, today)
        if refusals:
            raise CirculationError(refusals[0].code, refusals[0].message)
        if not pickup.is_active:
            raise CirculationError(
                "pickup_unavailable",
                _("%(library)s does not take holds at the moment.") % {"library": pickup.name},
            )
        if not pickup.is_pickup_point:
            raise CirculationError(
                "not_a_pickup_point",
                _("%(library)s is not a pickup point for reservations: choose another library.")
                % {"library": pickup.name},
            )
        item = wanted if isinstance(wanted, Item) else None
        record = Record.objects.get(pk=item.record_id if item else wanted.pk)
        if record.merged_into_id:
            raise CirculationError(
                "record_merged",
                _("This record was merged into another one: place the hold on that one."),
            )
        copies = [Item.objects.get(pk=item.pk)] if item else list(record.items.all())
        if not copies:
            raise CirculationError("no_items", _("No library of the network has this document."))
        book = RuleBook()
        if not any(can_hold_copy(book, c, patron.category_id, pickup.pk) for c in copies):
            raise CirculationError(
                "no_holdable_copy",
                _("No copy of this document can be held for pickup %(at_library)s.")
                % {"at_library": pickup.at_name},
            )
        if Hold.objects.filter(
            patron=patron, record=record, status__in=ACTIVE_HOLD_STATUSES
        ).exists():
            raise CirculationError(
                "already_held", _("This patron already has a hold on this document.")
            )
        if Loan.objects.filter(
            patron=patron, item__record=record, returned_at__isnull=True
        ).exists():
            raise CirculationError(
                "already_yours", _("This patron already has this document on loan.")
            )
        hold = Hold.objects.create(
            record=record,
            item=item,
            patron=patron,
            pickup_library=pickup,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            patron_category_code=patron.category.code,
        )
        record_action(
            "hold_placed",
            hold,
            actor=actor or patron,  # place_own_hold: the patron acted
            library=pickup,
            patron=patron,
            details={"record": record.pk, **({"item": item.pk} if item else {})},
        )
        retarget(record.pk, today, book)
        hold.refresh_from_db()
        return hold


# Cancelling, suspending ----------------------------------------------------------------------


def cancel_hold(
    actor, library: Library | int, hold: Hold, *, today: dt.date | None = None
) -> HoldOutcome:
    """Cancel from the desk of `library`. A hold ready on a shelf frees its copy, which goes to
    the next hold or home exactly as at check-in (the outcome says where). Code: hold_closed."""
    require(actor, Action.CIRCULATE, library_obj(library))
    return _close(hold, HoldStatus.CANCELLED, today_or(today), actor)


def cancel_own_hold(patron: Patron, hold: Hold, *, today: dt.date | None = None) -> HoldOutcome:
    """The patron cancelling their own hold (code not_your_hold otherwise)."""
    _check_owner(patron, hold)
    return _close(hold, HoldStatus.CANCELLED, today_or(today), None)


def _check_owner(patron: Patron, hold: Hold) -> None:
    if Hold.objects.filter(pk=hold.pk).values_list("patron_id", flat=True).first() != patron.pk:
        raise CirculationError("not_your_hold", _("This hold is not yours."))


def _lock_hold_and_copy(hold: Hold) -> tuple[Hold, Item | None]:
    """Lock the hold's patron, the copy it keeps on a shelf, then the hold — in that order. The
    copy is only known from the hold; if it changed between the peek and the lock, try again."""
    for _attempt in range(5):
        peek = Hold.objects.get(pk=hold.pk)
        if peek.patron_id:
            lock_patron(peek.patron_id)
        item = (
            lock_item(peek.target_id)
            if (peek.status == HoldStatus.READY and peek.target_id)
            else None
        )
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        if locked.status != HoldStatus.READY or (item and locked.target_id == item.pk):
            return locked, item
    raise CirculationError("busy", _("This hold is changing right now: try again."))


def _close(hold: Hold, status: str, today: dt.date, actor) -> HoldOutcome:
    with transaction.atomic():
        hold, item = _lock_hold_and_copy(hold)
        if hold.status not in ACTIVE_HOLD_STATUSES:
            raise CirculationError(
                "hold_closed",
                _("This hold is already %(status)s.") % {"status": hold.get_status_display()},
            )
        was = hold.status
        hold.status = status
        hold.closed_at = timezone.now()
        hold.save(update_fields=["status", "closed_at"])
        decision = None
        # cancel_own_hold: the patron acted.
        who = actor if actor is not None else Actor(ActorKind.PATRON, actor_id=hold.patron_id)
        if was == HoldStatus.READY and item is not None:
            log(item, "hold_cancelled", item.current_id, who, patron=hold.patron_id, hold=hold.pk)
            decision = route(
                item, Library.objects.get(pk=item.current_id), actor=actor, today=today
            )
        else:
            record_action(
                "hold_cancelled",
                hold,
                actor=who,
                library=hold.pickup_library_id,
                patron=hold.patron_id,
                details={"record": hold.record_id},
            )
        if was == HoldStatus.WAITING and hold.target_id:
            retarget(hold.record_id, today)
        # In transit: the copy travels on and is routed afresh when it arrives.
        return HoldOutcome(hold, decision)


def suspend_hold(
    actor,
    library: Library | int,
    hold: Hold,
    until: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> Hold:
    """Suspend a waiting hold (until a date, or until resumed); it keeps its place in line.
    Codes: cannot_suspend (already travelling or ready), bad_date."""
    require(actor, Action.CIRCULATE, library_obj(library))
    return _suspend(hold, until, today_or(today))


def suspend_own_hold(
    patron: Patron, hold: Hold, until: dt.date | None = None, *, today: dt.date | None = None
) -> Hold:
    _check_owner(patron, hold)
    return _suspend(hold, until, today_or(today))


def _suspend(hold: Hold, until: dt.date | None, today: dt.date) -> Hold:
    if until is not None and until <= today:
        raise CirculationError("bad_date", _("The suspension must end after today."))
    with transaction.atomic():
        hold, _item = _lock_hold_and_copy(hold)
        if hold.status not in (HoldStatus.WAITING, HoldStatus.SUSPENDED):
            raise CirculationError(
                "cannot_suspend",
                _("A hold that is %(status)s cannot be suspended.")
                % {"status": hold.get_status_display()},
            )
        had_target = hold.target_id is not None
        hold.status = HoldStatus.SUSPENDED
        hold.suspended_until = until
        hold.target = None
        hold.save(update_fields=["status", "suspended_until", "target"])
        if had_target:
            retarget(hold.record_id, today)
        return hold


def resume_hold(actor, library: Library | int, hold: Hold, *, today: dt.date | None = None) -> Hold:
    """A suspended hold waits again, at its original place in line. Code: not_suspended."""
    require(actor, Action.CIRCULATE, library_obj(library))
    return _resume(hold, today_or(today))


def resume_own_hold(patron: Patron, hold: Hold, *, today: dt.date | None = None) -> Hold:
    _check_owner(patron, hold)
    return _resume(hold, today_or(today))


def _resume(hold: Hold, today: dt.date) -> Hold:
    with transaction.atomic():
        hold, _item = _lock_hold_and_copy(hold)
        if hold.status != HoldStatus.SUSPENDED:
            raise CirculationError("not_suspended", _("This hold is not suspended."))
        hold.status = HoldStatus.WAITING
        hold.suspended_until = None
        hold.save(update_fields=["status", "suspended_until"])
        retarget(hold.record_id, today)
        hold.refresh_from_db()
        return hold


# The daily run -------------------------------------------------------------------------------


def expire_holds(today: dt.date | None = None) -> list[HoldOutcome]:
    """The daily housekeeping of holds, one short transaction per hold:

    * suspended holds whose date has come wait again;
    * ready holds past ``ready_until`` expire, and their copy goes to the next hold or home,
      as at check-in (the outcomes say what the desk must do with each copy);
    * waiting holds get a copy to pull if one is on a shelf (targets that went stale).
    """
    today = today_or(today)
    records: set[int] = set()
    for hold in Hold.objects.filter(status=HoldStatus.SUSPENDED, suspended_until__lte=today):
        with transaction.atomic():
            locked, _item = _lock_hold_and_copy(hold)
            if (
                locked.status == HoldStatus.SUSPENDED
                and locked.suspended_until
                and locked.suspended_until <= today
            ):
                locked.status = HoldStatus.WAITING
                locked.suspended_until = None
                locked.save(update_fields=["status", "suspended_until"])
                records.add(locked.record_id)
    outcomes = []
    for hold in Hold.objects.filter(status=HoldStatus.READY, ready_until__lt=today):
        with transaction.atomic():
            locked, item = _lock_hold_and_copy(hold)
            if (
                locked.status != HoldStatus.READY
                or (locked.ready_until and locked.ready_until >= today)
                or item is None
            ):
                continue
            locked.status = HoldStatus.EXPIRED
            locked.closed_at = timezone.now()
            locked.save(update_fields=["status", "closed_at"])
            log(
                item,
                "hold_expired",
                item.current_id,
                None,
                patron=locked.patron_id,
                hold=locked.pk,
            )
            decision = route(item, Library.objects.get(pk=item.current_id), today=today)
            outcomes.append(HoldOutcome(locked, decision))
    stale = Hold.objects.filter(status=HoldStatus.WAITING).filter(
        Q(target__isnull=True) | ~Q(target__status=ItemStatus.AVAILABLE)
    )
    records |= set(
        stale.filter(record__items__status=ItemStatus.AVAILABLE)
        .values_list("record_id", flat=True)
        .distinct()
    )
    for record_id in sorted(records):
        with transaction.atomic():
            retarget(record_id, today)
    return outcomes


# Lists ---------------------------------------------------------------------------------------


@dataclass
class PullEntry:
    """A copy to take off this library's shelves today, for a hold picked up at `destination`."""

    item: Item
    hold: Hold
    destination: Library
    patron_card: str


def pull_list(library: Library | int, today: dt.date | None = None) -> list[PullEntry]:
    """Copies on `library`'s shelves chosen for holds, in shelf order (section, call number).
    Scanning each one at check-in puts it on the hold shelf or in the shuttle."""
    holds = (
        Hold.objects.filter(
            status=HoldStatus.WAITING, target__status=ItemStatus.AVAILABLE, target__current=library
        )
        .select_related("target", "target__record", "pickup_library", "patron")
        # In the order of a walk along the shelves: section, then call number.
        .order_by("target__location", "target__call_number", "created_at", "pk")
    )
    return [
        PullEntry(h.target, h, h.pickup_library, h.patron.card_number if h.patron else "")
        for h in holds
        if h.target is not None
    ]


def hold_shelf(library: Library | int) -> list[Hold]:
    """Holds ready at `library`, the soonest to expire first."""
    return list(
        Hold.objects.filter(status=HoldStatus.READY, pickup_library=library)
        .select_related("target", "record", "patron")
        .order_by("ready_until", "pk")
    )


def hold_position(hold: Hold) -> int | None:
    """1 for the next in line among the record's waiting holds; None if not waiting."""
    if hold.status != HoldStatus.WAITING:
        return None
    ahead = Hold.objects.filter(record_id=hold.record_id, status=HoldStatus.WAITING).filter(
        Q(created_at__lt=hold.created_at) | Q(created_at=hold.created_at, pk__lt=hold.pk)
    )
    return ahead.count() + 1


def holds_of(patron: Patron) -> list[Hold]:
    """The patron's active holds, each with a `position` attribute (None unless waiting)."""
    holds = list(
        Hold.objects.filter(patron=patron, status__in=ACTIVE_HOLD_STATUSES)
        .select_related("record", "item", "target", "pickup_library")
        .order_by("created_at", "pk")
    )
    for hold in holds:
        hold.position = hold_position(hold)  # type: ignore[attr-defined]  # for the template
    return holds


def queue_of(record: Record | int) -> list[Hold]:
    """The record's waiting holds in the order they will be served."""
    return list(
        Hold.objects.filter(record=record, status=HoldStatus.WAITING).order_by("created_at", "pk")
    )


__all__ = [
    "HoldOutcome",
    "PullEntry",
    "cancel_hold",
    "cancel_own_hold",
    "expire_holds",
    "hold_position",
    "hold_shelf",
    "holds_of",
    "place_hold",
    "place_own_hold",
    "pull_list",
    "queue_of",
    "resume_hold",
    "resume_own_hold",
    "suspend_hold",
    "suspend_own_hold",
]
