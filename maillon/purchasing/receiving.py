"""Receiving: a scanned ISBN or EAN finds the library's open order lines; the librarian
confirms how many copies came and scans a new barcode for each. The copies on order become
available (or in processing, to be equipped first) through the item service, which tells
circulation so the holds waiting for them are targeted at once. Invoices make the received
copies "spent".

Locks: the order line's row first, then its items on order in id order; of two desks
receiving the same line at once, the second sees what the first received
(tests/purchasing/test_receiving_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.errors import CatalogueError
from maillon.catalogue.models import Item, ItemStatus, RecordIdentifier
from maillon.catalogue.services import check_barcode
from maillon.circulation.common import lock_items
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.purchasing.models import Invoice, Order, OrderLine, Receipt, Supplier
from maillon.purchasing.services import PurchasingError, cents, euro_text
from maillon.purchasing.titles import identifiers_of_scan

ARRIVAL_STATUSES = (ItemStatus.AVAILABLE, ItemStatus.IN_PROCESSING)


def open_lines(library: Library, code: str) -> list[OrderLine]:
    """The library's sent order lines still awaiting copies of the scanned ISBN or EAN.
    Codes: scan_invalid, no_open_line."""
    values = identifiers_of_scan(code)
    if not values:
        raise PurchasingError(
            "scan_invalid",
            _("%(code)s is neither an ISBN nor an EAN: scan the barcode on the back cover.")
            % {"code": code.strip()},
            field="code",
            kind=Kind.INVALID,
        )
    isbns = [v.split(":", 1)[1] for v in values if v.startswith("isbn:")]
    record_ids = set(
        RecordIdentifier.objects.filter(value__in=values).values_list("record_id", flat=True)
    )
    lines = [
        line
        for line in OrderLine.objects.filter(
            Q(record_id__in=record_ids) | Q(record__isbn__in=isbns),
            order__library=library,
            order__state=Order.State.SENT,
        )
        .select_related("order__supplier", "record", "fund")
        .order_by("order__sent_at", "pk")
        if line.open_quantity > 0
    ]
    if not lines:
        raise PurchasingError(
            "no_open_line",
            _("No order of %(library)s awaits %(code)s: check the delivery note.")
            % {"library": library.name, "code": code.strip()},
            field="code",
            kind=Kind.NOT_FOUND,
        )
    return lines


def _lock_line(pk: int) -> OrderLine:
    """The order line's row, locked until the end of the transaction."""
    return OrderLine.objects.select_for_update(of=("self",)).select_related("order").get(pk=pk)


def _lock_waiting_items(line: OrderLine, count: int) -> list[Item]:
    """The line's oldest `count` copies still on order, locked through lock_items (id order,
    as every path locks items); the line is locked already, so none is taken meanwhile."""
    chosen = list(
        Item.objects.filter(
            pk__in=line.ordered_items.filter(receipt=None).values("item"),
            status=ItemStatus.ON_ORDER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    return [item for item in lock_items(chosen) if item.status == ItemStatus.ON_ORDER]


def receive_refusal(line: OrderLine, quantity: int) -> PurchasingError | None:
    """Why `quantity` copies cannot be received on the line now, or None."""
    if line.order.state != Order.State.SENT:
        return PurchasingError("order_not_sent", _("This order is not sent: nothing to receive."))
    if quantity <= line.open_quantity:
        return None
    if line.open_quantity == 0:
        message = _("Every copy of this line is already received or cancelled.")
    else:
        message = ngettext(
            "Only %(n)d copy is still awaited on this line: %(q)d were scanned.",
            "Only %(n)d copies are still awaited on this line: %(q)d were scanned.",
            line.open_quantity,
        ) % {"n": line.open_quantity, "q": quantity}
    return PurchasingError(
        "more_than_ordered",
        message,
        field="barcodes",
        details={"awaited": line.open_quantity},
        kind=Kind.CONFLICT,
    )


def _checked_barcodes(barcodes: list[str]) -> list[str]:
    cleaned = [b.strip() for b in barcodes if b and b.strip()]
    if not cleaned:
        raise PurchasingError(
            "quantity_invalid",
            _("Scan the new barcode of each copy received."),
            field="barcodes",
            kind=Kind.INVALID,
        )
    if len(set(cleaned)) != len(cleaned):
        raise PurchasingError(
            "barcode_twice",
            _("A barcode was scanned twice: each copy gets its own."),
            field="barcodes",
            kind=Kind.INVALID,
        )
    for barcode in cleaned:
        try:
            check_barcode(barcode)
        except CatalogueError as error:
            raise PurchasingError(
                error.code, error.message, field="barcodes", kind=Kind.INVALID
            ) from error
    return cleaned


def receive(
    actor,
    line: OrderLine,
    barcodes: list[str],
    *,
    status: str = ItemStatus.AVAILABLE,
    today: dt.date | None = None,
) -> Receipt:
    """Copies of the line arrived, one new barcode each; they become `status` (available, or
    in processing to be equipped first). Codes: quantity_invalid, barcode_twice,
    barcode_format, barcode_taken, more_than_ordered, order_not_sent, status_invalid."""
    require(actor, Action.CIRCULATE, line.order.library_id)
    if status not in ARRIVAL_STATUSES:
        raise PurchasingError(
            "status_invalid",
            _("A copy received is available or being processed."),
            field="status",
            kind=Kind.INVALID,
        )
    cleaned = _checked_barcodes(barcodes)
    try:
        with transaction.atomic():
            line = _lock_line(line.pk)
            refusal = receive_refusal(line, len(cleaned))
            if refusal is not None:
                raise refusal
            waiting = _lock_waiting_items(line, len(cleaned))
            if len(waiting) < len(cleaned):
                raise PurchasingError(
                    "more_than_ordered",
                    _("The copies on order of this line were received meanwhile."),
                    kind=Kind.CONFLICT,
                )
            receipt = Receipt.objects.create(line=line, quantity=len(cleaned), received_by=actor)
            for item, barcode in zip(waiting, cleaned, strict=True):
                item_service.receive_ordered(
                    item, barcode=barcode, status=status, acquired_on=today
                )
            line.ordered_items.filter(item__in=waiting).update(receipt=receipt)
            line.received += len(cleaned)
            line.save(update_fields=["received"])
            audit(
                "order_received",
                line,
                actor=actor,
                library=line.order.library_id,
                details={"order_number": line.order.number, "purchase_quantity": len(cleaned)},
            )
    except IntegrityError as error:  # a barcode taken by another desk meanwhile
        raise PurchasingError(
            "barcode_taken",
            _("One of these barcodes was just given to another item: scan another label."),
            field="barcodes",
            kind=Kind.CONFLICT,
        ) from error
    return receipt


# Invoices ------------------------------------------------------------------------------------


def uninvoiced(supplier: Supplier, library: Library) -> list[Receipt]:
    return list(
        Receipt.objects.filter(
            line__order__supplier=supplier, line__order__library=library, invoice=None
        )
        .select_related("line__record", "line__order")
        .order_by("received_at", "pk")
    )


def receipts_total(receipts: list[Receipt]) -> Decimal:
    return sum((r.line.net_price * r.quantity for r in receipts), Decimal("0.00"))


def record_invoice(
    actor,
    supplier: Supplier,
    library: Library,
    *,
    number: str,
    date: dt.date | None,
    amount_excl_tax: Decimal,
    amount_incl_tax: Decimal,
    receipt_ids: list[int],
) -> tuple[Invoice, str]:
    """An invoice and the receipts it bills (their copies become spent). Returns it and a
    warning when its amount differs from the received copies' prices. Codes: number_missing,
    date_missing, amount_invalid, invoice_taken, receipt_unknown."""
    require(actor, Action.MANAGE, library)
    number = (number or "").strip()
    if not number:
        raise PurchasingError(
            "number_missing", _("Give the invoice number."), field="number", kind=Kind.INVALID
        )
    if date is None:
        raise PurchasingError(
            "date_missing", _("Give the invoice date."), field="date", kind=Kind.INVALID
        )
    if amount_excl_tax < 0 or amount_incl_tax < amount_excl_tax:
        raise PurchasingError(
            "amount_invalid",
            _("The amount incl. VAT is at least the amount excl. VAT, both zero or more."),
            field="amount_incl_tax",
            kind=Kind.INVALID,
        )
    try:
        with transaction.atomic():
            receipts = list(
                Receipt.objects.select_for_update(of=("self",))
                .filter(
                    pk__in=receipt_ids,
                    invoice=None,
                    line__order__supplier=supplier,
                    line__order__library=library,
                )
                .select_related("line")
            )
            if len(receipts) != len(set(receipt_ids)):
                raise PurchasingError(
                    "receipt_unknown",
                    _("A receipt chosen is already invoiced or not this supplier's."),
                    kind=Kind.CONFLICT,
                )
            invoice = Invoice.objects.create(
                supplier=supplier,
                library=library,
                number=number[:50],
                date=date,
                amount_excl_tax=cents(amount_excl_tax),
                amount_incl_tax=cents(amount_incl_tax),
                created_by=actor,
            )
            Receipt.objects.filter(pk__in=[r.pk for r in receipts]).update(invoice=invoice)
            audit(
                "invoice_recorded",
                invoice,
                actor=actor,
                library=library,
                details={"invoice_number": invoice.number},
            )
    except IntegrityError as error:
        raise PurchasingError(
            "invoice_taken",
            _("The invoice %(number)s of %(supplier)s is already recorded.")
            % {"number": number, "supplier": supplier.name},
            field="number",
            kind=Kind.CONFLICT,
        ) from error
    received = receipts_total(receipts)
    warning = ""
    if receipts and received != invoice.amount_incl_tax:
        warning = _(
            "The copies received on this invoice come to %(received)s at the ordered prices, "
            "the invoice says %(invoiced)s: check it with the supplier."
        ) % {"received": euro_text(received), "invoiced": euro_text(invoice.amount_incl_tax)}
    return invoice, warning
