"""Keeping the search index in step with records and items.

Call ``index_records(ids)`` after writing records or their items (the importer once per chunk,
cataloguing forms after a save), ``refresh_holdings(id)`` after circulation moved an item or
changed its status, ``remove_records(ids)`` after deleting records. A merged-away record
(merged_into set) is removed by ``index_records``. There are no database triggers: one explicit
call per chunk is cheaper than per-row triggers during an import, and the same Python code
builds both backends' index rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from maillon.catalogue.marc.keys import fold
from maillon.catalogue.models import (
    GONE_STATUSES,
    Item,
    ItemStatus,
    Record,
    RecordIdentifier,
    SearchEntry,
)
from maillon.core import prepared
from maillon.core.prepared import Prepared

from .backends import backend
from .facets import LIBRARY_WORDS, TYPE_WORDS, WORD_BITS, word_columns

CHUNK = 2000
# A copy in one of these states is no longer held by its library.
RECORD_FIELDS = (
    "id",
    "title",
    "subtitle",
    "other_titles",
    "authors",
    "subjects",
    "series",
    "publisher",
    "isbn",
    "summary",
    "language",
    "audience",
    "year",
    "sort_title",
    "sort_author",
    "created_at",
    "merged_into_id",
)


@dataclass
class Entry:
    """One record's row of the index: facet values, sort keys and the texts to search."""

    record_id: int
    libraries: str
    available_libraries: str
    item_types: str
    collections: str
    audience: str
    language: str
    year: int | None
    available: bool
    sort_title: str
    sort_author: str
    new_at: object  # datetime
    library_bits: int  # ids 1…63; library_bits_1: 64…126 and so on (see facets.LIBRARY_WORDS)
    library_bits_1: int
    library_bits_2: int
    library_bits_3: int
    library_bits_4: int
    available_bits: int
    available_bits_1: int
    available_bits_2: int
    available_bits_3: int
    available_bits_4: int
    type_bits: int
    title: str
    authors: str
    subjects: str
    series: str
    publisher: str
    isbn: str
    summary: str


def _id_list(ids: Iterable[int]) -> str:
    return " " + " ".join(str(i) for i in sorted(ids)) + " " if ids else " "


def id_bits(ids: Iterable[int], words: int = TYPE_WORDS) -> list[int]:
    """A bit set over `words` integers: bit (n-1) % 63 of word (n-1) // 63 for each id n
    (see SearchEntry.library_bits); ids beyond have no bit."""
    values = [0] * words
    for pk in ids:
        word, bit = divmod(pk - 1, WORD_BITS)
        if 0 <= word < words:
            values[word] |= 1 << bit
    return values


def bit_columns(name: str, ids: Iterable[int], words: int) -> dict[str, int]:
    """{column: word} of a bit set spread over `words` columns (see facets.word_columns)."""
    return dict(zip(word_columns(name, words), id_bits(ids, words), strict=True))


def _texts(values: Any) -> list[str]:
    """Strings out of a JSON list of strings or of objects ({"name": …}, {"title": …})."""
    out: list[str] = []
    for value in values or []:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for key in ("name", "title", "value", "number"):
                if value.get(key):
                    out.append(str(value[key]))
    return out


def _isbn_forms(isbns: Iterable[str]) -> str:
    forms: list[str] = []
    for isbn in isbns:
        digits = isbn.replace("-", "").strip()
        if not digits:
            continue
        forms.append(digits)
        if len(digits) == 13 and digits.startswith("978"):  # its ISBN-10 form too
            body = digits[3:12]
            check = (11 - sum((10 - i) * int(d) for i, d in enumerate(body)) % 11) % 11
            forms.append(body + ("X" if check == 10 else str(check)))
    return " ".join(dict.fromkeys(forms))


def build_entries(record_ids: list[int]) -> tuple[list[Entry], list[int]]:
    """Index rows for these records, and the ids to drop (gone or merged away)."""
    records = list(Record.objects.filter(id__in=record_ids).values_list(*RECORD_FIELDS))
    live = [r for r in records if r[-1] is None]
    live_ids = [r[0] for r in live]
    holdings: dict[int, list[tuple]] = defaultdict(list)
    for row in Item.objects.filter(record_id__in=live_ids).values_list(
        "record_id", "home_id", "item_type_id", "status", "created_at", "collection_id"
    ):
        holdings[row[0]].append(row[1:])
    extra_isbns: dict[int, list[str]] = defaultdict(list)
    for record_id, value in RecordIdentifier.objects.filter(
        record_id__in=live_ids, value__startswith="isbn:"
    ).values_list("record_id", "value"):
        extra_isbns[record_id].append(value[5:])
    entries = [entry(r, holdings.get(r[0], ()), extra_isbns.get(r[0], ())) for r in live]
    gone = sorted(set(record_ids) - {e.record_id for e in entries})
    return entries, gone


def entry(record: tuple, holdings: Iterable[tuple], isbns: Iterable[str]) -> Entry:
    """One record's index row from its values (in RECORD_FIELDS order), its items'
    (home id, item type id, status, created_at, collection id) and its other ISBNs."""
    (
        rid,
        title,
        subtitle,
        other_titles,
        authors,
        subjects,
        series,
        publisher,
        isbn,
        summary,
        language,
        audience,
        year,
        sort_title,
        sort_author,
        created_at,
        _m,
    ) = record
    author_names = _texts(authors)
    return Entry(
        record_id=rid,
        **holdings_columns(created_at, holdings),
        audience=audience or "",
        language=language or "",
        year=year,
        sort_title=(sort_title or fold(title))[:80],
        sort_author=(sort_author or fold(author_names[0] if author_names else ""))[:80],
        title=fold(" ".join([title, subtitle, *_texts(other_titles)])),
        authors=fold(" ".join(author_names)),
        subjects=fold(" ".join(_texts(subjects))),
        series=fold(" ".join(_texts(series))),
        publisher=fold(publisher or ""),
        isbn=_isbn_forms([isbn or "", *isbns]),
        summary=fold(summary or ""),
    )


def holdings_columns(created_at: object, holdings: Iterable[tuple]) -> dict:
    """The index columns that follow from a record's items (see entry()): where it is held
    and available, its item types, its newest acquisition."""
    held = [h for h in holdings if h[2] not in GONE_STATUSES]
    available_at = {h[0] for h in held if h[2] == ItemStatus.AVAILABLE}
    held_at, types = {h[0] for h in held}, {h[1] for h in held}
    return {
        "libraries": _id_list(held_at),
        "available_libraries": _id_list(available_at),
        "item_types": _id_list(types),
        "collections": _id_list({h[4] for h in held if h[4]}),
        **bit_columns("library_bits", held_at, LIBRARY_WORDS),
        **bit_columns("available_bits", available_at, LIBRARY_WORDS),
        **bit_columns("type_bits", types, TYPE_WORDS),
        "available": bool(available_at),
        "new_at": max([created_at, *(h[3] for h in held)]),
    }


# The columns of an entry its items decide, as stored: every other one (the bit sets, "available")
# follows from these, so when they read the same nothing needs writing.
STORED = ("libraries", "available_libraries", "item_types", "collections", "new_at")


# Compiled once per process (see maillon.core.prepared): every checkout and check-in asks, and
# resolving the columns and the join costs more than reading the rows. With the record's entry
# as it stands (None: the record has none), in the same statement.
_HOLDINGS_ROWS = Prepared(
    lambda record_id: Item.objects.filter(record_id=record_id).values_list(
        "home_id",
        "item_type_id",
        "status",
        "created_at",
        "collection_id",
        "record__created_at",
        *(f"record__search_entry__{name}" for name in STORED),
    ),
    int,
)


def holding_rows(record_id: int, libraries: str, available_libraries: str) -> list[tuple]:
    """The record's (library, record, available) pairs from its entry's id lists."""
    available = set(available_libraries.split())
    return [(int(pk), record_id, pk in available) for pk in libraries.split()]


def _delete(record_ids: list[int]) -> None:
    backend().delete(connection, record_ids)
    backend().delete_holdings(connection, record_ids)


def _insert(entries: list[Entry]) -> None:
    backend().insert(connection, entries)
    backend().insert_holdings(
        connection,
        [
            row
            for e in entries
            for row in holding_rows(e.record_id, e.libraries, e.available_libraries)
        ],
    )


_deferred: ContextVar[set[int] | None] = ContextVar("maillon_deferred_refresh", default=None)


@contextmanager
def refreshes_deferred() -> Iterator[None]:
    """Inside, ``refresh_holdings`` only notes the records; they are reindexed once, together,
    on leaving without an error (a lot's 200 items received one by one: each record's entry
    rewritten once, not after each of its items' moves). Use it inside the transaction."""
    if _deferred.get() is not None:  # already deferring: the outer block reindexes
        yield
        return
    records: set[int] = set()
    token = _deferred.set(records)
    try:
        yield
    finally:
        _deferred.reset(token)
    if records:
        index_records(records)


def holdings_read(record_id: int) -> tuple[str, list] | None:
    """The statement that reads what ``refresh_holdings`` decides on (SQL and parameters), to
    run in the round trip of the item's own write, after it; None: refreshes are deferred
    (see ``refreshes_deferred``), the record is only noted."""
    if _deferred.get() is not None:
        return None
    return _HOLDINGS_ROWS.statement(record_id)


def refresh_holdings(record_id: int, rows: list[tuple] | None = None) -> None:
    """Bring the record's index row up to date after one of its items changed status or
    library (circulation): only the columns its items decide are rewritten, when they
    changed, and those of its (library, record) pairs that differ, inside the caller's
    transaction; the texts stay. A record
    without a row (merged away, never indexed) gets the full ``index_records``. `rows`:
    what the statement of ``holdings_read`` gave, run after the item's write."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(record_id)
        return
    rows = _HOLDINGS_ROWS.rows(record_id) if rows is None else _HOLDINGS_ROWS.converted(rows)
    stored = rows[0][6:] if rows else None
    if stored is not None and stored[0] is not None:
        columns = holdings_columns(rows[0][5], rows)
        if tuple(columns[name] for name in STORED) == stored:
            return  # a loan of a copy while another stays on the shelf there: nothing shows it
        prepared.update_row(SearchEntry, record_id, columns)  # its SQL written once
        backend().change_holdings(
            connection,
            record_id,
            _pairs(stored[0], stored[1]),
            _pairs(columns["libraries"], columns["available_libraries"]),
        )
        return
    index_records([record_id])


def _pairs(libraries: str, available_libraries: str) -> dict[int, bool]:
    """library id → available, from an entry's id lists."""
    available = set(available_libraries.split())
    return {int(pk): pk in available for pk in libraries.split()}


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_records(record_ids: Iterable[int]) -> int:
    """(Re)index these records; merged-away or deleted ones leave the index. Returns rows."""
    written = 0
    ids = sorted({int(i) for i in record_ids})
    with transaction.atomic():
        for chunk in _chunks(ids):
            entries, _gone = build_entries(chunk)  # gone ids: deleted with the chunk
            _delete(chunk)
            _insert(entries)
            written += len(entries)
    return written


def index_entries(entries: list[Entry]) -> None:
    """Index rows the caller built from what it has just written (see entry()): an import
    indexes its new records without reading them back."""
    with transaction.atomic(savepoint=False):
        for start in range(0, len(entries), CHUNK):
            chunk = entries[start : start + CHUNK]
            _delete([e.record_id for e in chunk])
            _insert(chunk)


def remove_records(record_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in record_ids})
    with transaction.atomic():
        for chunk in _chunks(ids):
            _delete(chunk)


def rebuild_index(progress: Callable[[int, int], None] | None = None, chunk: int = CHUNK) -> int:
    """Rebuild the whole index; `progress(done, total)` is called after each chunk."""
    total = Record.objects.count()
    backend().clear(connection)
    backend().delete_holdings(connection, None)
    done = written = 0
    last = 0
    while True:
        ids = list(
            Record.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:chunk]
        )
        if not ids:
            break
        with transaction.atomic():
            entries, _gone = build_entries(ids)
            _insert(entries)
        written += len(entries)
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(done, total)
    backend().optimise(connection)
    return written
