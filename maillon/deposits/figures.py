"""The deposits' figures for the annual statistics (read-only): the departmental library's
documents held by a library on a given evening, from the deposit entries (lent on or before
that day, not returned by then), so a past year's 31/12 stays what it was."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest

from maillon.catalogue.models import Item
from maillon.deposits.models import DepositEntry
from maillon.network.models import Library


def held_on(day: dt.date, library: Library | None = None) -> QuerySet[Item]:
    """The MD's items on deposit at `library` (None: at any library) on the evening of `day`."""
    entries = DepositEntry.objects.filter(lent_on__lte=day).filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=day)
    )
    if library is not None:
        entries = entries.filter(deposit__library=library)
    return Item.objects.filter(pk__in=entries.values("item"))


def placements() -> list[tuple[int, str, dt.date, int]]:
    """The days the MD's documents came to each library by a deposit (+) and went back (−),
    per kind of document, as `held_on` counts them: summed up to a day, the documents on
    deposit that evening."""
    entries = DepositEntry.objects.order_by()
    changes = []
    for rows, day, sign in (
        (entries, F("lent_on"), 1),
        # Returned the day it was lent: never held on an evening.
        (entries.filter(returned_on__isnull=False), Greatest("lent_on", "returned_on"), -1),
    ):
        grouped = (
            rows.annotate(on=day)
            .values_list("deposit__library", "item__record__doc_type", "on")
            .annotate(n=Count("pk"))
        )
        changes += [(library, medium, on, sign * n) for library, medium, on, n in grouped]
    return changes


def ever_deposited() -> QuerySet[Item]:
    """The items the deposits have recorded at some time (their history is known)."""
    return Item.objects.filter(pk__in=DepositEntry.objects.values("item"))
