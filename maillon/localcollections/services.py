"""A library's local-specific collections (fonds spécifiques): define them, tag items.

A local collection is a catalogue Collection of kind "local" or "heritage" that belongs to a
library. Its items are protected because the tools already read the kind: weeding never
proposes them (weeding.services.PROTECTED_COLLECTIONS), lots refuse them (lots.services), and
the public catalogue offers them as a facet (the search index lists each record's collections).
Tagging changes no state (status, home, current): it locks the item as lots do, so an item
cannot be tagged and put in a lot at once, and refreshes the record's index row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.models import GONE_STATUSES, Collection, CollectionKind, Item, md_stock
from maillon.catalogue.records import records_changed
from maillon.core.errors import DomainError, Kind
from maillon.lots.models import LotItem
from maillon.network.models import Library
from maillon.network.permissions import Action, require

KINDS = (CollectionKind.LOCAL, CollectionKind.HERITAGE)
MAX_TAGGED_AT_ONCE = 2000  # a call-number range or a search: more is a mistake


class LocalCollectionError(DomainError):
    """A refused change to a local collection."""


def of_library(library: Library | int) -> QuerySet[Collection]:
    return Collection.objects.filter(library=library, kind__in=KINDS).order_by("name")


def _code(library: Library, name: str) -> str:
    base = f"{library.code}-{slugify(name).upper()}"[:17].rstrip("-")
    code, n = base, 1
    while Collection.objects.filter(code=code).exists():
        n += 1
        code = f"{base}{n}"[:20]
    return code


def save(
    actor,
    library: Library,
    *,
    name: str,
    theme: str = "",
    description: str = "",
    kind: str = CollectionKind.LOCAL,
    collection: Collection | None = None,
) -> Collection:
    """Create (or, given `collection`, edit) a library's local collection (MANAGE there).
    Codes: name_missing, kind_invalid, not_local."""
    require(actor, Action.MANAGE, library)
    name = (name or "").strip()
    if not name:
        raise LocalCollectionError(
            "name_missing", _("Give the collection a name."), field="name", kind=Kind.INVALID
        )
    if kind not in KINDS:
        raise LocalCollectionError(
            "kind_invalid",
            _("A local collection is local-specific or heritage."),
            field="kind",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        if collection is None:
            collection = Collection(library=library, code=_code(library, name))
            action = "local_collection_created"
        elif collection.library_id != library.pk or collection.kind not in KINDS:
            raise LocalCollectionError(
                "not_local", _("This collection is not one of this library's local collections.")
            )
        else:
            action = "local_collection_edited"
        collection.name = name[:100]
        collection.theme = (theme or "").strip()[:200]
        collection.description = (description or "").strip()
        collection.kind = kind
        collection.save()
        audit(action, collection, actor=actor, library=library)
    return collection


def _refusal(collection: Collection, item: Item) -> str:
    """Why `item` (locked) may not join `collection`, or ""."""
    values = {"barcode": item.barcode, "name": collection.name}
    if item.home_id != collection.library_id:
        return _("The item %(barcode)s belongs to another library.") % values
    if item.collection_id == collection.pk:
        return _("The item %(barcode)s is already in « %(name)s ».") % values
    if item.status in GONE_STATUSES:
        return _("The item %(barcode)s is no longer in the collection (%(status)s).") % {
            **values,
            "status": item_service.status_label(item.status),
        }
    if Item.objects.filter(md_stock(), pk=item.pk).exists():
        return (
            _("The item %(barcode)s is lent by the departmental library: it stays in its deposit.")
            % values
        )
    if LotItem.objects.filter(item=item).exists():
        return _("The item %(barcode)s is in a lot: take it out of the lot first.") % values
    return ""


@dataclass
class Tagged:
    added: list[str] = field(default_factory=list)  # barcodes
    refused: list[str] = field(default_factory=list)  # one French reason per item


def tag(actor, collection: Collection, items: Iterable[Item | int]) -> Tagged:
    """Put the items in the library's local collection (MANAGE at its library). Each item is
    locked and checked; a refused one leaves the others alone. Codes: too_many."""
    library = collection.library
    if library is None or collection.kind not in KINDS:
        raise LocalCollectionError("not_local", _("This collection is not a local collection."))
    require(actor, Action.MANAGE, library)
    ids: list[int] = [i.pk if isinstance(i, Item) else i for i in items]
    if len(ids) > MAX_TAGGED_AT_ONCE:
        raise LocalCollectionError(
            "too_many",
            _("%(count)d items at once is too many: narrow the range (at most %(max)d).")
            % {"count": len(ids), "max": MAX_TAGGED_AT_ONCE},
            kind=Kind.INVALID,
        )
    done = Tagged()
    records = set()
    with transaction.atomic():
        for item_id in sorted(ids):  # locks in id order: two taggings never wait on each other
            item = item_service.lock(item_id)
            refusal = _refusal(collection, item)
            if refusal:
                done.refused.append(refusal)
                continue
            previous = (
                Collection.objects.filter(id=item.collection_id or 0)
                .values_list("code", flat=True)
                .first()
            )
            Item.objects.filter(pk=item.pk).update(collection=collection)
            audit(
                "put_in_local_collection",
                item,
                actor=actor,
                library=library,
                details={"collection_code": collection.code, "previous_collection": previous or ""},
            )
            done.added.append(item.barcode)
            records.add(item.record_id)
        records_changed(records)  # searched, and dated for harvesters (sets by collection)
    return done


def untag(actor, collection: Collection, item: Item) -> None:
    """Take the item out of the local collection (it belongs to no collection then)."""
    require(actor, Action.MANAGE, collection.library_id)
    with transaction.atomic():
        item = item_service.lock(item)
        if item.collection_id != collection.pk:
            return
        Item.objects.filter(pk=item.pk).update(collection=None)
        audit(
            "taken_out_of_local_collection",
            item,
            actor=actor,
            library=collection.library_id,
            details={"collection_code": collection.code},
        )
        records_changed([item.record_id])


def by_barcode(collection: Collection, barcode: str) -> Item:
    barcode = (barcode or "").strip()
    item = Item.objects.filter(barcode=barcode).first()
    if item is None:
        raise LocalCollectionError(
            "unknown_barcode",
            _("No item has the barcode %(barcode)s.") % {"barcode": barcode or "—"},
            field="barcode",
            kind=Kind.NOT_FOUND,
        )
    return item


def by_call_numbers(collection: Collection, start: str, end: str) -> list[int]:
    """The library's items whose call number runs from `start` to `end` (inclusive, as
    shelved: case-insensitive prefix order, so "944.6" to "944.69" takes 944.6 DUR too)."""
    start, end = (start or "").strip().upper(), (end or "").strip().upper()
    if not start:
        raise LocalCollectionError(
            "range_missing",
            _("Give the first call number of the range."),
            field="start",
            kind=Kind.INVALID,
        )
    end = end or start
    if end < start:
        raise LocalCollectionError(
            "range_invalid", _("The range ends before it starts."), field="end", kind=Kind.INVALID
        )
    rows = (
        Item.objects.filter(home_id=collection.library_id)
        .exclude(status__in=GONE_STATUSES)
        .exclude(collection=collection)
        .values_list("pk", "call_number")
    )
    # Compared in Python on the upper-cased number: the databases' collations differ; the
    # library's call numbers only are read.
    return [pk for pk, call in rows.iterator(chunk_size=5000) if _within(call, start, end)]


def _within(call: str, start: str, end: str) -> bool:
    call = (call or "").upper()
    return start <= call and (call <= end or call.startswith(end))


def by_records(collection: Collection, record_ids: Iterable[int]) -> list[int]:
    """The library's copies (not gone) of these records: tagging from a search."""
    return list(
        Item.objects.filter(home_id=collection.library_id, record_id__in=list(record_ids))
        .exclude(status__in=GONE_STATUSES)
        .exclude(collection=collection)
        .values_list("pk", flat=True)
    )
