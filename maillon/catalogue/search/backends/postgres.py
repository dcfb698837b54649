"""PostgreSQL: a `document` tsvector on catalogue_searchentry (GIN), French stemming + unaccent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import ENTRY_COLUMNS, HOLDINGS, TEXT_COLUMNS, Backend, Sample

if TYPE_CHECKING:
    from ..index import Entry
    from ..parse import ParsedQuery, Term

CONFIG = "maillon_fr"
# Above this many entries in a sample's id windows, checking each one's document costs more
# than one scan of the full-text index (see select).
WINDOW_CHECKS = 20_000
STAGE = "maillon_search_stage"
COPY_FROM = 100  # rows from which COPY beats one INSERT per row
GIN_INDEX = "catalogue_searchentry_document"  # created by migration 0005
# Labels: A title, B authors, C subjects and series, D publisher, ISBN and summary.
DOCUMENT = (
    f"setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', %s || ' ' || %s), 'C')"
    f" || setweight(to_tsvector('{CONFIG}', %s || ' ' || %s || ' ' || %s), 'D')"
)


# The document's label (see DOCUMENT) of each field searched by name (see fielded.py).
FIELD_WEIGHTS = {"title": "A", "author": "B", "subject": "C", "isbn": "D"}


def _lexeme(word: str, prefix: bool = False, weight: str = "") -> str:
    # Words hold only letters and digits (see parse): quoting makes them literal.
    marks = ("*" if prefix else "") + weight
    return f"'{word}'" + (f":{marks}" if marks else "")


def _term(term: Term, weight: str = "") -> str:
    last = len(term.words) - 1
    text = " <-> ".join(
        _lexeme(w, term.prefix and i == last, weight) for i, w in enumerate(term.words)
    )
    return f"!({text})" if term.negated else f"({text})"


def tsquery(parsed: ParsedQuery) -> str:
    return " & ".join(_term(t) for t in parsed.terms)


class PostgresBackend(Backend):
    vendor = "postgresql"
    estimates_filters = True

    def delete(self, connection: Any, record_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM catalogue_searchentry WHERE record_id = ANY(%s)", [record_ids]
            )

    def insert(self, connection: Any, entries: list[Entry]) -> None:
        """COPY into a temporary staging table, then one INSERT … SELECT computing the
        documents: several times faster than a row-at-a-time INSERT at import volumes."""
        if not entries:
            return
        columns = ",".join(ENTRY_COLUMNS)
        texts = [f"t_{name}" for name in TEXT_COLUMNS]
        document = DOCUMENT.replace("%s", "{}").format(
            "t_title", "t_authors", "t_subjects", "t_series", "t_publisher", "t_isbn", "t_summary"
        )
        blanks = ", ".join(f"''::text AS {t}" for t in texts)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} AS SELECT {columns}, "
                f"{blanks} FROM catalogue_searchentry WITH NO DATA"
            )
            with cursor.cursor.copy(
                f"COPY {STAGE} ({columns}, {', '.join(texts)}) FROM STDIN"
            ) as copy:
                for e in entries:
                    copy.write_row(
                        [*self.entry_row(e), *(getattr(e, name) for name in TEXT_COLUMNS)]
                    )
            cursor.execute(
                f"INSERT INTO catalogue_searchentry ({columns}, document) "
                f"SELECT {columns}, {document} FROM {STAGE}"
            )
            cursor.execute(f"DELETE FROM {STAGE}")

    def insert_holdings(self, connection: Any, rows: list[tuple[int, int, bool]]) -> None:
        if len(rows) < COPY_FROM:  # a record's few pairs, after a checkout say
            super().insert_holdings(connection, rows)
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {HOLDINGS} (library_id, record_id, available) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def clear(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            # DELETE, not TRUNCATE: TRUNCATE refuses inside a transaction with deferred FK checks.
            cursor.execute("DELETE FROM catalogue_searchentry")
            # A rebuild fills the table first and builds the GIN index once (optimise): many
            # times faster than growing it row by row. Not inside a transaction, where PostgreSQL
            # refuses CREATE INDEX after writes with deferred foreign-key checks.
            if not connection.in_atomic_block:
                cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")

    def optimise(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [GIN_INDEX])
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE INDEX {GIN_INDEX} ON catalogue_searchentry USING gin (document)"
                )
            cursor.execute("ANALYZE catalogue_searchentry")
            cursor.execute(f"ANALYZE {HOLDINGS}")

    def session_settings(self) -> list[str]:
        # (JIT is off for every connection: settings.database_settings.)
        # A probe (LIMIT 1001) must read the table from its start, where the lowest ids
        # live, for the ids it reaches to tell the density of matches; a synchronised scan
        # would start wherever another scan of the table happens to be.
        return ["SET synchronize_seqscans = off"]

    def select(
        self,
        columns: str,
        column_params: list,
        source: str,
        where: str,
        params: list,
        sample: Sample | None = None,
    ) -> tuple[str, list]:
        """Small windows: one arm each, the primary key read and each entry's document
        checked. Wide ones: a single statement, so that the GIN index is scanned once and
        its matches intersected with the windows' primary-key ranges (a BitmapAnd)."""
        if not sample or sample.fraction * (sample.high - sample.low + 1) <= WINDOW_CHECKS:
            return super().select(columns, column_params, source, where, params, sample)
        windows = sample.windows()
        clause = " OR ".join(["e.record_id BETWEEN %s AND %s"] * len(windows))
        return (
            f"SELECT {columns} FROM {source} WHERE {where} AND ({clause})",
            [*column_params, *params, *(bound for window in windows for bound in window)],
        )

    AND, OR, AND_NOT = "&", "|", "& !"

    def words(self, term: Term, field: str | None) -> str:
        return _term(term, FIELD_WEIGHTS.get(field or "", ""))

    def text_condition(self, expression: str) -> tuple[str, list]:
        return f"e.document @@ to_tsquery('{CONFIG}', %s)", [expression]

    def text_source(self, parsed: ParsedQuery) -> tuple[str, str, list]:
        return (
            "catalogue_searchentry e",
            f"e.document @@ to_tsquery('{CONFIG}', %s)",
            [tsquery(parsed)],
        )
