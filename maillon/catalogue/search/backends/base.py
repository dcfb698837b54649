"""What each database backend provides: writing index rows and the full-text part of a query."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..index import Entry
    from ..parse import ParsedQuery, Term

ENTRY_COLUMNS = (
    "record_id",
    "libraries",
    "available_libraries",
    "item_types",
    "collections",
    "audience",
    "language",
    "year",
    "available",
    "sort_title",
    "sort_author",
    "new_at",
    "library_bits",
    "library_bits_1",
    "library_bits_2",
    "library_bits_3",
    "library_bits_4",
    "available_bits",
    "available_bits_1",
    "available_bits_2",
    "available_bits_3",
    "available_bits_4",
    "type_bits",
)
HOLDINGS = "catalogue_searchholding"
TEXT_COLUMNS = ("title", "authors", "subjects", "series", "publisher", "isbn", "summary")


@dataclass
class Sample:
    """About `fraction` of the records whose ids run from `low` to `high`, evenly spread.
    `prefix`: the text query holds a prefix term (see SqliteBackend.select)."""

    low: int
    high: int
    fraction: float
    slices: int = 16
    prefix: bool = False

    @property
    def step(self) -> int:
        return max(2, round(1 / self.fraction))

    def windows(self) -> list[tuple[int, int]]:
        span = self.high - self.low + 1
        stride = span / self.slices
        width = max(1, math.ceil(span * self.fraction / self.slices))
        starts = [self.low + int(i * stride) for i in range(self.slices)]
        # Never overlapping: a record in two windows would be counted twice.
        ends = [*(following - 1 for following in starts[1:]), self.high]
        return [
            (start, min(start + width - 1, end))
            for start, end in zip(starts, ends, strict=True)
            if start <= end
        ]

    def covered(self, windows: bool = True) -> float:
        """The share of the id range the sample really covers."""
        if not windows:
            return 1 / self.step
        span = self.high - self.low + 1
        return sum(min(b, self.high) - a + 1 for a, b in self.windows()) / span


class Backend:
    vendor = ""
    # A probe's LIMIT reads matches strictly in record id order (see engine._nearly_all).
    ordered_probe = False
    # A probe under filters scans the table: estimate the matches' density instead when
    # they are many (see engine._estimated).
    estimates_filters = False

    # Writing -----------------------------------------------------------------------------
    def delete(self, connection: Any, record_ids: list[int]) -> None:
        raise NotImplementedError

    def insert(self, connection: Any, entries: list[Entry]) -> None:
        raise NotImplementedError

    def clear(self, connection: Any) -> None:
        raise NotImplementedError

    def optimise(self, connection: Any) -> None:
        """After a rebuild: merge index segments, refresh planner statistics."""

    # The (library, record) pairs beside the entries (see SearchHolding) ------------------
    def delete_holdings(self, connection: Any, record_ids: list[int] | None) -> None:
        """The pairs of these records; of every record when None."""
        with connection.cursor() as cursor:
            if record_ids is None:
                cursor.execute(f"DELETE FROM {HOLDINGS}")
            elif record_ids:
                marks = ",".join(["%s"] * len(record_ids))
                cursor.execute(f"DELETE FROM {HOLDINGS} WHERE record_id IN ({marks})", record_ids)

    def insert_holdings(self, connection: Any, rows: list[tuple[int, int, bool]]) -> None:
        """(library id, record id, available) rows."""
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {HOLDINGS} (library_id, record_id, available) "
                    "VALUES (%s, %s, %s)",
                    rows,
                )

    def change_holdings(
        self, connection: Any, record_id: int, old: dict[int, bool], new: dict[int, bool]
    ) -> None:
        """Bring one record's pairs from `old` to `new` (library id → available), writing only
        those that differ: after a checkout, most often one pair's availability."""
        gone = [pk for pk in old if pk not in new]
        flipped: dict[bool, list[int]] = {True: [], False: []}
        for pk, available in new.items():
            if pk in old and old[pk] != available:
                flipped[available].append(pk)
        with connection.cursor() as cursor:
            if gone:
                marks = ",".join(["%s"] * len(gone))
                cursor.execute(
                    f"DELETE FROM {HOLDINGS} WHERE record_id = %s AND library_id IN ({marks})",
                    [record_id, *gone],
                )
            for available, ids in flipped.items():
                if ids:
                    marks = ",".join(["%s"] * len(ids))
                    cursor.execute(
                        f"UPDATE {HOLDINGS} SET available = %s "
                        f"WHERE record_id = %s AND library_id IN ({marks})",
                        [available, record_id, *ids],
                    )
        self.insert_holdings(
            connection, [(pk, record_id, new[pk]) for pk in sorted(new) if pk not in old]
        )

    # Reading -----------------------------------------------------------------------------
    def prepare(self, connection: Any) -> None:
        """Per-connection settings for reading, applied once per database connection (the
        marker lives on Django's wrapper: a new connection has a new driver object)."""
        connection.ensure_connection()
        raw = connection.connection
        if getattr(connection, "_maillon_search_ready", None) != id(raw):
            with connection.cursor() as cursor:
                for statement in self.session_settings():
                    cursor.execute(statement)
            connection._maillon_search_ready = id(raw)

    def session_settings(self) -> list[str]:
        return []

    def match_ids(self, cursor: Any, parsed: ParsedQuery, limit: int) -> list[int]:
        """Ids of up to `limit` text matches (no filter), from the full-text index alone."""
        source, condition, params = self.text_source(parsed)
        cursor.execute(f"SELECT e.record_id FROM {source} WHERE {condition} LIMIT {limit}", params)
        return [row[0] for row in cursor.fetchall()]

    # Searching by field with booleans (see fielded.py): the full-text syntax's operators.
    AND, OR, AND_NOT = "AND", "OR", "NOT"

    def words(self, term: Term, field: str | None) -> str:
        """One word or phrase (see parse.Term) in a field of fielded.FIELDS, or anywhere."""
        raise NotImplementedError

    def text_condition(self, expression: str) -> tuple[str, list]:
        """SQL over the entries ``e``: those matching a full-text ``expression``."""
        raise NotImplementedError

    def text_source(self, parsed: ParsedQuery) -> tuple[str, str, list]:
        """FROM clause (exposing the entries as `e`), WHERE condition and its parameters."""
        raise NotImplementedError

    def prefers_held(self, cursor: Any, parsed: ParsedQuery, held: int) -> bool:
        """Whether the records held at the libraries asked (about `held` of them) should be
        read before the words' matches (see held_source). PostgreSQL's planner weighs both
        from its statistics: give it the choice."""
        return True

    def held_source(
        self, parsed: ParsedQuery, held: str, held_params: list
    ) -> tuple[str, str, list]:
        """As text_source (any text query, or none), the matches restricted to the records of
        the subquery `held`, which the database reads first: a few thousand of them, each
        entry then checked (see engine.few_held)."""
        source, condition, params = (
            ("catalogue_searchentry e", "1 = 1", []) if parsed.blank else self.text_source(parsed)
        )
        return source, f"{condition} AND e.record_id IN ({held})", [*params, *held_params]

    def select(
        self,
        columns: str,
        column_params: list,
        source: str,
        where: str,
        params: list,
        sample: Sample | None = None,
    ) -> tuple[str, list]:
        """SELECT `columns` over the matches, or over the sample of them only: one arm per
        id window, so that each reads its range of the primary key (or seeks into the
        full-text index) instead of every match."""
        sql = f"SELECT {columns} FROM {source} WHERE {where}"
        if not sample:
            return sql, [*column_params, *params]
        arm = f"{sql} AND {self.id_column(source)} BETWEEN %s AND %s"
        return (
            " UNION ALL ".join([arm] * len(sample.windows())),
            [
                value
                for low, high in sample.windows()
                for value in (*column_params, *params, low, high)
            ],
        )

    def id_column(self, source: str) -> str:
        """The record id column a sample window bounds."""
        return "e.record_id"

    def sample_covers(self, sample: Sample, source: str) -> float:
        return sample.covered(windows=True)

    @staticmethod
    def entry_row(entry: Entry) -> list:
        return [getattr(entry, name) for name in ENTRY_COLUMNS]
