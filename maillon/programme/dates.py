"""Dates as people write them: « samedi 1er février à 10 h 30 » in French."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillon.core.dates import day
from maillon.core.dates import french as _french


def hour(value: dt.datetime) -> str:
    """« 10 h 30 », « 14 h »; 10:30 in English."""
    value = timezone.localtime(value)
    if _french():
        return french_hour(value)
    return formats.time_format(value, "H:i")


def french_hour(value: dt.datetime) -> str:
    """« 10 h 30 », « 14 h » of a time already in the network's zone."""
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def moment(value: dt.datetime, with_year: bool = False) -> str:
    """« samedi 1er février à 10 h 30 »."""
    return _("%(day)s at %(hour)s") % {"day": day(value, with_year), "hour": hour(value)}


def span(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """« samedi 1er février de 10 h 30 à 11 h 30 », or across days with both dates."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return _("%(day)s from %(start)s to %(end)s") % {
            "day": day(start),
            "start": hour(start),
            "end": hour(end),
        }
    return _("from %(start)s to %(end)s") % {"start": day(start), "end": day(end)}
