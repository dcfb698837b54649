"""Spine labels (call number) and barcode labels (Code 128) on an A4 sheet of labels, for any
batch of items, as a PDF (WeasyPrint). The grid is data (LabelSheet); `skip` leaves the first
labels of a sheet already used."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.template.loader import render_to_string

from maillon.catalogue.models import Item
from maillon.lots.printing import code128_svg
from maillon.workshop.models import LabelSheet

# When the network has described no sheet: a common A4 sheet of 3 × 8 labels, 70 × 37 mm.
DEFAULT_SHEET = LabelSheet(
    name="A4 3 × 8 (70 × 37 mm)",
    columns=3,
    rows=8,
    label_width=Decimal(70),
    label_height=Decimal("37"),
    top=Decimal("0.5"),
    left=Decimal(0),
    column_gap=Decimal(0),
    row_gap=Decimal(0),
)
KINDS = ("spine", "barcode")


def placed(sheet: LabelSheet, count: int, skip: int = 0) -> list[list[dict]]:
    """Pages of label positions (mm from the page's top left) for `count` labels."""
    per_page = sheet.columns * sheet.rows
    pages: list[list[dict]] = []
    for n in range(skip, skip + count):
        page, slot = divmod(n, per_page)
        row, column = divmod(slot, sheet.columns)
        if page == len(pages):
            pages.append([])
        pages[page].append(
            {
                "top": sheet.top + row * (sheet.label_height + sheet.row_gap),
                "left": sheet.left + column * (sheet.label_width + sheet.column_gap),
            }
        )
    return pages


def html(items: Sequence[Item], sheet: LabelSheet, kind: str, skip: int = 0) -> str:
    pages = placed(sheet, len(items), skip)
    labels = iter(items)
    filled = [
        [
            {
                **slot,
                "item": item,
                "lines": (item.call_number or "—").split(),
                "barcode": code128_svg(item.barcode) if kind == "barcode" else "",
            }
            for slot, item in zip(page, labels, strict=False)
        ]
        for page in pages
    ]
    return render_to_string("workshop/labels.html", {"pages": filled, "sheet": sheet, "kind": kind})


def pdf(items: Sequence[Item], sheet: LabelSheet, kind: str, skip: int = 0) -> bytes:
    from weasyprint import HTML  # heavy: loaded when labels are printed

    return HTML(string=html(items, sheet, kind, skip)).write_pdf()
