"""What is sent to the supplier: the order as a PDF and a spreadsheet, the claim letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.purchasing.models import Order, OrderLine
from maillon.purchasing.services import excl_tax


def lines_of(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("record", "fund").order_by("record__sort_title", "pk"))


def totals(lines: list[OrderLine]) -> dict[str, Decimal]:
    incl = sum((line.total for line in lines), Decimal("0.00"))
    excl = sum((excl_tax(line.total, line.vat_rate) for line in lines), Decimal("0.00"))
    return {"incl": incl, "excl": excl, "vat": incl - excl}


def rows(order: Order) -> list[list[object]]:
    """The order as a table: a header, then one row per line."""
    out: list[list[object]] = [
        [
            _("ISBN"),
            _("Title"),
            _("Author"),
            _("Publisher"),
            _("Quantity"),
            _("Public price incl. VAT"),
            _("Discount (%)"),
            _("Net unit price incl. VAT"),
            _("Total incl. VAT"),
            _("Fund"),
        ]
    ]
    for line in lines_of(order):
        record = line.record
        out.append(
            [
                record.isbn,
                record.title,
                record.main_author,
                record.publisher,
                line.quantity - line.cancelled,
                line.public_price,
                line.discount,
                line.net_price,
                line.total,
                line.fund.code,
            ]
        )
    return out


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a document is printed

    return HTML(string=render_to_string(template, context)).write_pdf()


def order_pdf(order: Order) -> bytes:
    lines = lines_of(order)
    return _pdf(
        "purchasing/order_print.html",
        {"order": order, "lines": lines, "totals": totals(lines), "printed": timezone.now()},
    )


def claim_pdf(order: Order, late: list[OrderLine], today: dt.date | None = None) -> bytes:
    return _pdf(
        "purchasing/claim_letter.html",
        {"order": order, "lines": late, "today": today or timezone.localdate()},
    )
