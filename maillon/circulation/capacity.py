"""Capacity caps: the most items a library (or one of its shelving locations) is home to, and
the most copies of one record, kept as data (``Capacity``). Floating collections piled up
unevenly until caps like these were added (Evergreen); here a floating copy returned to a full
library goes home, a lot is not sent to a library it would overfill, and a circulation plan's
grid keeps within them.

``refusal`` answers in French with the first cap a move breaks; callers raise their own
refusal with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Capacity
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require


def _stock(library: Library | int, location: str = ""):
    items = Item.objects.filter(home=library).exclude(status__in=GONE_STATUSES)
    return items.filter(location=location) if location else items


def _where(cap: Capacity, library: Library) -> str:
    if cap.location:
        return _("the shelf « %(location)s » %(library)s") % {
            "location": cap.location,
            "library": library.of_name,
        }
    return library.name


def _lock_library(library: Library) -> None:
    """Two moves into one capped library count its stock one after the other. Taken after the
    items' locks (as every caller holds them), so it never waits on an item."""
    list(Library.objects.select_for_update().filter(pk=library.pk).values_list("pk", flat=True))


def refusal(library: Library, items: Sequence[Item]) -> str | None:
    """Why `library` cannot become the home of `items` now (the first cap they would break),
    or None. Items already at home there change nothing. Inside the caller's transaction,
    after the items' locks: a capped library's row is locked until it ends."""
    incoming = [item for item in items if item.home_id != library.pk]
    if not incoming:
        return None
    caps = list(Capacity.objects.filter(library=library).order_by("location"))
    if caps:
        _lock_library(library)
    for cap in caps:
        concerned = [i for i in incoming if not cap.location or i.location == cap.location]
        if not concerned:
            continue
        stock = _stock(library, cap.location)
        if cap.max_items is not None:
            count = stock.count() + len(concerned)
            if count > cap.max_items:
                return _("Capacity: %(where)s would hold %(count)d items, at most %(limit)d.") % {
                    "where": _where(cap, library),
                    "count": count,
                    "limit": cap.max_items,
                }
        if cap.max_copies is not None:
            arriving = Counter(item.record_id for item in concerned)
            have = dict(
                stock.filter(record_id__in=list(arriving))
                .values_list("record_id")
                .annotate(n=Count("pk"))
            )
            for record_id, n in sorted(arriving.items()):
                count = have.get(record_id, 0) + n
                if count > cap.max_copies:
                    title = Record.objects.filter(pk=record_id).values_list("title", flat=True)
                    return _(
                        "Capacity: %(where)s would hold %(count)d copies of « %(title)s », "
                        "at most %(limit)d."
                    ) % {
                        "where": _where(cap, library),
                        "count": count,
                        "title": title.first() or "—",
                        "limit": cap.max_copies,
                    }
    return None


@dataclass
class StockLine:
    library: Library
    stock: int
    max_items: int | None
    max_copies: int | None
    locations: list[tuple[Capacity, int]]

    @property
    def percent(self) -> int | None:
        return round(100 * self.stock / self.max_items) if self.max_items else None

    @property
    def full(self) -> bool:
        return self.max_items is not None and self.stock >= self.max_items


def stock_against_capacity(libraries: Sequence[Library]) -> list[StockLine]:
    """Per library: the items it is home to against its caps (whole library, locations)."""
    ids = [lib.pk for lib in libraries]
    stock = dict(
        Item.objects.filter(home__in=ids)
        .exclude(status__in=GONE_STATUSES)
        .values_list("home")
        .annotate(n=Count("pk"))
    )
    caps: dict[int, list[Capacity]] = {}
    for cap in Capacity.objects.filter(library__in=ids).order_by("location"):
        caps.setdefault(cap.library_id, []).append(cap)
    lines = []
    for library in libraries:
        own = caps.get(library.pk, [])
        whole = next((c for c in own if not c.location), None)
        lines.append(
            StockLine(
                library=library,
                stock=stock.get(library.pk, 0),
                max_items=whole.max_items if whole else None,
                max_copies=whole.max_copies if whole else None,
                locations=[(c, _stock(library, c.location).count()) for c in own if c.location],
            )
        )
    return lines


def set_capacity(
    actor,
    library: Library,
    *,
    location: str = "",
    max_items: int | None,
    max_copies: int | None,
) -> Capacity | None:
    """The coordinator sets a library's caps (both empty: the cap is removed)."""
    require(actor, Action.ADMINISTER, library)
    location = (location or "").strip()
    if max_items is not None and max_items < 0 or max_copies is not None and max_copies < 1:
        raise CirculationError(
            "bad_capacity", _("A capacity is a positive number."), kind=Kind.INVALID
        )
    with transaction.atomic():
        if max_items is None and max_copies is None:
            Capacity.objects.filter(library=library, location=location).delete()
            cap = None
        else:
            cap, _created = Capacity.objects.update_or_create(
                library=library,
                location=location,
                defaults={"max_items": max_items, "max_copies": max_copies},
            )
        record(
            "capacity_set",
            library,
            actor=actor,
            library=library,
            details={
                "location": location,
                "max_items": max_items,
                "max_copies": max_copies,
            },
        )
    return cap
