"""Availability of many resources at once, in a fixed number of queries whatever their number:
the resources, the rules, the bookings that meet the period. Used by "pick the dates first",
the year's occupancy, the API and the benchmark.

The per-resource checks of `services.request_booking` stay the authority when booking: this
reads the same rules (the most specific rule, lead time, durations, checking days on both
sides, a resource not back yet) to say what is worth asking for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from maillon.bookings.models import HOLDING, Booking, BookingRule, Resource, taking


def rules_for(resources: Iterable[Resource]) -> dict[int, BookingRule]:
    """resource id → its rule (as services.rule_for picks it), in one query."""
    rules = list(BookingRule.objects.all())
    found = {}
    for resource in resources:
        candidates = [
            r
            for r in rules
            if r.kind_id in (resource.kind_id, None) and r.owner_id in (resource.owner_id, None)
        ]
        found[resource.pk] = (
            max(
                candidates,
                key=lambda r: (r.kind_id is not None, r.owner_id is not None),
                default=None,
            )
            or BookingRule()
        )
    return found


def taken_spans(
    resource_ids: Iterable[int] | QuerySet, first: dt.date, last: dt.date, today: dt.date
) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """resource id → (start, taken until) of its bookings meeting first..last, in one query."""
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    rows = (
        Booking.objects.filter(
            taking(first, today),
            resource_id__in=resource_ids,
            status__in=HOLDING,
            start__lte=last,
        )
        .only("resource_id", "start", "end", "blocked_until", "buffer_days", "status")
        .order_by("start")
    )
    for booking in rows:
        spans[booking.resource_id].append((booking.start, booking.taken_until(today)))
    return spans


@dataclass
class Free:
    resource: Resource
    rule: BookingRule


def free_for(start: dt.date, end: dt.date, today: dt.date) -> tuple[list[Free], int]:
    """The bookable resources free from start to end (with both loans' checking days) and
    within their rule's lead time and durations; and how many others are not."""
    resources = list(
        Resource.objects.filter(bookable=True)
        .select_related("kind", "owner")
        .order_by("kind__name", "title")
    )
    rules = rules_for(resources)
    longest = BookingRule.objects.aggregate(m=Max("buffer_days"))["m"] or 0
    spans = taken_spans(
        Resource.objects.filter(bookable=True).values("pk"),
        start,
        end + dt.timedelta(days=longest),
        today,
    )
    days = (end - start).days + 1
    free, others = [], 0
    for resource in resources:
        rule = rules[resource.pk]
        until = end + dt.timedelta(days=rule.buffer_days)
        fits = (
            start >= today + dt.timedelta(days=rule.lead_days)
            and rule.min_days <= days <= rule.max_days
            and not any(s <= until and u >= start for s, u in spans.get(resource.pk, []))
        )
        if fits:
            free.append(Free(resource, rule))
        else:
            others += 1
    return free, others


def occupancy(resources: list[Resource], year: int) -> dict[int, tuple[list[int], int]]:
    """resource id → (percentage of each month's days lent or asked for, the year's), from the
    bookings' own days (checking days not counted), in one query."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    booked: dict[int, set[dt.date]] = defaultdict(set)
    rows = Booking.objects.filter(
        resource__in=resources, status__in=HOLDING, start__lte=last, end__gte=first
    ).values_list("resource_id", "start", "end")
    for resource_id, start, end in rows:
        day = max(start, first)
        while day <= min(end, last):
            booked[resource_id].add(day)
            day += dt.timedelta(days=1)
    result = {}
    for resource in resources:
        days = booked[resource.pk]
        months = []
        for month in range(1, 13):
            length = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.date(year, month, 1)).days
            inside = sum(1 for d in days if d.month == month)
            months.append(round(100 * inside / length))
        total = (last - first).days + 1
        result[resource.pk] = (months, round(100 * len(days) / total))
    return result
