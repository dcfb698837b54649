"""Purchasing's figures for the annual statistics (read-only): copies received from orders,
counted on the day of their receipt at the library that ordered them (a copy still on order
does not count).

The medium is the record's document type and the audience the copy's (the record's when the
copy's is not given), as the loan facts freeze them (circulation.loans), so acquisitions and
loans fall in the same rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet
from django.utils import timezone

from maillon.catalogue.models import Audience, Item
from maillon.network.models import Library
from maillon.purchasing.models import OrderedItem


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _received_between(start: dt.date, end: dt.date, library: Library | int | None):
    found = OrderedItem.objects.filter(
        receipt__received_at__gte=_local_midnight(start),
        receipt__received_at__lt=_local_midnight(end + dt.timedelta(days=1)),
    )
    if library is not None:
        found = found.filter(line__order__library=library)
    return found


def received(start: dt.date, end: dt.date, library: Library | None = None) -> QuerySet[Item]:
    """The items received from orders from `start` to `end` (both included), at `library`'s
    orders (None: the network's): the statistics tell with it, among the items acquired in a
    year, those bought through Maillon's orders."""
    return Item.objects.filter(pk__in=_received_between(start, end, library).values("item"))


def acquisitions(year: int, library: Library | int | None = None) -> dict[tuple[str, str], int]:
    """{(doc_type, audience): copies received in `year`} at the ordering library (None: the
    network). Keys are catalogue codes: DocType values ("text", "video"…) and Audience values
    ("adult", "youth", "unknown"); a pair with no copy is absent."""
    found = _received_between(dt.date(year, 1, 1), dt.date(year, 12, 31), library)
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for doc_type, item_audience, record_audience, n in (
        found.values_list("item__record__doc_type", "item__audience", "item__record__audience")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        audience = item_audience if item_audience != Audience.UNKNOWN else record_audience
        counted[(doc_type, audience or Audience.UNKNOWN)] += n
    return dict(counted)
