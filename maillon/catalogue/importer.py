"""Import MARC files into the union catalogue: create, merge, add items, reject with reasons.

Records are handled in chunks, each in one transaction that first looks up everything the chunk
decides on (identifiers, match keys, barcodes) in a few queries. A killed import leaves whole
chunks behind; running it again finds them and changes nothing more, so it ends where an
uninterrupted run would have.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pymarc import Record as MarcRecord

from maillon.catalogue.bulk import insert_rows
from maillon.catalogue.codes import CodeMap
from maillon.catalogue.items import insert_imported
from maillon.catalogue.marc.extract import RecordData, extract
from maillon.catalogue.marc.flavour import Flavour, detect_flavour
from maillon.catalogue.marc.iso2709 import MarcError
from maillon.catalogue.marc.reader import Format, ReadResult, read_marc, sniff_format
from maillon.catalogue.marc.writer import write_iso2709, write_marcxml
from maillon.catalogue.models import (
    ImportBatch,
    Item,
    Record,
    RecordIdentifier,
    RecordMerge,
)
from maillon.catalogue.records import (
    fields_from_data,
    identifier_values,
    records_changed,
    stored_marc,
    touch_records,
)
from maillon.catalogue.search.index import RECORD_FIELDS, Entry, entry, index_entries
from maillon.catalogue.services import CatalogueError
from maillon.core.exports import SafeWriter
from maillon.network.models import Library
from maillon.network.permissions import Action, require

CHUNK = 500
BARCODE_MAX = Item._meta.get_field("barcode").max_length or 40


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    merged: int = 0
    unchanged: int = 0
    items_added: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    reject_file: str = ""
    batch_id: int | None = None

    def as_counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "created": self.created,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "items_added": self.items_added,
            "rejected": self.rejected,
            "warnings": len(self.warnings),
        }


@dataclass
class _Incoming:
    position: int
    result: ReadResult
    data: RecordData
    warnings: list[str]
    match: tuple[int, str, str] | None = None  # (record id, matched by, value)
    twin: _Incoming | None = None  # an earlier record of the same file, same edition
    target_id: int | None = None  # the record its items go to
    key: str = ""  # data.title_key and identifier_values(data), computed once
    ids: list[str] = field(default_factory=list)


class _Rejects:
    """Rejected records, kept in their own format, with a CSV of reasons beside them."""

    def __init__(self, base: Path | None, fmt: str):
        self.base, self.fmt = base, fmt
        self.rows: list[tuple[int, str, str, bytes]] = []

    def add(self, position: int, title: str, reason: str, raw: bytes) -> None:
        self.rows.append((position, title, reason, raw))

    def write(self) -> str:
        if not self.rows or self.base is None:
            return ""
        self.base.parent.mkdir(parents=True, exist_ok=True)
        data_path = self.base.with_suffix(".xml" if self.fmt == "marcxml" else ".mrc")
        with open(data_path, "wb") as out:
            if self.fmt == "marcxml":
                out.write(
                    b'<?xml version="1.0" encoding="UTF-8"?>\n'
                    b'<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
                )
            for *_info, raw in self.rows:
                out.write(raw)
                if self.fmt == "marcxml":
                    out.write(b"\n")
            if self.fmt == "marcxml":
                out.write(b"</collection>\n")
        with open(self.base.with_suffix(".csv"), "w", newline="", encoding="utf-8-sig") as out:
            writer = SafeWriter(out)
            writer.writerow(
                [
                    pgettext("reject file column", "position"),
                    pgettext("reject file column", "title"),
                    pgettext("reject file column", "reason"),
                ]
            )
            for position, title, reason, _raw in self.rows:
                writer.writerow([position + 1, title, reason])
        return str(data_path)


def import_marc(
    source: str | Path,
    library: Library,
    *,
    fmt: Format = "auto",
    flavour: str = "auto",
    dry_run: bool = False,
    user=None,
    reject_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    file_name: str | None = None,
) -> ImportReport:
    """Import every record of `source` for `library` (the default for unknown item codes).

    `progress` is called after each chunk of records with the number of bytes of the file
    read since its last call; together they add up to the file's size. With a `user` (the
    staff page, a job), they must be allowed to catalogue for `library`; the command line
    passes none.
    """
    if user is not None:
        require(user, Action.MANAGE, library)
    codes = CodeMap.load()
    if not codes.item_types:
        raise CatalogueError(
            "no_item_types",
            _("The network has no item type yet: create one (Catalogue, Types) before importing."),
        )
    path = Path(source)
    digest = _sha256(path)
    if fmt == "auto":
        with open(path, "rb") as fp:
            fmt = sniff_format(fp.read(4096))
    batch = ImportBatch.objects.create(
        library=library,
        user=user,
        file_name=file_name or path.name,
        file_sha256=digest,
        format=fmt,
        dry_run=dry_run,
    )
    report = ImportReport(batch_id=batch.pk)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    rejects = _Rejects(
        (reject_dir / f"{path.stem}-rejets-{stamp}-{batch.pk}") if reject_dir else None, fmt
    )
    try:
        with open(path, "rb") as fp:
            done = 0
            for chunk in _chunks(read_marc(fp, fmt=fmt), CHUNK):
                args = (library, codes, flavour, dry_run, batch, user, report, rejects)
                _import_safely(chunk, *args)
                if progress:
                    # Bytes, not records: the bar's total is then the file's size, known
                    # without a counting pass over a file that may weigh gigabytes.
                    position = fp.tell()
                    progress(position - done)
                    done = position
    except BaseException as exc:  # an interrupted command too
        # Only what the database holds is counted: the chunk being written was rolled back.
        batch.state = ImportBatch.State.FAILED
        batch.finished_at = timezone.now()
        batch.counts = report.as_counts()
        batch.warnings = [
            *report.warnings[:1999],
            _clean(_("import stopped: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"})[
                :500
            ],
        ]
        batch.reject_file = rejects.write()
        batch.save()
        raise
    report.reject_file = rejects.write()
    batch.state = ImportBatch.State.DONE
    batch.finished_at = timezone.now()
    batch.counts = report.as_counts()
    batch.warnings = report.warnings[:2000]
    batch.reject_file = report.reject_file
    batch.save()
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _chunks(results: Iterator[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    chunk: list[ReadResult] = []
    for result in results:
        chunk.append(result)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label(position: int, data: RecordData | None) -> str:
    return (
        data.title[:80]
        if data and data.title
        else _("record no. %(number)d") % {"number": position + 1}
    )


def _import_safely(chunk: list[ReadResult], *args) -> None:
    """Import a chunk; should the database refuse it, import its records one by one so that
    only the record it refuses is rejected, with the database's reason."""
    report, rejects = args[-2], args[-1]
    saved = _Saved(report, rejects)
    try:
        _import_chunk(chunk, *args)
        return
    except (OperationalError, InterfaceError):
        saved.restore()  # the database itself is gone or locked: stop, counts as committed
        raise
    except (DatabaseError, ValueError, MarcError):
        saved.restore()
    for result in chunk:
        one = _Saved(report, rejects)
        try:
            _import_chunk([result], *args)
        except (OperationalError, InterfaceError):
            one.restore()
            raise
        except (DatabaseError, ValueError, MarcError) as exc:
            one.restore()
            report.read += 1
            report.rejected += 1
            rejects.add(
                result.index,
                "",
                _clean(_("refused by the database: %(error)s") % {"error": _first_line(exc)}),
                result.raw,
            )


class _Saved:
    """The report as it was before a chunk, to put back when the chunk is rolled back."""

    def __init__(self, report: ImportReport, rejects: _Rejects) -> None:
        self.report, self.rejects = report, rejects
        self.counts = report.as_counts()
        self.warnings, self.rows = len(report.warnings), len(rejects.rows)

    def restore(self) -> None:
        for name, value in self.counts.items():
            if name != "warnings":
                setattr(self.report, name, value)
        del self.report.warnings[self.warnings :]
        del self.rejects.rows[self.rows :]


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_NUL = "\x00"


def _clean(text: str) -> str:
    """PostgreSQL stores no NUL character, in text or JSON: none may reach it."""
    return text.replace(_NUL, "") if _NUL in text else text


def _strip_nul(value):
    """``value`` (a string, or a list, tuple or dataclass of them) without NUL characters;
    the same object when it holds none."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, tuple):
        cleaned = [_strip_nul(v) for v in value]
        return type(value)(*cleaned) if hasattr(value, "_fields") else tuple(cleaned)
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            setattr(value, name, _strip_nul(getattr(value, name)))
    return value


def _has_nul(record: MarcRecord) -> bool:
    for fld in record.fields:
        if fld.control_field:
            if fld.data and _NUL in fld.data:
                return True
        elif any(_NUL in value for _code, value in fld.subfields):
            return True
    return False


def _too_long(result: ReadResult, flavour: Flavour) -> str | None:
    """Why the record cannot be stored as ISO 2709 (a field over 9,999 bytes, a record over
    99,999), or None. Only records long enough to be in doubt are encoded to find out."""
    record = result.record
    assert record is not None
    total = 0
    for fld in record.fields:
        size = (
            len(fld.data or "") if fld.control_field else sum(len(v) + 2 for _c, v in fld.subfields)
        )
        total += size
        if size * 4 > 9_999 or total * 4 > 99_999:
            break
    else:
        return None
    try:
        stored_marc(result, flavour)
    except MarcError as exc:
        return str(exc)
    return None


def _clean_items(data: RecordData, warnings: list[str]) -> None:
    kept = []
    for item in data.items:
        if len(item.barcode) > BARCODE_MAX:
            warnings.append(
                _("barcode longer than %(max)d characters, item ignored: %(barcode)s")
                % {"max": BARCODE_MAX, "barcode": item.barcode[:60]}
            )
            continue
        kept.append(item)
    data.items = kept


def _import_chunk(chunk, library, codes, flavour, dry_run, batch, user, report, rejects) -> None:
    incoming: list[_Incoming] = []
    for result in chunk:
        report.read += 1
        if not result.ok:
            report.rejected += 1
            rejects.add(result.index, "", result.error or _("unreadable record"), result.raw)
            continue
        warnings = list(result.warnings)
        try:
            flv = detect_flavour(result.record) if flavour == "auto" else flavour
            data = extract(result.record, flv)
            too_long = _too_long(result, flv)
        except Exception as exc:  # a record pymarc parsed but we cannot read: reject it
            report.rejected += 1
            rejects.add(
                result.index,
                "",
                _clean(_("unreadable record: %(error)s") % {"error": exc}),
                result.raw,
            )
            continue
        if too_long:
            report.rejected += 1
            rejects.add(result.index, _clean(data.title[:80]), too_long, result.raw)
            continue
        if _has_nul(result.record):
            _strip_nul(data)
            warnings.append(_("NUL characters removed"))
        _clean_items(data, warnings)
        if not data.title:
            report.rejected += 1
            rejects.add(result.index, "", _("record without a title"), result.raw)
            continue
        incoming.append(
            _Incoming(
                result.index,
                result,
                data,
                warnings,
                key=data.title_key,
                ids=identifier_values(data),
            )
        )
    if not incoming:
        return

    with transaction.atomic():
        created = _write_chunk(incoming, library, codes, batch, user, report, rejects)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Searchable as soon as the chunk is committed, within the same transaction: new
            # records from what was just written, merged ones read back (they hold more).
            index_entries(created)
            new_ids = {e.record_id for e in created}
            records_changed({inc.target_id for inc in incoming if inc.target_id} - new_ids)
            touch_records(new_ids)  # their copies join the harvesters' sets


ITEM_FIELDS = [
    "record",
    "barcode",
    "call_number",
    "owner",
    "home",
    "current",
    "collection",
    "item_type",
    "audience",
    "location",
    "status",
    "acquired_on",
    "price",
    "notes",
    "loan_count",
    "created_at",
    "updated_at",
]


def _write_chunk(incoming, library, codes, batch, user, report, rejects) -> list[Entry]:
    """Write the chunk; returns the search index rows of the records it created."""
    # Everything the chunk decides on, looked up at once.
    wanted_ids = {v for i in incoming for v in i.ids}
    known = dict(
        RecordIdentifier.objects.filter(value__in=wanted_ids).values_list("value", "record_id")
    )
    keys = {i.key for i in incoming}
    by_key: dict[str, int] = {}
    for pk, key in (
        Record.objects.filter(match_key__in=keys, merged_into=None)
        .values_list("pk", "match_key")
        .order_by("pk")
    ):
        by_key.setdefault(key, pk)
    barcodes = {it.barcode for i in incoming for it in i.data.items if it.barcode}
    used = dict(Item.objects.filter(barcode__in=barcodes).values_list("barcode", "record_id"))
    now = timezone.now()

    new_records: list[tuple[_Incoming, dict]] = []
    pending_ids: dict[str, _Incoming] = {}  # identifiers of records created in this chunk
    pending_keys: dict[str, _Incoming] = {}
    for inc in incoming:
        data = inc.data
        ids = inc.ids
        inc.match, inc.twin = _find_match(ids, inc.key, known, by_key), None
        if inc.match is None:
            twin = next(
                (pending_ids[v] for v in ids if v in pending_ids), None
            ) or pending_keys.get(inc.key)
            if twin is not None:  # same edition twice in one file: its items join the first
                inc.twin = twin
                continue
            row = fields_from_data(data, inc.key)
            row.update(marc=stored_marc(inc.result, data.flavour), created_at=now, updated_at=now)
            new_records.append((inc, row))
            for value in ids:
                pending_ids[value] = inc
            pending_keys[inc.key] = inc

    if new_records:
        fields = list(new_records[0][1])
        created = insert_rows(
            Record, fields, [[row[f] for f in fields] for _inc, row in new_records]
        )
        for (inc, _row), pk in zip(new_records, created, strict=True):
            inc.target_id = pk
        insert_rows(
            RecordIdentifier,
            ["record", "value"],
            [(inc.target_id, value) for inc, _r in new_records for value in inc.ids],
        )
    report.created += len(new_records)

    item_rows: list[tuple] = []
    merges: list[tuple[_Incoming, int, int]] = []  # incoming, first item row, item count
    for inc in incoming:
        if inc.twin is not None:
            inc.target_id = inc.twin.target_id
        elif inc.match is not None:
            inc.target_id = inc.match[0]
        first = len(item_rows)
        item_rows.extend(_items_for(inc, library, codes, used, now))
        added = len(item_rows) - first
        if inc.match is not None or inc.twin is not None:
            if added:
                merges.append((inc, first, added))
            else:
                report.unchanged += 1
        for warning in inc.warnings + inc.data.warnings:
            report.warnings.append(_clean(f"{_label(inc.position, inc.data)} : {warning}"))

    item_ids = insert_imported(
        ITEM_FIELDS, item_rows, library=library, actor=user, batch_id=batch.pk, at=now
    )
    report.items_added += len(item_ids)
    _record_merges(
        [(inc, item_ids[first : first + count]) for inc, first, count in merges],
        library,
        batch,
        known,
    )
    report.merged += len(merges)
    return _new_entries(new_records, item_rows)


def _new_entries(new_records: list[tuple[_Incoming, dict]], item_rows: list[tuple]) -> list[Entry]:
    holdings: dict[int | None, list[tuple]] = {inc.target_id: [] for inc, _row in new_records}
    for row in item_rows:  # ITEM_FIELDS order: record 0, home 4, collection 6, item type 7…
        if row[0] in holdings:
            holdings[row[0]].append((row[4], row[7], row[10], row[15], row[6]))
    return [
        entry(
            (inc.target_id, *(row[name] for name in RECORD_FIELDS[1:-1]), None),
            holdings[inc.target_id],
            [v[5:] for v in inc.ids if v.startswith("isbn:")],
        )
        for inc, row in new_records
    ]


def _find_match(ids, key, known, by_key) -> tuple[int, str, str] | None:
    """(record id, matched by, value): ISBN first, then source identifiers, then the key."""
    for value in ids:
        if value.startswith("isbn:") and value in known:
            return known[value], "isbn", value
    for value in ids:
        if value in known:
            return known[value], "source_id", value
    if key and key in by_key:
        return by_key[key], "key", key
    return None


def _items_for(inc, library, codes, used, now) -> list[tuple]:
    """Rows (in ITEM_FIELDS order) for the incoming items not in the catalogue yet."""
    record_id = inc.target_id
    rows = []
    for data in inc.data.items:
        if not data.barcode:
            continue
        holder = used.get(data.barcode)
        if holder is not None:
            if holder != record_id:
                inc.warnings.append(
                    _("barcode %(barcode)s already used by another record: item ignored")
                    % {"barcode": data.barcode}
                )
            continue
        used[data.barcode] = record_id
        owner = codes.library(data.owner)
        home = codes.library(data.home) or owner
        current = codes.library(data.current) or home
        for code, found in ((data.owner, owner), (data.home, home)):
            if code and found is None:
                inc.warnings.append(
                    _("unknown library “%(code)s”: %(library)s used instead")
                    % {"code": code, "library": library.code}
                )
                break
        owner, home = owner or library, home or library
        item_type, guessed = codes.item_type(data.item_type, inc.data.doc_type)
        if guessed and data.item_type:
            inc.warnings.append(
                _("unknown item type “%(code)s”: %(type)s used instead")
                % {"code": data.item_type, "type": item_type.code}
            )
        collection = codes.collection(data.collection)
        rows.append(
            (
                record_id,
                data.barcode,
                data.call_number[:100],
                owner.pk,
                home.pk,
                (current or home).pk,
                collection.pk if collection else None,
                item_type.pk,
                inc.data.audience,
                data.location[:100],
                codes.status(data.status),
                data.acquired,
                data.price,
                data.notes,
                0,
                now,
                now,
            )
        )
    return rows


def _record_merges(merges, library, batch, known) -> None:
    rows, new_ids = [], []
    for inc, item_ids in merges:
        matched_by, value = (inc.match[1], inc.match[2]) if inc.match else ("file", "")
        added = [v for v in inc.ids if v not in known]
        for v in added:
            known[v] = inc.target_id
            new_ids.append(RecordIdentifier(record_id=inc.target_id, value=v))
        rows.append(
            RecordMerge(
                record_id=inc.target_id,
                matched_by=matched_by,
                matched_value=value[:255],
                incoming_marc=stored_marc(inc.result, inc.data.flavour),
                incoming_flavour=inc.data.flavour,
                incoming_title=inc.data.title[:500],
                library=library,
                batch=batch,
                item_ids=item_ids,
                identifiers=added,
            )
        )
    RecordIdentifier.objects.bulk_create(new_ids, ignore_conflicts=True)
    RecordMerge.objects.bulk_create(rows)


# --- export ----------------------------------------------------------------------------------


def export_marc(
    out: BinaryIO,
    *,
    library: Library | None = None,
    flavour: Flavour = "unimarc",
    fmt: str = "iso2709",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the catalogue (or one library's holdings) with items in 995/952."""
    from maillon.catalogue.records import export_records

    records = export_records(library=library, flavour=flavour, progress=progress)
    writer = write_marcxml if fmt == "marcxml" else write_iso2709
    return writer(records, out, flavour)
