"""Purchasing's figures for the annual statistics (read-only): the copies received from orders
over a period, by library, kind of document and audience (issue 15, item 9).

A copy counts on the day it was received (its receipt), at the library that ordered it; a copy
still on order does not count. The statistics app reads ``received`` to tell, among the items
acquired in a year, those bought through Maillon's orders.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, QuerySet
from django.utils import timezone

from maillon.catalogue.models import Item
from maillon.network.models import Library
from maillon.purchasing.models import OrderedItem


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def received(start: dt.date, end: dt.date, library: Library | None = None) -> QuerySet[Item]:
    """The items received from orders from `start` to `end` (both included), at `library`'s
    orders (None: the network's)."""
    low, high = _bounds(start, end)
    copies = OrderedItem.objects.filter(
        receipt__received_at__gte=low, receipt__received_at__lt=high
    )
    if library is not None:
        copies = copies.filter(line__order__library=library)
    return Item.objects.filter(pk__in=copies.values("item"))


def by_medium_and_audience(
    start: dt.date, end: dt.date, library: Library | None = None
) -> Counter[tuple[str, str]]:
    """Copies received, per (kind of document of the record, audience of the copy)."""
    return Counter(
        {
            (doc_type, audience): n
            for doc_type, audience, n in _grouped(received(start, end, library))
        }
    )


def _grouped(items: QuerySet[Item]) -> list[tuple[str, str, int]]:
    return list(
        items.order_by()
        .values_list("record__doc_type", "audience")
        .annotate(n=Count("pk"))
        .values_list("record__doc_type", "audience", "n")
    )
