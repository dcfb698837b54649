from __future__ import annotations

import datetime as dt

from django import template

from maillon.programme import dates

register = template.Library()


@register.filter
def event_day(value: dt.datetime) -> str:
    return dates.day(value)


@register.filter
def event_moment(value: dt.datetime) -> str:
    return dates.moment(value)


@register.simple_tag
def event_span(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    return dates.span(starts_at, ends_at)
