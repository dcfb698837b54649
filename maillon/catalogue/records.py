"""From MARC to our record rows and back; shared by the importer, the forms and the export."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from pymarc import Record as MarcRecord

from maillon.catalogue.codes import FLAG_FOR_STATUS
from maillon.catalogue.marc.extract import Contributor, RecordData, Series
from maillon.catalogue.marc.flavour import Flavour
from maillon.catalogue.marc.holdings import ITEM_TAG, ItemData
from maillon.catalogue.marc.iso2709 import without_fields
from maillon.catalogue.marc.keys import fold
from maillon.catalogue.marc.reader import ReadResult, read_marc
from maillon.catalogue.marc.writer import (
    RecordFields,
    build_record,
    set_items,
    utf8_leader,
    write_iso2709,
)
from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.network.models import Library


def fields_from_data(data: RecordData, match_key: str | None = None) -> dict:
    """The Record columns for extracted MARC data (`match_key`: its title_key, when the
    caller has it already)."""
    first_author = data.authors[0].name if data.authors else ""
    return {
        "title": data.title[:500],
        "subtitle": data.subtitle[:500],
        "other_titles": data.other_titles,
        "authors": [{"name": a.name, "role": a.role} for a in data.authors],
        "publisher": data.publisher[:300],
        "year": data.year if data.year and 0 < data.year < 32767 else None,
        "isbn": data.isbns[0] if data.isbns else "",
        "identifiers": data.identifiers,
        "language": data.language[:3],
        "classification": data.classification[:50],
        "subjects": data.subjects,
        "series": [{"title": s.title, "number": s.number} for s in data.series],
        "summary": data.summary,
        "doc_type": data.doc_type,
        "audience": data.audience,
        "flavour": data.flavour,
        "sort_title": fold(data.title)[:200],
        "sort_author": fold(first_author)[:200],
        "match_key": (data.title_key if match_key is None else match_key)[:255],
    }


def identifier_values(data: RecordData) -> list[str]:
    """Every identifier the record is known by: ISBNs first (the strongest match)."""
    values = [f"isbn:{isbn}" for isbn in data.isbns]
    values += [v for v in data.identifiers if v.startswith("ean:")]
    values += data.source_ids
    return [v[:200] for v in dict.fromkeys(values)]


def marc_bytes(record: MarcRecord, flavour: Flavour) -> bytes:
    """The bibliographic part of `record` (items live in Item rows) as UTF-8 ISO 2709."""
    copy = MarcRecord()
    copy.leader = record.leader
    copy.fields = list(record.fields)
    set_items(copy, [], flavour)
    out = io.BytesIO()
    write_iso2709([copy], out, flavour)
    return out.getvalue()


def stored_marc(result: ReadResult, flavour: Flavour) -> bytes:
    """What marc_bytes stores, cut from the record's own bytes when they are already UTF-8
    ISO 2709 declared as such: much cheaper than re-encoding every field of an import."""
    record = result.record
    assert record is not None, "only a record that was read is stored"
    if result.encoding == "utf-8" and not result.warnings and _declares_utf8(record, flavour):
        cut = without_fields(result.raw, ITEM_TAG[flavour], utf8_leader(record, flavour))
        if cut is not None:
            return cut
    return marc_bytes(record, flavour)


def _declares_utf8(record: MarcRecord, flavour: Flavour) -> bool:
    """UNIMARC says UTF-8 in 100$a/26-29, which marc_bytes would otherwise rewrite."""
    if flavour != "unimarc":
        return True
    for fld in record.fields:
        if fld.tag == "100" and not fld.control_field:
            coded = next(
                (value for code, value in fld.subfields if code == "a" and len(value) >= 26), None
            )
            return coded is None or coded.ljust(30)[26:30] == "50  "
    return True


def parse_marc(marc: bytes) -> MarcRecord:
    """A record we stored ourselves (UTF-8 ISO 2709)."""
    result = next(read_marc(bytes(marc), fmt="iso2709"))
    if result.record is None:  # written by us: only a tampered row gets here
        raise ValueError(f"MARC illisible : {result.error}")
    return result.record


def marc_record(record: Record) -> MarcRecord:
    return parse_marc(record.marc)


def record_fields(record: Record) -> RecordFields:
    """Our columns as the common fields of the cataloguing form."""
    return RecordFields(
        title=record.title,
        subtitle=record.subtitle,
        authors=[Contributor(a["name"], a.get("role", "")) for a in record.authors],
        publisher=record.publisher,
        year=record.year,
        isbns=[record.isbn] if record.isbn else [],
        language=record.language,
        classification=record.classification,
        subjects=list(record.subjects),
        series=[Series(s["title"], s.get("number", "")) for s in record.series],
        summary=record.summary,
        doc_type=record.doc_type,
        audience=record.audience,
        record_id=str(record.pk or ""),
    )


def item_data(item: Item) -> ItemData:
    flag = FLAG_FOR_STATUS.get(item.status)
    return ItemData(
        barcode=item.barcode,
        call_number=item.call_number,
        owner=item.owner.code,
        home=item.home.code,
        current=item.current.code,
        location=item.location,
        status=f"{flag}:1" if flag else "",
        item_type=item.item_type.code,
        collection=item.collection.code if item.collection else "",
        price=item.price,
        acquired=item.acquired_on,
        notes=item.notes,
    )


def export_records(
    library: Library | None = None,
    flavour: Flavour = "unimarc",
    progress: Callable[[int], None] | None = None,
    batch: int = 1000,
) -> Iterator[MarcRecord]:
    """Records with their items in `flavour`; stored MARC when it is already that flavour."""
    records = Record.objects.filter(merged_into=None).order_by("pk")
    items = Item.objects.select_related("owner", "home", "current", "item_type", "collection")
    if library is not None:
        records = records.filter(items__home=library).distinct()
        items = items.filter(home=library)
    last = 0
    while True:
        page = list(records.filter(pk__gt=last)[:batch])
        if not page:
            return
        last = page[-1].pk
        by_record: dict[int, list[Item]] = {}
        for item in items.filter(record__in=page).order_by("pk"):
            by_record.setdefault(item.record_id, []).append(item)
        for record in page:
            yield _with_items(record, by_record.get(record.pk, []), flavour)
        if progress:
            progress(len(page))


def _with_items(record: Record, items: Iterable[Item], flavour: Flavour) -> MarcRecord:
    if record.flavour == flavour:
        marc = marc_record(record)
    else:  # the other flavour: rebuilt from our columns
        marc = build_record(record_fields(record), flavour)
    set_items(marc, [item_data(i) for i in items], flavour)
    return marc


# Sent by touch_records, within the transaction that changed the records or their copies,
# after their rows are updated (and so locked until it ends): ``record_ids`` (sorted) and
# ``at``, their new datestamp. The OAI-PMH sets follow it (maillon.oai.sets).
holdings_changed = Signal()


def touch_records(record_ids: Iterable[int]) -> None:
    """Date the records' last change now (their ``updated_at``), in one UPDATE: harvesters
    fetch them again. For changes of their copies that their holdings show (see models), and
    for records just written with their copies (an import): ``holdings_changed`` is sent.
    Call it once the copies are written: what listens reads them."""
    ids = sorted({pk for pk in record_ids if pk})
    if ids:
        at = timezone.now()
        Record.objects.filter(pk__in=ids).update(updated_at=at)
        holdings_changed.send(sender=Record, record_ids=ids, at=at)


def on_library_code_changed(sender, library: Library, old_code: str, **kwargs) -> None:
    """Date now, in one UPDATE, the records whose copies in the collection show the library
    (their owner or home, which their holdings give as its code): harvesters fetch them again.
    Which libraries hold them has not changed: ``holdings_changed`` is not sent."""
    shown = (
        Item.objects.filter(Q(home=library) | Q(owner=library))
        .exclude(status__in=GONE_STATUSES)
        .values("record_id")
    )
    Record.objects.filter(pk__in=shown).update(updated_at=timezone.now())


def records_changed(record_ids: Iterable[int]) -> None:
    """Tell the search index and harvesters that these records or their copies were written."""
    from maillon.catalogue import search

    ids = [pk for pk in record_ids if pk]
    if ids:
        touch_records(ids)
        search.index_records(ids)
