"""The colon the language wants: "Téléphone : …" in French, "Phone: …" in English."""

from django import template
from django.utils.safestring import SafeString

from maillon.core.dates import day
from maillon.core.text import colon as colon_text

register = template.Library()


@register.simple_tag
def colon() -> str:
    return colon_text()


@register.simple_tag
def barcode(value: str) -> SafeString:
    """A printable Code 128 image of `value`: {% barcode item.barcode %}."""
    from maillon.core.barcodes import code128_img

    return code128_img(str(value))


@register.filter
def long_date(value, with_year: bool = True) -> str:
    """« 1er février 2027 » (see maillon.core.dates.day)."""
    return day(value, with_year=with_year, weekday=False) if value else ""


@register.filter
def weekday_date(value) -> str:
    """« mardi 3 mars » (see maillon.core.dates.day)."""
    return day(value) if value else ""
