"""SQLite: an FTS5 table (rowid = record id) beside catalogue_searchentry."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .base import ENTRY_COLUMNS, HOLDINGS, TEXT_COLUMNS, Backend, Sample

if TYPE_CHECKING:
    from ..index import Entry
    from ..parse import ParsedQuery, Term

FTS = "catalogue_search_fts"


def _phrase(term: Term) -> str:
    # Words hold only letters and digits (see parse), so quoting them makes them literal.
    text = '"' + " ".join(term.words) + '"'
    if term.prefix:
        text += "*"
    if term.isbn:
        text = "isbn : " + text
    return text


# The FTS5 columns (see base.TEXT_COLUMNS) of each field searched by name (see fielded.py).
FIELD_COLUMNS = {"title": "title", "author": "authors", "subject": "subjects series"}


def match_expression(parsed: ParsedQuery) -> str:
    expression = " AND ".join(_phrase(t) for t in parsed.positive)
    for term in parsed.terms:
        if term.negated:
            expression = f"({expression}) NOT {_phrase(term)}"
    return expression


class SqliteBackend(Backend):
    vendor = "sqlite"
    ordered_probe = True  # FTS5 returns rowids in order; the entries table is keyed by id

    def delete(self, connection: Any, record_ids: list[int]) -> None:
        marks = ",".join(["%s"] * len(record_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", record_ids)
            cursor.execute(
                f"DELETE FROM catalogue_searchentry WHERE record_id IN ({marks})", record_ids
            )

    def insert(self, connection: Any, entries: list[Entry]) -> None:
        if not entries:
            return
        adapt = connection.ops.adapt_datetimefield_value
        rows = []
        for entry in entries:
            row = self.entry_row(entry)
            row[ENTRY_COLUMNS.index("new_at")] = adapt(entry.new_at)
            rows.append(row)
        marks = ",".join(["%s"] * len(ENTRY_COLUMNS))
        text_marks = ",".join(["%s"] * (len(TEXT_COLUMNS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO catalogue_searchentry ({','.join(ENTRY_COLUMNS)}) VALUES ({marks})",
                rows,
            )
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, {','.join(TEXT_COLUMNS)}) VALUES ({text_marks})",
                [[e.record_id, *(getattr(e, c) for c in TEXT_COLUMNS)] for e in entries],
            )

    def clear(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")
            cursor.execute("DELETE FROM catalogue_searchentry")

    def optimise(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
            cursor.execute("ANALYZE catalogue_searchentry")
            cursor.execute(f"ANALYZE {HOLDINGS}")

    def session_settings(self) -> list[str]:
        # A million-record index does not fit SQLite's default 2 MB page cache: every match's
        # facet lookup would be a read() from the OS cache. Memory-map the file instead.
        return ["PRAGMA mmap_size = 1073741824", "PRAGMA cache_size = -32768"]

    def words(self, term: Term, field: str | None) -> str:
        if field == "isbn":
            term = replace(term, isbn=True)
        if field in FIELD_COLUMNS:
            return f"{{{FIELD_COLUMNS[field]}}} : {_phrase(term)}"
        return _phrase(term)

    def text_condition(self, expression: str) -> tuple[str, list]:
        return f"e.record_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)", [expression]

    def text_source(self, parsed: ParsedQuery) -> tuple[str, str, list]:
        return (
            f"{FTS} JOIN catalogue_searchentry e ON e.record_id = {FTS}.rowid",
            f"{FTS} MATCH %s",
            [match_expression(parsed)],
        )

    # A seek into FTS5's posting lists for one rowid costs about as much as reading this
    # many matches in a row (measured at a million records).
    SEEK_COST = 4

    def prefers_held(self, cursor: Any, parsed: ParsedQuery, held: int) -> bool:
        """The held records first only when the words have more matches than that costs:
        counted up to the break-even point, from the full-text index alone. Never with a
        prefix term, whose posting lists FTS5 would merge again for each record asked about
        (49 s for `hist*` at a million records)."""
        if any(term.prefix for term in parsed.terms):
            return False
        enough = self.SEEK_COST * held
        return len(self.match_ids(cursor, parsed, enough + 1)) > enough

    def held_source(
        self, parsed: ParsedQuery, held: str, held_params: list
    ) -> tuple[str, str, list]:
        # CROSS JOIN fixes SQLite's join order: the held records first, then each one's
        # entry, then FTS5 asked about that one rowid (a seek into the words' posting lists;
        # left to itself, SQLite would read every match of the words first).
        source = f"({held}) h CROSS JOIN catalogue_searchentry e ON e.record_id = h.record_id"
        if parsed.blank:
            return source, "1 = 1", held_params
        return (
            f"{source} CROSS JOIN {FTS} ON {FTS}.rowid = e.record_id",
            f"{FTS} MATCH %s",
            [*held_params, match_expression(parsed)],
        )

    def select(
        self,
        columns: str,
        column_params: list,
        source: str,
        where: str,
        params: list,
        sample: Sample | None = None,
    ) -> tuple[str, list]:
        if sample and sample.prefix and FTS in source:
            # One pass over the doclist, joining only every n-th match: FTS5 would merge a
            # prefix term's doclists again for each id window.
            return (
                f"SELECT {columns} FROM {source} WHERE {where} "
                f"AND {FTS}.rowid %% {sample.step} = 0",
                [*column_params, *params],
            )
        return super().select(columns, column_params, source, where, params, sample)

    def id_column(self, source: str) -> str:
        # Bounding the FTS rowid lets FTS5 seek into its posting lists.
        return f"{FTS}.rowid" if FTS in source else "e.record_id"

    def sample_covers(self, sample: Sample, source: str) -> float:
        return sample.covered(windows=FTS not in source or not sample.prefix)

    def match_ids(self, cursor: Any, parsed: ParsedQuery, limit: int) -> list[int]:
        cursor.execute(
            f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT {limit}",
            [match_expression(parsed)],
        )
        return [row[0] for row in cursor.fetchall()]
