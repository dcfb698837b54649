"""Amounts as people read them: « 1 243,50 € » in French, « €1,243.50 » in English."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

from maillon.purchasing.services import euro_text, plain

register = template.Library()


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return "—"
    return euro_text(Decimal(value))


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    text = formats.number_format(plain(Decimal(value)), use_l10n=True)
    return f"{text}\u00a0%" if (get_language() or "fr").startswith("fr") else f"{text}%"
