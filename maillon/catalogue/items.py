"""Item state has one owner: every change of an item's status, home or current library is here.

Two kinds of callers (DESIGN.md, invariants 1 to 4):

* the staff actions of the item page (``mark_lost`` … ``change_home``): each checks the actor's
  role, locks the item, checks the transition, writes, and records an audit entry, in one
  transaction;
* the services that decide a state from other rows — circulation (a loan, a hold, a transfer),
  later rotation, deposits, weeding, inventory — which already hold the item's lock and record
  their own audit entry (a checkout, a check-in…): they call ``move_item``, which checks the
  transition against ``TRANSITIONS`` and writes.

Nothing else writes ``Item.status``, ``home`` or ``current``; imports insert new items through
``insert_imported``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.audit.models import AuditEntry
from maillon.audit.services import actor_of, check_action, record
from maillon.catalogue.bulk import insert_rows
from maillon.catalogue.errors import CatalogueError
from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus
from maillon.catalogue.records import touch_records
from maillon.catalogue.search import holdings_read, index_records, refresh_holdings
from maillon.core import prepared, usage
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require

S = ItemStatus
# Where circulation may send a copy it has in hand: the shelf, the shuttle, the hold shelf.
ROUTED = frozenset({S.AVAILABLE, S.IN_TRANSIT, S.ON_HOLD_SHELF})
# Status → the statuses it may change to. Circulation's moves (loan, return, transfer, hold
# shelf) and the staff actions below both keep to it; staying in a status is always allowed
# (a floating copy changes home on the shelf, a transfer is re-routed).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AVAILABLE: ROUTED
    | {S.ON_LOAN, S.IN_PROCESSING, S.NOT_FOR_LOAN, S.DAMAGED, S.LOST, S.MISSING, S.WITHDRAWN},
    # On loan, in transit or kept for a hold: a loan, transfer or hold row says so, and only
    # circulation may close it (check in, receive, cancel the hold) before anything else.
    S.ON_LOAN: ROUTED,
    # The workshop receives an item to repair or equip (maillon.workshop): it joins its queue.
    S.IN_TRANSIT: ROUTED | {S.ON_LOAN, S.DAMAGED, S.IN_PROCESSING},
    S.ON_HOLD_SHELF: ROUTED | {S.ON_LOAN},
    # Damaged or being processed, it may travel to the workshop (maillon.workshop).
    S.IN_PROCESSING: frozenset(
        {S.AVAILABLE, S.NOT_FOR_LOAN, S.DAMAGED, S.LOST, S.MISSING, S.WITHDRAWN, S.IN_TRANSIT}
    ),
    S.NOT_FOR_LOAN: frozenset(
        {S.AVAILABLE, S.IN_PROCESSING, S.DAMAGED, S.LOST, S.MISSING, S.WITHDRAWN}
    ),
    S.DAMAGED: frozenset(
        {S.AVAILABLE, S.IN_PROCESSING, S.LOST, S.MISSING, S.WITHDRAWN, S.IN_TRANSIT}
    ),
    # Found again: by the item page, or by a check-in that routes it like any return.
    S.LOST: ROUTED | {S.MISSING, S.WITHDRAWN},
    S.MISSING: ROUTED | {S.LOST, S.WITHDRAWN},
    S.WITHDRAWN: frozenset({S.AVAILABLE}),
    # Delivered (to the shelf or to be equipped first), or the order line cancelled.
    S.ON_ORDER: frozenset({S.AVAILABLE, S.IN_PROCESSING, S.WITHDRAWN}),
}
# What circulation counters a move may write beside the state.
COUNTERS = frozenset({"loan_count", "last_loan_at"})


class ItemError(CatalogueError):
    """A refused change of an item's state."""


class WithdrawalReason:
    """Why an item leaves the collection (the weeding report counts them)."""

    CHOICES = (
        ("worn", gettext_lazy("worn or damaged beyond repair")),
        ("outdated", gettext_lazy("outdated content")),
        ("unused", gettext_lazy("no longer borrowed")),
        ("surplus", gettext_lazy("surplus copy")),
        ("lost", gettext_lazy("lost, not replaced")),
        ("other", gettext_lazy("other reason")),
    )


class Destination:
    """Where a withdrawn item goes."""

    CHOICES = (
        ("discarded", gettext_lazy("discarded (recycling)")),
        ("donated", gettext_lazy("given away (association, school…)")),
        ("sold", gettext_lazy("sold")),
        ("stored", gettext_lazy("kept in the reserve stacks")),
        ("returned", gettext_lazy("returned to its owner")),
    )


def status_label(status: str) -> str:
    return str(ItemStatus(status).label) if status in ItemStatus.values else status


def choice_label(choices: Sequence[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def _refusal(item: Item, to_status: str) -> ItemError | None:
    """Why `item` may not go to `to_status` now, or None."""
    status = item.status
    if to_status == status or to_status in TRANSITIONS[status]:
        return None
    values = {"barcode": item.barcode, "status": status_label(status)}
    if status == S.ON_LOAN:
        return ItemError(
            "item_on_loan",
            _("The item %(barcode)s is on loan: check it in first.") % values,
        )
    if status == S.IN_TRANSIT:
        return ItemError(
            "item_in_transit",
            _("The item %(barcode)s is in transit: receive it first.") % values,
        )
    if status == S.ON_HOLD_SHELF:
        return ItemError(
            "item_on_hold_shelf",
            _("The item %(barcode)s is kept for a hold: cancel the hold or check it in first.")
            % values,
        )
    return ItemError(
        "transition_refused",
        _("The item %(barcode)s is %(status)s: it cannot become %(new)s.")
        % {**values, "new": status_label(to_status)},
    )


def move_item(
    item: Item,
    status: str,
    current: Library | int | None = None,
    *,
    home: Library | int | None = None,
    owner: Library | int | None = None,
    **counters: Any,
) -> None:
    """Write a state a service decided from its own rows (a loan, a hold, a transfer).
    `owner`: the item changes hands (a weeded item another library claimed, on arrival).

    The caller holds the item's lock (``select_for_update``, taken first in its transaction)
    and records the audit entry of its action. A move ``TRANSITIONS`` does not allow raises
    ItemError (kind conflict): the caller decided on a state that is not the item's any more.
    Refreshes what the search index says of the record's copies.
    """
    refusal = _refusal(item, status)
    if refusal is not None:
        refusal.kind = Kind.CONFLICT
        raise refusal
    unknown = set(counters) - COUNTERS
    if unknown:
        raise TypeError(f"not item counters: {sorted(unknown)}")
    holdings_change = _shows(item, status, home)
    item.status = status
    fields = ["status", "updated_at", *counters]
    if current is not None:
        item.current_id = current.pk if isinstance(current, Library) else current
        fields.append("current")
    if home is not None:
        item.home_id = home.pk if isinstance(home, Library) else home
        fields.append("home")
    if owner is not None:
        item.owner_id = owner.pk if isinstance(owner, Library) else owner
        fields.append("owner")
    for name, value in counters.items():
        setattr(item, name, value)
    # item.save(update_fields=fields), its SQL written once; when the holdings harvesters see
    # are the same, with what the search index's refresh reads, after it (one round trip).
    then = None if holdings_change else holdings_read(item.record_id)
    if then is None:
        prepared.update(item, fields)
        if holdings_change:
            touch_records([item.record_id])
        refresh_holdings(item.record_id)
    else:
        refresh_holdings(item.record_id, prepared.update_then(item, fields, then))


def _shows(item: Item, status: str, home: Library | int | None) -> bool:
    """Whether the move changes the record's holdings as harvesters see them (a copy's home,
    or the copy leaving or rejoining the collection); a loan or a transfer does not."""
    home_id = getattr(home, "pk", home)
    moved_home = home_id is not None and home_id != item.home_id
    return moved_home or (item.status in GONE_STATUSES) != (status in GONE_STATUSES)


def move_items(
    items: Sequence[Item],
    status: str,
    current: Library | int | None = None,
    *,
    home: Library | int | None = None,
) -> None:
    """``move_item`` for many items a service decided on together (a lot leaving): the same
    transition checked for each, then one UPDATE and one refresh of the search index for
    their records. The caller holds the items' locks and records the audit entries."""
    for item in items:
        refusal = _refusal(item, status)
        if refusal is not None:
            refusal.kind = Kind.CONFLICT
            raise refusal
    shown = {item.record_id for item in items if _shows(item, status, home)}
    fields: dict[str, Any] = {"status": status, "updated_at": timezone.now()}
    if current is not None:
        fields["current_id"] = getattr(current, "pk", current)
    if home is not None:
        fields["home_id"] = getattr(home, "pk", home)
    Item.objects.filter(pk__in=[item.pk for item in items]).update(**fields)
    for item in items:
        for name, value in fields.items():
            setattr(item, name, value)
    touch_records(shown)  # after the copies are written: their new state is the one shown
    index_records({item.record_id for item in items})


def lock(item: Item | int) -> Item:
    """The item's row, locked until the end of the transaction."""
    return Item.objects.select_for_update(of=("self",)).get(pk=getattr(item, "pk", item))


def _require_desk(actor, item: Item) -> None:
    """Desk work (lost, missing, damaged, found): at the item's home or where it is now."""
    if not (
        can(actor, Action.CIRCULATE, item.home_id) or can(actor, Action.CIRCULATE, item.current_id)
    ):
        require(actor, Action.CIRCULATE, item.home_id)


def _change(
    actor,
    item: Item | int,
    action: str,
    status: str,
    *,
    manage: bool,
    only_from: frozenset[str] | None = None,
    library: Library | int | None = None,
    details: dict[str, Any] | None = None,
) -> Item:
    """Lock, check the actor's role and the transition, write, record: one staff action.
    `only_from`: the statuses this action applies to (found: lost or missing), within what
    TRANSITIONS allows."""
    with transaction.atomic():
        item = lock(item)
        if manage:
            require(actor, Action.MANAGE, item.home_id)
        else:
            _require_desk(actor, item)
        if item.status == status:
            raise ItemError(
                "no_change",
                _("The item %(barcode)s is already %(status)s.")
                % {"barcode": item.barcode, "status": status_label(status)},
            )
        if only_from is not None and item.status not in only_from:
            raise ItemError(
                "transition_refused",
                _("The item %(barcode)s is %(status)s: this action does not apply.")
                % {"barcode": item.barcode, "status": status_label(item.status)},
            )
        refusal = _refusal(item, status)
        if refusal is not None:
            raise refusal
        previous = item.status
        move_item(item, status, library)
        usage.announce("item_changed_by_staff", item)
        record(
            action,
            item,
            actor=actor,
            library=library or item.current_id,
            details={"previous_status": previous, **(details or {})},
        )
    return item


def _note(note: str) -> dict[str, str]:
    note = (note or "").strip()
    return {"note": note} if note else {}


def mark_lost(actor, item: Item | int, *, note: str = "") -> Item:
    """Recorded as lost (no longer found, or declared lost). Codes: item_on_loan,
    item_in_transit, item_on_hold_shelf, transition_refused, no_change."""
    return _change(actor, item, "marked_lost", S.LOST, manage=False, details=_note(note))


def mark_missing(actor, item: Item | int, *, note: str = "") -> Item:
    """Not on its shelf, presumably somewhere (an inventory's finding). Codes: as mark_lost."""
    return _change(actor, item, "marked_missing", S.MISSING, manage=False, details=_note(note))


def mark_damaged(actor, item: Item | int, *, note: str = "") -> Item:
    """Damaged, to repair: not lent until repaired. Codes: as mark_lost."""
    return _change(actor, item, "marked_damaged", S.DAMAGED, manage=False, details=_note(note))


def mark_repaired(actor, item: Item | int, *, note: str = "") -> Item:
    """Repaired (or processed), back on the shelf. Codes: transition_refused, no_change."""
    return _change(
        actor,
        item,
        "repaired",
        S.AVAILABLE,
        manage=False,
        only_from=frozenset({S.DAMAGED, S.IN_PROCESSING}),
        details=_note(note),
    )


def mark_found(actor, item: Item | int, library: Library | int, *, note: str = "") -> Item:
    """A lost or missing item found again at `library` (desk work there), where it is now on
    the shelf; a check-in at the desk does the same and also sends it home if it belongs
    elsewhere. Codes: transition_refused, no_change."""
    require(actor, Action.CIRCULATE, library)
    return _change(
        actor,
        item,
        "found",
        S.AVAILABLE,
        manage=False,
        only_from=frozenset({S.LOST, S.MISSING}),
        library=library,
        details=_note(note),
    )


def withdraw(actor, item: Item | int, *, reason: str, destination: str, note: str = "") -> Item:
    """Take the item out of the collection (MANAGE at its home library). It stays in the
    catalogue, withdrawn, with why and where it went. Codes: reason_missing,
    destination_missing, item_on_loan, item_in_transit, item_on_hold_shelf, no_change."""
    if reason not in dict(WithdrawalReason.CHOICES):
        raise ItemError(
            "reason_missing",
            _("Choose why the item is withdrawn."),
            field="reason",
            kind=Kind.INVALID,
        )
    if destination not in dict(Destination.CHOICES):
        raise ItemError(
            "destination_missing",
            _("Choose where the withdrawn item goes."),
            field="destination",
            kind=Kind.INVALID,
        )
    details = {"reason": reason, "destination": destination, **_note(note)}
    return _change(actor, item, "withdrawn", S.WITHDRAWN, manage=True, details=details)


def reinstate(actor, item: Item | int, *, note: str = "") -> Item:
    """A withdrawn item back in the collection, on the shelf (MANAGE at its home library).
    Codes: transition_refused, no_change."""
    return _change(actor, item, "reinstated", S.AVAILABLE, manage=True, details=_note(note))


def change_home(actor, item: Item | int, home: Library | int, *, note: str = "") -> Item:
    """The item now belongs to `home` (MANAGE at the old and the new home). Where it is does
    not change: the desk sends it by the shuttle. Codes: item_withdrawn, no_change."""
    new_home = home if isinstance(home, Library) else Library.objects.get(pk=home)
    with transaction.atomic():
        item = lock(item)
        require(actor, Action.MANAGE, item.home_id)
        require(actor, Action.MANAGE, new_home)
        if item.home_id == new_home.pk:
            raise ItemError(
                "no_change",
                _("The item %(barcode)s already belongs to %(library)s.")
                % {"barcode": item.barcode, "library": new_home.name},
            )
        if item.status == S.WITHDRAWN:
            raise ItemError(
                "item_withdrawn",
                _("The item %(barcode)s is withdrawn: reinstate it first.")
                % {"barcode": item.barcode},
            )
        old_home = item.home_id
        move_item(item, item.status, home=new_home)
        record(
            "home_changed",
            item,
            actor=actor,
            library=new_home,
            details={"old_home": old_home, "new_home": new_home.pk, **_note(note)},
        )
    return item


def create_on_order(
    actor, record_id: int, *, library: Library | int, count: int, reference: str, **fields: Any
) -> list[Item]:
    """`count` items bought by `library` and not yet delivered, within the caller's
    transaction: holds may wait for them. Their barcodes are placeholders (`reference-1`…)
    until the real labels are scanned at reception (``receive_ordered``)."""
    library_id: int = library.pk if isinstance(library, Library) else library
    items = [
        Item(
            record_id=record_id,
            barcode=f"{reference}-{n}",
            owner_id=library_id,
            home_id=library_id,
            current_id=library_id,
            status=S.ON_ORDER,
            **fields,
        )
        for n in range(1, count + 1)
    ]
    Item.objects.bulk_create(items)
    if items[0].pk is None:  # backends that return no ids from a bulk insert
        items = list(Item.objects.filter(barcode__in=[i.barcode for i in items]).order_by("pk"))
    for item in items:
        record("item_created", item, actor=actor, library=library_id)
    touch_records([record_id])  # copies on order show in the record's holdings
    index_records({record_id})
    return items


def receive_ordered(
    item: Item, *, barcode: str, status: str, acquired_on: dt.date | None = None
) -> None:
    """An item on order arrived: its real barcode (checked by the caller) and its status,
    available or in processing. The caller holds the item's lock and records its audit entry;
    the holds waiting for the record are told (``item_changed_by_staff``)."""
    if item.status != S.ON_ORDER or status not in (S.AVAILABLE, S.IN_PROCESSING):
        raise ItemError(
            "transition_refused",
            _("The item %(barcode)s is %(status)s: it cannot be received.")
            % {"barcode": item.barcode, "status": status_label(item.status)},
            kind=Kind.CONFLICT,
        )
    item.barcode = barcode
    item.acquired_on = acquired_on or timezone.localdate()
    item.save(update_fields=["barcode", "acquired_on", "updated_at"])
    move_item(item, status)
    usage.announce("item_changed_by_staff", item)


def cancel_ordered(item: Item) -> None:
    """An item on order that will not come (its order line cancelled): withdrawn, so the holds
    that counted on it look for another copy. The caller holds the item's lock and records
    its audit entry."""
    move_item(item, S.WITHDRAWN)
    usage.announce("item_changed_by_staff", item)


def insert_imported(
    fields: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    library: Library,
    actor,
    batch_id: int,
    at: dt.datetime | None = None,
) -> list[int]:
    """Insert new items of an import (rows in the order of `fields`) and one "imported" entry
    each, in bulk, within the caller's transaction; returns the item ids. Their status comes
    from the source file: a new item has no transition to check."""
    check_action("imported")
    ids = insert_rows(Item, fields, rows)
    who = actor_of(actor)
    at = at or timezone.now()
    details = {"batch": batch_id}  # one object: insert_rows encodes it once
    insert_rows(
        AuditEntry,
        ["at", "actor_kind", "user", "library", "action", "object_type", "object_id", "details"],
        [(at, who.kind, who.user_id, library.pk, "imported", "item", pk, details) for pk in ids],
    )
    return ids
