"""What the repository gives harvesters: the catalogue's records in id order, one page at a
time, their sets and their copies.

Deletions are persistent: the catalogue never deletes a record row, and a record merged into
another one (``merged_into``) stays as its tombstone, listed as deleted with the date of the
merge. A record's datestamp is its ``updated_at``, which moves when the record or the holdings
it shows change (see ``maillon.catalogue.records.touch_records``).

Pages follow record ids (``id > last sent``), not datestamps: each page is an index range
whatever the harvest's size, and a record changed during a harvest is not lost — its new
datestamp is after the harvest began, so the next incremental harvest fetches it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from maillon.catalogue.models import GONE_STATUSES, Collection, Item, ItemType, Record
from maillon.network.models import Library
from maillon.oai.metadata import Copy
from maillon.oai.protocol import PAGE_SIZE, OaiError, Selection

# setSpec characters (unreserved URI characters); ":" separates the hierarchy's levels.
_SPEC_PART = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
HEADER_FIELDS = ("id", "updated_at", "merged_into_id")


def prefix() -> str:
    return f"oai:{settings.MAILLON_OAI_REPOSITORY_ID}:"


def identifier(record_id: int) -> str:
    return f"{prefix()}{record_id}"


def find(value: str, fields: tuple[str, ...] | None = None) -> Record:
    """The record an identifier names (merged-away ones included); raises idDoesNotExist."""
    number = value.removeprefix(prefix()) if value.startswith(prefix()) else ""
    found = None
    if number.isdigit() and len(number) < 19:
        records = Record.objects.filter(pk=int(number))
        found = (records.only(*fields) if fields else records).first()
    if found is None:
        raise OaiError(
            "idDoesNotExist", _("No record has this identifier: %(id)s") % {"id": value[:200]}
        )
    return found


def earliest_datestamp() -> dt.datetime | None:
    return Record.objects.order_by("updated_at").values_list("updated_at", flat=True).first()


# --- sets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


def sets() -> list[OaiSet]:
    """The libraries' and the collections' sets, under "library" and "collection"."""
    found = [OaiSet("library", _("Holdings by library"))]
    for code, name in Library.objects.order_by("code").values_list("code", "name"):
        if _SPEC_PART.fullmatch(code):
            found.append(OaiSet(f"library:{code}", name))
    found.append(OaiSet("collection", _("Holdings by collection")))
    for code, name in Collection.objects.order_by("code").values_list("code", "name"):
        if _SPEC_PART.fullmatch(code):
            found.append(OaiSet(f"collection:{code}", name))
    return found


def _live_items() -> QuerySet[Item]:
    return Item.objects.filter(record=OuterRef("pk")).exclude(status__in=GONE_STATUSES)


def set_filter(spec: str) -> Q:
    """Records with a copy in the collection at the library (or in the collection) ``spec``
    names; raises badArgument for a set the repository does not have."""
    kind, _sep, code = spec.partition(":")
    items = _live_items()
    if kind == "library" and not code:
        return Q(Exists(items))
    if kind == "collection" and not code:
        return Q(Exists(items.filter(collection__isnull=False)))
    if kind == "library":
        library = Library.objects.filter(code=code).values_list("pk", flat=True).first()
        if library is not None:
            return Q(Exists(items.filter(home_id=library)))
    elif kind == "collection":
        collection = Collection.objects.filter(code=code).values_list("pk", flat=True).first()
        if collection is not None:
            return Q(Exists(items.filter(collection_id=collection)))
    raise OaiError("badArgument", _("This repository has no set %(set)s.") % {"set": spec[:100]})


# --- harvests --------------------------------------------------------------------------------


def selected(selection: Selection) -> QuerySet[Record]:
    """Every record of the list asked for, wherever the harvest stands."""
    records = Record.objects.all()
    if selection.start is not None:
        records = records.filter(updated_at__gte=selection.start)
    if selection.end is not None:
        records = records.filter(updated_at__lt=selection.end)
    if selection.set_spec:
        # A merged-away record has no copies left: it is in no set.
        records = records.filter(set_filter(selection.set_spec), merged_into=None)
    return records


def page(selection: Selection, fields: tuple[str, ...]) -> tuple[list[Record], bool]:
    """The next page's records (only ``fields`` read, when given) and whether more follow."""
    records = selected(selection).filter(pk__gt=selection.after).order_by("pk")
    if fields:
        records = records.only(*fields)
    rows = list(records[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def copies_of(record_ids: list[int]) -> dict[int, list[Copy]]:
    """The copies in the collection of these records, in id order, as codes."""
    if not record_ids:
        return {}
    libraries = dict(Library.objects.values_list("pk", "code"))
    collections = dict(Collection.objects.values_list("pk", "code"))
    item_types = dict(ItemType.objects.values_list("pk", "code"))
    found: dict[int, list[Copy]] = defaultdict(list)
    rows = (
        Item.objects.filter(record_id__in=record_ids)
        .exclude(status__in=GONE_STATUSES)
        .order_by("pk")
        .values_list(
            "record_id",
            "barcode",
            "call_number",
            "owner_id",
            "home_id",
            "location",
            "item_type_id",
            "collection_id",
        )
    )
    for record_id, barcode, call_number, owner, home, location, item_type, collection in rows:
        found[record_id].append(
            Copy(
                barcode=barcode,
                call_number=call_number,
                owner=libraries.get(owner, ""),
                home=libraries.get(home, ""),
                location=location,
                item_type=item_types.get(item_type, ""),
                collection=collections.get(collection, "") if collection else "",
            )
        )
    return found


def set_specs(copies: list[Copy]) -> list[str]:
    """The sets a record with these copies belongs to (the parents "library" and
    "collection" are implied by the protocol's hierarchy)."""
    libraries = sorted({c.home for c in copies if _SPEC_PART.fullmatch(c.home)})
    collections = sorted({c.collection for c in copies if _SPEC_PART.fullmatch(c.collection)})
    return [f"library:{code}" for code in libraries] + [
        f"collection:{code}" for code in collections
    ]
