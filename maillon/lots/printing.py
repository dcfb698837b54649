"""The lot's label (code as a Code 128 barcode, big name, where it stands) and its packing
list, as one PDF: the label on the crate, the list inside."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from maillon.lots.models import Lot
from maillon.lots.services import contents


def code128_svg(code: str) -> SafeString:
    """The code as an inline SVG Code 128 barcode (python-barcode), text under the bars."""
    import barcode
    from barcode.writer import SVGWriter

    svg = barcode.get("code128", code, writer=SVGWriter()).render(
        {"module_width": 0.4, "module_height": 18, "font_size": 10, "text_distance": 5}
    )
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return mark_safe(text[start:])  # noqa: S308 — python-barcode's own markup of our code


def html(lot: Lot) -> str:
    return render_to_string(
        "lots/print.html",
        {
            "lot": lot,
            "contents": contents(lot),
            "barcode": code128_svg(lot.code),
            "printed": timezone.localtime(),
        },
    )


def pdf(lot: Lot) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a label is printed

    return HTML(string=html(lot)).write_pdf()
