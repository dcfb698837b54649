"""Lots: build (scan, selection), move in one scan (send, receive), label and packing list.

Locks: the lot first, then its items in id order (the item service's lock), then what the
circulation services lock (an item's transfer). Two desks working on one lot wait for each
other; a desk lending an item of a lot being sent waits for the item, then sees it in transit
(or the send sees it on loan and lets it follow when returned).

An item is in at most one lot (a unique constraint backs the check made under the item's lock).
Sending a lot creates and sends the transfer of every item through the circulation services,
in one transaction, and makes the destination the items' home (their owner stays): a copy on
loan at departure goes there when it is returned. Receiving at the destination receives every
item still travelling; with the crate's barcodes scanned, those not scanned are reported
missing (they stay in transit) and scanned ones not of the lot extra.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.items import status_label
from maillon.catalogue.models import Collection, CollectionKind, Item, ItemStatus
from maillon.catalogue.search import refreshes_deferred
from maillon.circulation import capacity
from maillon.circulation.common import lock_items
from maillon.circulation.models import Transfer
from maillon.circulation.transfers import receive_many, send_many
from maillon.core.errors import DomainError, Kind
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Library
from maillon.network.permissions import Action, require


class LotError(DomainError):
    """A refused lot operation."""


def find(code: str) -> Lot:
    code = (code or "").strip().upper()
    lot = Lot.objects.select_related("station", "destination").filter(code=code).first()
    if lot is None:
        raise LotError(
            "unknown_lot",
            _("No lot has the code %(code)s.") % {"code": code or "—"},
            kind=Kind.NOT_FOUND,
        )
    return lot


def _lock(lot: Lot) -> Lot:
    # No join in the locking statement: PostgreSQL re-checks a joined row changed meanwhile
    # (the destination cleared by a receipt) and would drop the lot from the answer.
    return Lot.objects.select_for_update().get(pk=lot.pk)


def create(actor, library: Library, name: str) -> Lot:
    """A new, empty lot standing at `library` (desk work there)."""
    require(actor, Action.CIRCULATE, library)
    name = (name or "").strip()
    if not name:
        raise LotError(
            "name_missing",
            _("Name the lot (e.g. Romans policiers adultes n°3)."),
            field="name",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        lot = Lot.objects.create(
            code=f"t{uuid.uuid4().hex[:15]}",
            name=name[:200],
            station=library,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        lot.code = f"LOT{lot.pk:05d}"
        lot.save(update_fields=["code"])
        audit("lot_created", lot, actor=actor, library=library)
    return lot


def _require_at_station(lot: Lot) -> None:
    if lot.state != Lot.State.AT_STATION:
        raise LotError(
            "lot_in_transit",
            _("The lot %(code)s is travelling to %(library)s: receive it first.")
            % {"code": lot.code, "library": lot.destination.name if lot.destination else "—"},
        )


def _other_lot(item: Item) -> Lot | None:
    entry = LotItem.objects.select_related("lot").filter(item=item).first()
    return entry.lot if entry else None


def _addable(lot: Lot, item: Item) -> LotError | None:
    """Why `item` (locked) may not go in `lot`, or None."""
    other = _other_lot(item)
    if other is not None:
        if other.pk == lot.pk:
            return LotError(
                "already_in_lot",
                _("The item %(barcode)s is already in this lot.") % {"barcode": item.barcode},
            )
        return LotError(
            "in_another_lot",
            _(
                "The item %(barcode)s is already in the lot %(code)s (%(name)s): take it out of "
                "that lot first."
            )
            % {"barcode": item.barcode, "code": other.code, "name": other.name},
            details={"lot": other.code},
        )
    collection = (
        Collection.objects.filter(id=item.collection_id).first() if item.collection_id else None
    )
    if collection is not None and collection.kind in (
        CollectionKind.LOCAL,
        CollectionKind.HERITAGE,
    ):
        return LotError(
            "local_collection",
            _(
                "The item %(barcode)s belongs to the local collection « %(name)s »: it stays at "
                "its library and does not travel in a lot."
            )
            % {"barcode": item.barcode, "name": collection.name},
        )
    if item.current_id != lot.station_id or item.status not in (
        ItemStatus.AVAILABLE,
        ItemStatus.ON_LOAN,
    ):
        if item.status in (ItemStatus.AVAILABLE, ItemStatus.ON_LOAN):
            return LotError(
                "not_here",
                _("The item %(barcode)s is not at %(library)s.")
                % {"barcode": item.barcode, "library": lot.station.name},
            )
        return LotError(
            "not_available",
            _("The item %(barcode)s is %(status)s: it cannot go in a lot.")
            % {"barcode": item.barcode, "status": status_label(item.status)},
        )
    return None


def add(actor, lot: Lot, barcode: str) -> Item:
    """Put the item scanned in the lot. Codes: unknown_barcode, already_in_lot, in_another_lot,
    not_here, not_available, lot_in_transit."""
    require(actor, Action.CIRCULATE, lot.station_id)
    barcode = (barcode or "").strip()
    item = Item.objects.filter(barcode=barcode).first()
    if item is None:
        raise LotError(
            "unknown_barcode",
            _("No item has the barcode %(barcode)s.") % {"barcode": barcode or "—"},
            field="barcode",
            kind=Kind.NOT_FOUND,
        )
    with transaction.atomic():
        lot = _lock(lot)
        _require_at_station(lot)
        item = item_service.lock(item)
        refusal = _addable(lot, item)
        if refusal is not None:
            raise refusal
        try:
            with transaction.atomic():
                LotItem.objects.create(lot=lot, item=item)
        except IntegrityError:  # only without the item's lock (see the concurrency tests)
            raise LotError(
                "in_another_lot",
                _("The item %(barcode)s was just put in another lot.") % {"barcode": item.barcode},
                kind=Kind.CONFLICT,
            ) from None
        audit(
            "lot_item_added",
            lot,
            actor=actor,
            library=lot.station,
            details={"item_barcode": item.barcode},
        )
    return item


def add_many(actor, lot: Lot, items: Iterable[Item]) -> tuple[int, list[str]]:
    """Put the items of a selection in the lot: (how many went in, why the others did not)."""
    added, refused = 0, []
    for item in items:
        try:
            add(actor, lot, item.barcode)
        except LotError as error:
            if error.code == "lot_in_transit":
                raise
            refused.append(error.message)
        else:
            added += 1
    return added, refused


def remove(actor, lot: Lot, item: Item) -> None:
    require(actor, Action.CIRCULATE, lot.station_id)
    with transaction.atomic():
        lot = _lock(lot)
        _require_at_station(lot)
        deleted, _rows = LotItem.objects.filter(lot=lot, item=item).delete()
        if deleted:
            audit(
                "lot_item_removed",
                lot,
                actor=actor,
                library=lot.station,
                details={"item_barcode": item.barcode},
            )


def dissolve(actor, lot: Lot) -> int:
    """Empty the lot: its items are free for another one; the lot and its history stay."""
    require(actor, Action.CIRCULATE, lot.station_id)
    with transaction.atomic():
        lot = _lock(lot)
        _require_at_station(lot)
        count, _rows = LotItem.objects.filter(lot=lot).delete()
        audit("lot_dissolved", lot, actor=actor, library=lot.station, details={"items": count})
    return count


def selection(
    library: Library,
    *,
    collection: int | None = None,
    item_type: int | None = None,
    audience: str = "",
    call_prefix: str = "",
    idle_months: int | None = None,
    title: str = "",
    limit: int = 500,
) -> QuerySet[Item]:
    """The library's items on its shelves matching a saved selection ("collection X at library
    Y not lent for 18 months"), not in a lot yet."""
    items = (
        Item.objects.filter(current=library, home=library, status=ItemStatus.AVAILABLE)
        .exclude(pk__in=LotItem.objects.values("item"))
        .exclude(collection__kind__in=(CollectionKind.LOCAL, CollectionKind.HERITAGE))
    )
    if collection:
        items = items.filter(collection_id=collection)
    if item_type:
        items = items.filter(item_type_id=item_type)
    if audience:
        items = items.filter(audience=audience)
    if call_prefix:
        items = items.filter(call_number__istartswith=call_prefix.strip())
    if title:
        items = items.filter(record__title__icontains=title.strip())
    if idle_months:
        since = timezone.now() - dt.timedelta(days=int(idle_months * 30.44))
        items = items.filter(Q(last_loan_at__lt=since) | Q(last_loan_at__isnull=True))
    return items.select_related("record").order_by("call_number", "pk")[:limit]


@dataclass
class Contents:
    lot: Lot
    items: list[Item]
    count: int
    value: Decimal
    unpriced: int


def contents(lot: Lot) -> Contents:
    items = list(
        Item.objects.filter(pk__in=LotItem.objects.filter(lot=lot).values("item"))
        .select_related("record", "current", "home", "owner")
        .order_by("call_number", "barcode")
    )
    value = Item.objects.filter(pk__in=[i.pk for i in items]).aggregate(v=Sum("price"))["v"]
    return Contents(
        lot=lot,
        items=items,
        count=len(items),
        value=value or Decimal("0"),
        unpriced=sum(1 for i in items if i.price is None),
    )


@dataclass
class SendResult:
    lot: Lot
    sent: list[str] = field(default_factory=list)
    following: list[str] = field(default_factory=list)  # on loan: go there when returned


def send(actor, lot: Lot, to_library: Library) -> SendResult:
    """The whole lot leaves its station for `to_library`: one transaction, every item's
    transfer made and sent by the circulation services, its home now the destination.
    Nothing is done if one item cannot travel. Codes: lot_in_transit, same_library, lot_empty,
    items_blocked, capacity (the destination's cap it would break, said in French)."""
    require(actor, Action.CIRCULATE, lot.station_id)
    with transaction.atomic():
        lot = _lock(lot)
        if lot.state == Lot.State.IN_TRANSIT:
            raise LotError(
                "lot_in_transit",
                _("The lot %(code)s has already been sent to %(library)s.")
                % {"code": lot.code, "library": lot.destination.name if lot.destination else "—"},
            )
        if to_library.pk == lot.station_id:
            raise LotError(
                "same_library",
                _("Choose another library to send it to."),
                field="to_library",
                kind=Kind.INVALID,
            )
        ids = list(
            LotItem.objects.filter(lot=lot).order_by("item_id").values_list("item_id", flat=True)
        )
        if not ids:
            raise LotError("lot_empty", _("The lot %(code)s is empty.") % {"code": lot.code})
        locked = lock_items(ids)
        blocked = [
            _("%(barcode)s (%(status)s)") % {"barcode": i.barcode, "status": status_label(i.status)}
            for i in locked
            if not (
                (i.status == ItemStatus.AVAILABLE and i.current_id == lot.station_id)
                or i.status == ItemStatus.ON_LOAN
            )
        ]
        if blocked:
            raise LotError(
                "items_blocked",
                _("The lot cannot leave: take out or settle these items first: %(items)s.")
                % {"items": ", ".join(blocked)},
                details={"items": blocked},
            )
        full = capacity.refusal(to_library, locked)
        if full:
            raise LotError("capacity", full, details={"to_library": to_library.code})
        result = SendResult(lot=lot)
        travelling = [item for item in locked if item.status != ItemStatus.ON_LOAN]
        following = [item for item in locked if item.status == ItemStatus.ON_LOAN]
        # On loan: it goes to its new home when returned (return-anywhere routes it there).
        if following:
            item_service.move_items(following, ItemStatus.ON_LOAN, home=to_library)
        send_many(actor, lot.station, travelling, to_library)
        result.following = [item.barcode for item in following]
        result.sent = [item.barcode for item in travelling]
        lot.state, lot.destination = Lot.State.IN_TRANSIT, to_library
        lot.save(update_fields=["state", "destination"])
        audit(
            "lot_sent",
            lot,
            actor=actor,
            library=lot.station,
            details={
                "lot_to": to_library.pk,
                "items": len(result.sent),
                **({"following": ", ".join(result.following)} if result.following else {}),
            },
        )
    return result


@dataclass
class ReceiveResult:
    lot: Lot
    received: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # scanned crate: not found in it
    extra: list[str] = field(default_factory=list)  # scanned, not of the lot
    following: list[str] = field(default_factory=list)  # not travelling (on loan at departure)
    already: bool = False  # received before: nothing done


def receive(
    actor, lot: Lot, library: Library, barcodes: Iterable[str] | None = None
) -> ReceiveResult:
    """The lot arrives at `library` in one scan. With `barcodes` (the crate checked item by
    item), items not scanned stay in transit, reported missing, and barcodes not of the lot
    are reported extra. Codes: wrong_library (says where the lot goes), lot_not_sent."""
    require(actor, Action.CIRCULATE, library)
    # The items' search entries are rewritten once, at the end, not after each item.
    with transaction.atomic(), refreshes_deferred():
        lot = _lock(lot)
        if lot.state == Lot.State.AT_STATION:
            if lot.station_id == library.pk:
                return ReceiveResult(lot=lot, already=True)
            raise LotError(
                "lot_not_sent",
                _("The lot %(code)s has not been sent: it belongs at %(library)s.")
                % {"code": lot.code, "library": lot.station.name},
            )
        assert lot.destination is not None
        if lot.destination_id != library.pk:
            raise LotError(
                "wrong_library",
                _(
                    "The lot %(code)s is going to %(library)s, not here: put it back in the "
                    "shuttle for %(library)s."
                )
                % {"code": lot.code, "library": lot.destination.name},
                details={"to_library": lot.destination.code},
            )
        entries = list(
            Item.objects.filter(pk__in=LotItem.objects.filter(lot=lot).values("item")).order_by(
                "pk"
            )
        )
        scanned = None if barcodes is None else {b.strip() for b in barcodes if b.strip()}
        travelling = set(
            Transfer.objects.filter(
                item__in=entries,
                to_library=library,
                received_at__isnull=True,
                cancelled_at__isnull=True,
            ).values_list("item_id", flat=True)
        )
        result = ReceiveResult(lot=lot)
        arriving = []
        for item in entries:
            if item.pk not in travelling:
                result.following.append(item.barcode)
            elif scanned is not None and item.barcode not in scanned:
                result.missing.append(item.barcode)
            else:
                arriving.append(item)
        receive_many(actor, library, arriving)
        result.received = [item.barcode for item in arriving]
        if scanned is not None:
            ours = {i.barcode for i in entries}
            result.extra = sorted(scanned - ours)
        lot.state, lot.station, lot.destination = Lot.State.AT_STATION, library, None
        lot.save(update_fields=["state", "station", "destination"])
        details: dict[str, object] = {"items": len(result.received)}
        if result.missing:
            details["missing"] = ", ".join(result.missing)
        if result.extra:
            details["extra"] = ", ".join(result.extra)
        audit("lot_received", lot, actor=actor, library=library, details=details)
    return result
