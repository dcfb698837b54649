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


@register.filter
def event_hour(value: dt.datetime) -> str:
    return dates.hour(value)


@register.simple_tag(takes_context=True)
def query_with(context: dict, **changes: object) -> str:
    """The page's query string with some parameters changed (a month: 2026-12)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)
    return str(query.urlencode())


@register.filter
def event_date(value: dt.date) -> str:
    """« 1er novembre 2026 »."""
    return dates.day(value, with_year=True, weekday=False)
