"""Dates as people write them: « samedi 1er février 2027 » in French, "Saturday 1 February"
in English."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language


def french() -> bool:
    return (get_language() or "fr").startswith("fr")


def day(value: dt.date | dt.datetime, with_year: bool = False, weekday: bool = True) -> str:
    """« samedi 1er février » (« … 2027 » with the year; « 1er février » without the weekday)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    if french():
        number = "1er" if value.day == 1 else str(value.day)
        text = f"{number} {date_format(value, 'F')}"
        if weekday:
            text = f"{date_format(value, 'l')} {text}"
    else:
        text = date_format(value, "l j F" if weekday else "j F")
    return f"{text} {value.year}" if with_year else text
