"""Orders: built from a list's commitments (one per supplier and library) or line by line,
reviewed, sent; sending creates the copies "on order" so patrons may already hold them.
Late lines are claimed with a letter; lines are cancelled with a reason.

Locks: the order's row for sending and adding; the line's row (then its items, in id order)
for cancelling and receiving (receiving.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item, ItemStatus, ItemType, Record
from maillon.circulation.common import lock_items
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.purchasing.models import (
    Commitment,
    Fund,
    Order,
    OrderedItem,
    OrderLine,
    SelectionList,
    Supplier,
)
from maillon.purchasing.services import (
    PurchasingError,
    cents,
    check_fund_room,
    discount_warning,
    net_price,
)
from maillon.purchasing.suggestion_holds import place_waiting_holds


def _number(order: Order) -> str:
    return f"CMD{order.created_at:%Y}-{order.pk:05d}"


def _new_order(actor, supplier: Supplier, library: Library, note: str = "") -> Order:
    order = Order.objects.create(
        number=f"tmp-{timezone.now().timestamp()}-{library.pk}",
        supplier=supplier,
        library=library,
        note=note,
        created_by=actor,
    )
    order.number = _number(order)
    order.save(update_fields=["number"])
    audit("order_created", order, actor=actor, library=library)
    return order


def _line(order: Order, record_id: int, fund: Fund, quantity: int, public_price: Decimal):
    supplier = order.supplier
    return OrderLine(
        order=order,
        record_id=record_id,
        fund=fund,
        medium=supplier.medium,
        quantity=quantity,
        public_price=cents(public_price),
        discount=supplier.discount,
        net_price=net_price(public_price, supplier.discount),
        vat_rate=supplier.medium.vat_rate,
    )


@dataclass
class Built:
    orders: list[Order] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)  # titles left out: no price given


def build_from_list(actor, selection: SelectionList, supplier: Supplier) -> Built:
    """Draft orders from the commitments of the list not ordered yet: one per library the
    actor manages (all of them for the coordinator), lines keeping each library's fund.
    Titles without a public price stay out, named. Code: nothing_to_order."""
    built = Built()
    with transaction.atomic():
        commitments = list(
            Commitment.objects.select_for_update(of=("self",))
            .filter(title__selection=selection, line__isnull=True)
            .select_related("title__record", "library", "fund")
            .order_by("library__name", "title__record__sort_title", "pk")
        )
        by_library: dict[int, list[Commitment]] = {}
        for c in commitments:
            if not can(actor, Action.MANAGE, c.library_id):
                continue
            if c.title.public_price is None:
                if c.title.record.title not in built.unpriced:
                    built.unpriced.append(c.title.record.title)
                continue
            by_library.setdefault(c.library_id, []).append(c)
        if not by_library:
            raise PurchasingError(
                "nothing_to_order",
                _("No commitment of this list is left to order at your libraries."),
            )
        for group in by_library.values():
            order = _new_order(actor, supplier, group[0].library, note=selection.name)
            for c in group:
                line = _line(order, c.title.record_id, c.fund, c.quantity, c.title.public_price)
                line.overspent_reason = c.overspent_reason
                line.save()
                c.line = line
                c.save(update_fields=["line"])
            built.orders.append(order)
    return built


def add_line(
    actor,
    order: Order,
    record: Record,
    fund: Fund,
    quantity: int,
    public_price: Decimal,
    *,
    overspent_reason: str = "",
) -> OrderLine:
    """A line on a draft order (MANAGE at its library). Codes: order_not_draft,
    quantity_invalid, price_negative, fund_other_library, fund_overspent."""
    require(actor, Action.MANAGE, order.library_id)
    if quantity is None or quantity <= 0:
        raise PurchasingError(
            "quantity_invalid",
            _("Order one copy or more."),
            field="quantity",
            kind=Kind.INVALID,
        )
    if public_price is None or public_price < 0:
        raise PurchasingError(
            "price_negative",
            _("Give the public price (zero or more)."),
            field="public_price",
            kind=Kind.INVALID,
        )
    if fund.library_id != order.library_id:
        raise PurchasingError(
            "fund_other_library",
            _("The fund %(fund)s is not one of the funds %(of_library)s.")
            % {"fund": str(fund), "of_library": order.library.of_name},
            field="fund",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        order = _lock_order(order)
        _require_draft(order)
        line = _line(order, record.pk, fund, quantity, public_price)
        line.overspent_reason = check_fund_room(fund, line.net_price * quantity, overspent_reason)
        line.save()
    return line


def new_order(actor, supplier: Supplier, library: Library, *, note: str = "") -> Order:
    require(actor, Action.MANAGE, library)
    with transaction.atomic():
        return _new_order(actor, supplier, library, note)


def _lock_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("supplier__medium", "library")
        .get(pk=order.pk)
    )


def _require_draft(order: Order) -> None:
    if order.state != Order.State.DRAFT:
        raise PurchasingError(
            "order_not_draft",
            _("The order %(number)s is already sent: it does not change any more.")
            % {"number": order.number},
            kind=Kind.CONFLICT,
        )


def _item_type(line: OrderLine) -> ItemType:
    found = line.medium.item_type or ItemType.objects.order_by("pk").first()
    if found is None:
        raise PurchasingError(
            "no_item_types",
            _("The network has no item type yet: create one (Catalogue, Types) first."),
        )
    return found


def send(actor, order: Order) -> Order:
    """The order leaves for the supplier: its copies exist from now on, "on order", at the
    ordering library, so patrons may hold them; the patrons whose suggestions it answers get
    the hold they asked for. Codes: order_not_draft, order_empty."""
    require(actor, Action.MANAGE, order.library_id)
    with transaction.atomic():
        order = _lock_order(order)
        _require_draft(order)
        lines = list(order.lines.select_related("medium"))
        if not lines:
            raise PurchasingError("order_empty", _("This order has no line."))
        for line in lines:
            if line.open_quantity <= 0:
                continue
            made = item_service.create_on_order(
                actor,
                line.record_id,
                library=order.library_id,
                count=line.open_quantity,
                reference=f"{order.number}-{line.pk}",
                item_type=_item_type(line),
                price=line.net_price,
            )
            OrderedItem.objects.bulk_create([OrderedItem(line=line, item=i) for i in made])
        order.state = Order.State.SENT
        order.sent_at = timezone.now()
        order.save(update_fields=["state", "sent_at"])
        audit("order_sent", order, actor=actor, library=order.library_id)
        place_waiting_holds({line.record_id for line in lines})
    return order


# Late lines, claims, cancelling ------------------------------------------------------------


def due_on(line: OrderLine) -> dt.date | None:
    sent = line.order.sent_at
    if sent is None:
        return None
    return timezone.localtime(sent).date() + dt.timedelta(days=line.order.supplier.delivery_days)


def is_late(line: OrderLine, today: dt.date | None = None) -> bool:
    due = due_on(line)
    return due is not None and line.open_quantity > 0 and (today or timezone.localdate()) > due


def late_lines(order: Order, today: dt.date | None = None) -> list[OrderLine]:
    lines = order.lines.select_related("order__supplier", "record").order_by("pk")
    return [line for line in lines if is_late(line, today)]


def claim(actor, order: Order, today: dt.date | None = None) -> list[OrderLine]:
    """Record a claim (relance) of every late line of the order; the letter lists them.
    Code: nothing_late."""
    require(actor, Action.MANAGE, order.library_id)
    today = today or timezone.localdate()
    with transaction.atomic():
        order = _lock_order(order)
        late = late_lines(order, today)
        if not late:
            raise PurchasingError(
                "nothing_late", _("No line of this order is late: nothing to claim.")
            )
        for line in late:
            line.claims += 1
            line.claimed_on = today
            line.save(update_fields=["claims", "claimed_on"])
            audit(
                "order_line_claimed",
                line,
                actor=actor,
                library=order.library_id,
                details={"order_number": order.number},
            )
    return late


def cancel_line(actor, line: OrderLine, *, reason: str, quantity: int | None = None) -> OrderLine:
    """Cancel copies not received yet (all of them by default), with a reason. Their items
    on order are withdrawn. Codes: reason_missing, nothing_to_cancel, quantity_invalid."""
    require(actor, Action.MANAGE, line.order.library_id)
    reason = (reason or "").strip()
    if not reason:
        raise PurchasingError(
            "reason_missing",
            _("Say why the line is cancelled (out of print, supplier's delay…)."),
            field="reason",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        line = (
            OrderLine.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(pk=line.pk)
        )
        count = line.open_quantity if quantity is None else quantity
        if line.open_quantity <= 0:
            raise PurchasingError(
                "nothing_to_cancel", _("Every copy of this line is received or cancelled.")
            )
        if count <= 0 or count > line.open_quantity:
            raise PurchasingError(
                "quantity_invalid",
                _("Between 1 and %(n)d copies can be cancelled.") % {"n": line.open_quantity},
                field="quantity",
                kind=Kind.INVALID,
            )
        # The newest copies go; chosen first, then locked in id order like every other path
        # (the line's lock keeps a reception from taking them meanwhile).
        chosen = list(
            Item.objects.filter(
                pk__in=line.ordered_items.filter(receipt=None).values("item"),
                status=ItemStatus.ON_ORDER,
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:count]
        )
        waiting = [item for item in lock_items(chosen) if item.status == ItemStatus.ON_ORDER]
        for item in waiting:
            item_service.cancel_ordered(item)
        line.cancelled += count
        line.cancel_reason = reason[:300]
        line.save(update_fields=["cancelled", "cancel_reason"])
        audit(
            "order_line_cancelled",
            line,
            actor=actor,
            library=line.order.library_id,
            details={
                "order_number": line.order.number,
                "purchase_quantity": count,
                "cancel_reason": reason[:300],
            },
        )
    return line


def warnings(order: Order) -> list[str]:
    """What the reviewer should see before sending: a discount above the legal cap."""
    found = []
    for line in order.lines.select_related("medium"):
        text = discount_warning(line.discount, line.medium)
        if text and text not in found:
            found.append(text)
    return found
