"""What the repository gives harvesters: the catalogue's records in id order, one page at a
time, their sets and their copies.

Deletions are persistent: the catalogue never deletes a record row, and a record merged into
another one (``merged_into``) stays as its tombstone, listed as deleted with the date of the
merge. A record's datestamp is its ``updated_at``, which moves when the record or the holdings
it shows change (see ``maillon.catalogue.records.touch_records``). A harvest of a set lists
its members, and as deleted the records that left it (``maillon.oai.sets``), dated when they
left: a record whose last copy at a library is withdrawn is deleted for that library's
harvesters and stays live for the others. A deleted header names the sets the record left
(``with_deleted_specs``), so that a harvester of a set knows whose copy to drop.

Pages follow record ids (``id > last sent``), not datestamps: each page is an index range
whatever the harvest's size, and a record changed during a harvest is not lost — its new
datestamp is after the harvest began, so the next incremental harvest fetches it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.oai.metadata import Copy
from maillon.oai.models import SetMembership
from maillon.oai.protocol import PAGE_SIZE, OaiError, Selection
from maillon.oai.sets import LIBRARY, check, is_leaf

HEADER_FIELDS = ("id", "updated_at", "merged_into_id")
# What the formats read (metadata.py; records.record_fields): not the search keys.
RECORD_FIELDS = (
    *HEADER_FIELDS,
    "title",
    "subtitle",
    "authors",
    "publisher",
    "year",
    "isbn",
    "language",
    "classification",
    "subjects",
    "series",
    "summary",
    "doc_type",
    "audience",
    "flavour",
    "marc",
    "created_at",
)


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


# --- harvests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A record as a list gives it: ``left_at`` when it is listed as having left the set
    harvested (a deletion in that set only, dated when it left); ``specs``, the sets a
    deleted record's header names (see ``with_deleted_specs``)."""

    record: Record
    left_at: dt.datetime | None = None
    specs: tuple[str, ...] = ()

    @property
    def deleted(self) -> bool:
        return self.left_at is not None or bool(self.record.merged_into_id)

    @property
    def datestamp(self) -> dt.datetime:
        return self.left_at or self.record.updated_at


def _records(selection: Selection, after: int = 0) -> QuerySet[Record]:
    """The records listed live, or as merged away: every one, or a set's members; by
    datestamp; after record ``after``."""
    records = Record.objects.filter(pk__gt=after)
    if selection.start is not None:
        records = records.filter(updated_at__gte=selection.start)
    if selection.end is not None:
        records = records.filter(updated_at__lt=selection.end)
    if selection.set_spec:
        # One join (one filter call); the position on the membership's column too, which the
        # database reads in order from the set's index.
        records = records.filter(
            oai_sets__spec=selection.set_spec,
            oai_sets__left_at=None,
            oai_sets__record_id__gt=after,
        )
    return records


def _departures(selection: Selection, after: int = 0) -> QuerySet[SetMembership] | None:
    """The set's records that left it (listed as deleted), by the date they left; after
    record ``after``."""
    if not selection.set_spec:
        return None
    rows = SetMembership.objects.filter(
        spec=selection.set_spec, left_at__isnull=False, record_id__gt=after
    )
    if selection.start is not None:
        rows = rows.filter(left_at__gte=selection.start)
    if selection.end is not None:
        rows = rows.filter(left_at__lt=selection.end)
    return rows


def size(selection: Selection) -> int:
    """How many records the whole list holds (completeListSize); raises badArgument for a set
    the repository does not have."""
    if not selection.set_spec:
        return _records(selection).count()
    check(selection.set_spec)
    departures = _departures(selection)
    assert departures is not None
    if selection.start is None and selection.end is None:  # the set's rows alone: no join
        members = SetMembership.objects.filter(spec=selection.set_spec, left_at=None).count()
    else:
        members = _records(selection).count()
    return members + departures.count()


def page(selection: Selection, fields: tuple[str, ...]) -> tuple[list[Listed], bool]:
    """The next page (records read with ``fields`` only, those that left the set with their
    header's) and whether more follow. Both kinds in one id order: the token's position
    holds for each."""
    records = _records(selection, selection.after).order_by("pk").only(*fields)
    listed = [Listed(r) for r in records[: PAGE_SIZE + 1]]
    departures = _departures(selection, selection.after)
    if departures is not None:
        left = dict(
            departures.order_by("record_id").values_list("record_id", "left_at")[: PAGE_SIZE + 1]
        )
        if left:
            headers = Record.objects.only(*HEADER_FIELDS).in_bulk(list(left))
            listed += [Listed(headers[pk], at) for pk, at in left.items()]
            listed.sort(key=lambda entry: entry.record.pk)
    listed, more = listed[:PAGE_SIZE], len(listed) > PAGE_SIZE
    return with_deleted_specs(listed, selection.set_spec), more


def with_deleted_specs(listed: list[Listed], harvested: str = "") -> list[Listed]:
    """The entries, their deleted ones given the sets their header names, which harvesters
    of a set read to drop the record from it (§2.5.1): for a record that left the set
    ``harvested``, that set and the sets it left at the same moment; for a record deleted
    from the repository, the sets it was in when deleted (those left then or still open).
    Live headers name the sets of their copies (views), not these."""
    gone = [entry.record.pk for entry in listed if entry.deleted]
    if not gone:
        return listed
    rows: dict[int, list[tuple[str, dt.datetime | None]]] = defaultdict(list)
    for record_id, spec, left_at in SetMembership.objects.filter(record_id__in=gone).values_list(
        "record_id", "spec", "left_at"
    ):
        rows[record_id].append((spec, left_at))
    found = []
    for entry in listed:
        if entry.deleted:
            own = rows.get(entry.record.pk, [])
            if entry.left_at is not None:  # left the set harvested, live elsewhere
                left = [spec for spec, at in own if at == entry.left_at]
                specs = _specs(left, harvested)
            else:  # deleted from the repository (a tombstone) at its datestamp
                when = entry.record.updated_at
                specs = _specs(spec for spec, at in own if at is None or at >= when)
            entry = replace(entry, specs=specs)
        found.append(entry)
    return found


def _specs(specs: Iterable[str], harvested: str = "") -> tuple[str, ...]:
    """The leaf sets among ``specs`` (parents are implied, as in live headers), and the set
    harvested, which the header names even when it is a parent."""
    found = {spec for spec in specs if is_leaf(spec)}
    if harvested:
        found.add(harvested)
    return tuple(sorted(found, key=lambda spec: (not spec.startswith(LIBRARY), spec)))


def copies_of(record_ids: list[int]) -> dict[int, list[Copy]]:
    """The copies in the collection of these records, in id order, as codes."""
    if not record_ids:
        return {}
    found: dict[int, list[Copy]] = defaultdict(list)
    rows = (
        Item.objects.filter(record_id__in=record_ids)
        .exclude(status__in=GONE_STATUSES)
        .order_by("pk")
        .values_list(
            "record_id",
            "barcode",
            "call_number",
            "owner__code",
            "home__code",
            "location",
            "item_type__code",
            "collection__code",
        )
    )
    for record_id, barcode, call_number, owner, home, location, item_type, collection in rows:
        found[record_id].append(
            Copy(
                barcode=barcode,
                call_number=call_number,
                owner=owner,
                home=home,
                location=location,
                item_type=item_type,
                collection=collection or "",
            )
        )
    return found
