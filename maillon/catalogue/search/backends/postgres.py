"""PostgreSQL: a `document` tsvector on catalogue_searchentry (GIN), French stemming + unaccent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import ENTRY_COLUMNS, Backend

if TYPE_CHECKING:
    from ..index import Entry
    from ..parse import ParsedQuery, Term

CONFIG = "maillon_fr"
# ts_rank weights for labels {D, C, B, A}: A title, B authors, C subjects and series,
# D publisher, ISBN and summary.
WEIGHTS = "{0.05, 0.3, 0.6, 1.0}"
DOCUMENT = (
    f"setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', %s || ' ' || %s), 'C')"
    f" || setweight(to_tsvector('{CONFIG}', %s || ' ' || %s || ' ' || %s), 'D')"
)


def _lexeme(word: str, prefix: bool = False) -> str:
    # Words hold only letters and digits (see parse): quoting makes them literal.
    return f"'{word}'" + (":*" if prefix else "")


def _term(term: Term) -> str:
    last = len(term.words) - 1
    text = " <-> ".join(_lexeme(w, term.prefix and i == last) for i, w in enumerate(term.words))
    return f"!({text})" if term.negated else f"({text})"


def tsquery(parsed: ParsedQuery) -> str:
    return " & ".join(_term(t) for t in parsed.terms)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def delete(self, connection: Any, record_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_searchentry WHERE record_id = ANY(%s)",
                           [record_ids])

    def insert(self, connection: Any, entries: list[Entry]) -> None:
        if not entries:
            return
        marks = ",".join(["%s"] * len(ENTRY_COLUMNS))
        sql = (f"INSERT INTO catalogue_searchentry ({','.join(ENTRY_COLUMNS)}, document) "
               f"VALUES ({marks}, {DOCUMENT})")
        rows = [[*self.entry_row(e), e.title, e.authors, e.subjects, e.series, e.publisher,
                 e.isbn, e.summary] for e in entries]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def clear(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            # DELETE, not TRUNCATE: TRUNCATE refuses inside a transaction with deferred FK checks.
            cursor.execute("DELETE FROM catalogue_searchentry")

    def optimise(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalogue_searchentry")

    def text_source(self, parsed: ParsedQuery) -> tuple[str, str, list]:
        return ("catalogue_searchentry e",
                f"e.document @@ to_tsquery('{CONFIG}', %s)", [tsquery(parsed)])

    def rank(self, parsed: ParsedQuery) -> tuple[str, list]:
        # Negated so that, as on SQLite, lower is better.
        return (f"-ts_rank('{WEIGHTS}', e.document, to_tsquery('{CONFIG}', %s))",
                [tsquery(parsed)])
