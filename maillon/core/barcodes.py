"""Scannable barcodes (Code 128) for printed slips and labels, as images the pages may show
under their Content-Security-Policy (a data: URI, no inline SVG style)."""

from __future__ import annotations

import base64
import io

from barcode import Code128
from barcode.writer import SVGWriter
from django.utils.html import format_html
from django.utils.safestring import SafeString


def code128_data_uri(value: str) -> str:
    out = io.BytesIO()
    Code128(value, writer=SVGWriter()).write(
        out, options={"module_height": 9, "font_size": 0, "text_distance": 1, "quiet_zone": 3}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def code128_img(value: str, alt: str = "") -> SafeString:
    """An <img> of the barcode, readable by a scanner once printed."""
    return format_html(
        '<img class="barcode" src="{}" alt="{}">', code128_data_uri(value), alt or value
    )
