"""search(): one algorithm over both backends.

Cost is bounded whatever the query. A first probe fetches the ids of at most EXACT_LIMIT + 1
matches. When it holds them all, the answer is exact: one statement reads every match's facet
values and sort keys (one narrow index row each); facets are counted and the page is sorted in
Python (relevance: see relevance.py). Beyond, for very common words, the answer is marked
`approximate`: one more statement fetches an evenly spread sample of about SAMPLE_SIZE matches
(SAMPLE_WINDOWS record id ranges, into which both full-text indexes seek) with their facet
values and sort keys; the total and the facet counts are scaled from it and, when words were
typed, the hits are ranked and paged within it. Pages and API answers then say "about N".
No statement reads a common word's whole posting list.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Count

from maillon.catalogue.models import Item, Record

from .backends import backend
from .backends.base import Backend, Sample
from .facets import (
    WORD_BITS,
    Network,
    empty_facets,
    facet_columns,
    network,
    tally,
    word_columns,
)
from .parse import ParsedQuery, parse
from .relevance import KEY_COLUMNS, relevance_key
from .types import MAX_PER_PAGE, SORTS, YEAR_BUCKETS, Hit, SearchQuery, SearchResult

EXACT_LIMIT = 1000
SAMPLE_SIZE = 1000
SAMPLE_WINDOWS = 16
MAX_PAGE = 500  # deep paging is a crawler's habit, not a reader's


def _any_of(column: str, ids: list[int]) -> tuple[str, list]:
    """`column` (a " 3 17 " id list) contains one of `ids`."""
    if not ids:
        return "1 = 0", []
    return "(" + " OR ".join([f"{column} LIKE %s"] * len(ids)) + ")", [f"% {i} %" for i in ids]


def _held(
    columns: list[str], text_column: str, ids: list[int], selective: bool = False
) -> tuple[str, list]:
    """The entry holds one of `ids`: bit tests on the words of the bit set `columns` (see
    facets.word_columns) when every id has its bit, else LIKE on the id list.

    The same test written two ways for PostgreSQL's planner, which cannot see into a bit
    set: `(bits & mask) <> 0` reads as "most rows", so a probe scans the table and stops at
    its LIMIT (right for a big library); `(bits & b) = b`, one per id, reads as "few rows",
    so it goes through the full-text index first (right for a small one: on a million
    records, a library holding 0.3% of them was found twice as fast)."""
    if not ids or not all(0 < pk <= WORD_BITS * len(columns) for pk in ids):
        return _any_of(text_column, ids)
    if selective:
        tests, params = [], []
        for pk in sorted(set(ids)):
            word, bit = divmod(pk - 1, WORD_BITS)
            tests.append(f"({columns[word]} & %s) = %s")
            params += [1 << bit, 1 << bit]
        return "(" + " OR ".join(tests) + ")", params
    masks = [0] * len(columns)
    for pk in ids:
        word, bit = divmod(pk - 1, WORD_BITS)
        masks[word] |= 1 << bit
    tests = [f"({column} & %s) <> 0" for column, mask in zip(columns, masks, strict=True) if mask]
    return "(" + " OR ".join(tests) + ")", [mask for mask in masks if mask]


SMALL_SHARE = 0.01  # libraries holding together under 1% of the copies: "few rows"
SHARES_TTL = 600.0  # seconds a process keeps the libraries' shares
_shares: tuple[float, dict[int, float]] = (-SHARES_TTL, {})


def library_shares() -> dict[int, float]:
    """Each library's share of the network's copies, read again every SHARES_TTL seconds:
    only the way a filter is written depends on it (see _held), never its answer."""
    global _shares
    read_at, shares = _shares
    if time.monotonic() - read_at >= SHARES_TTL:
        counts = dict(Item.objects.values_list("home_id").annotate(n=Count("id")).order_by())
        total = sum(counts.values()) or 1
        shares = {pk: n / total for pk, n in counts.items()}
        _shares = (time.monotonic(), shares)
    return shares


def _small(ids: list[int]) -> bool:
    """PostgreSQL only (SQLite's plan starts from the full-text index either way)."""
    if connection.vendor != "postgresql":
        return False
    shares = library_shares()
    return sum(shares.get(pk, 0.0) for pk in ids) < SMALL_SHARE


def filters(query: SearchQuery, known: Network) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []

    def add(sql: str, values: list) -> None:
        clauses.append(sql)
        params.extend(values)

    if query.libraries:
        ids = known.library_ids(query.libraries)
        name, text = (
            ("available_bits", "available_libraries")
            if query.available_now
            else ("library_bits", "libraries")
        )
        bits = word_columns(f"e.{name}", known.library_words)
        add(*_held(bits, f"e.{text}", ids, _small(ids)))
    elif query.available_now:
        add("e.available = %s", [True])
    if query.item_types:
        bits = word_columns("e.type_bits", known.type_words)
        add(*_held(bits, "e.item_types", known.type_ids(query.item_types)))
    for column, values in (("e.audience", query.audiences), ("e.language", query.languages)):
        if values:
            add(f"{column} IN ({','.join(['%s'] * len(values))})", list(values))
    if query.year_from is not None:
        add("e.year >= %s", [query.year_from])
    if query.year_to is not None:
        add("e.year <= %s", [query.year_to])
    if query.years:
        ranges = []
        for name, first, last, _label in YEAR_BUCKETS:
            if name in query.years:
                ranges.append(f"e.year BETWEEN {first or 0} AND {last or 9999}")
        add("(" + (" OR ".join(ranges) or "1 = 0") + ")", [])
    return (" AND ".join(clauses) or "1 = 1"), params


def _order(sort: str, blank: bool) -> tuple[str, str]:
    """Sort key columns (k1, k2) to select, and the ORDER BY over them ("relevance": ranked
    in Python, see relevance.py)."""
    if sort == "relevance" and not blank:
        return KEY_COLUMNS, "relevance"
    return {
        "title": ("e.sort_title AS k1, 0 AS k2", "k1, id"),
        "author": ("e.sort_author AS k1, e.sort_title AS k2", "k1, k2, id"),
        "year": ("e.year AS k1, e.sort_title AS k2", "k1 DESC NULLS LAST, k2, id"),
    }.get(sort, ("e.new_at AS k1, 0 AS k2", "k1 DESC, id DESC"))


def _python_order(order: str) -> Callable[[tuple], tuple]:
    """The ORDER BY of _order as a Python sort key over (id, k1, k2) rows; "new" sorts
    reversed. Folded sort keys compare the same way in Python and in both databases."""
    if order.startswith("k1 DESC NULLS LAST"):  # year: newest first, unknown years last
        return lambda row: (row[1] is None, -(row[1] or 0), row[2], row[0])
    if order.startswith("k1 DESC"):
        return lambda row: (row[1], row[0])
    return lambda row: (row[1], row[2], row[0])


def _ranked(rows: list[tuple], parsed: ParsedQuery, order: str) -> list[int]:
    """Ids of (id, k1, k2) rows in the query's order."""
    if order == "relevance":
        return [row[0] for row in sorted(rows, key=relevance_key(parsed))]
    keyed = sorted(rows, key=_python_order(order), reverse=order.startswith("k1 DESC,"))
    return [row[0] for row in keyed]


def _round(value: float) -> int:
    """An estimate keeps three significant digits: "about 12,300", not "12,287"."""
    if value < 1000:
        return round(value)
    digits = 10 ** (int(math.log10(value)) - 2)
    return int(round(value / digits) * digits)


def clean(query: SearchQuery) -> SearchQuery:
    query.page = min(MAX_PAGE, max(1, int(query.page or 1)))
    query.per_page = min(MAX_PER_PAGE, max(1, int(query.per_page or 20)))
    if query.sort not in SORTS:
        query.sort = "relevance"
    return query


def search(query: SearchQuery) -> SearchResult:
    query = clean(query)
    parsed = parse(query.q)
    result = SearchResult(
        total=0,
        hits=[],
        facets=empty_facets(),
        page=query.page,
        per_page=query.per_page,
        browse=parsed.blank,
    )
    if parsed.matches_nothing:
        return result
    engine = backend()
    engine.prepare(connection)
    known = network()
    filter_sql, filter_params = filters(query, known)
    columns, order = _order(query.sort, parsed.blank)
    facets = facet_columns(known)
    width = 1 + len(facets.split(","))
    every = f"e.record_id, {facets}, {columns}"
    with connection.cursor() as cursor:
        probe, rows, parsed = _probe(cursor, engine, parsed, filter_sql, filter_params, every)
        if not probe:
            return result
        text = Text(engine, parsed, filter_sql, filter_params)
        if rows is not None and len(probe) > EXACT_LIMIT and _nearly_all(cursor, engine, probe):
            # A filtered probe that read most of the id range already: the rest of the
            # matches cost less than a sample of them all.
            sql, sql_params = text.select(every)
            cursor.execute(
                f"{sql} AND {engine.id_column(text.source)} > %s", [*sql_params, max(probe)]
            )
            rows = [*rows, *cursor.fetchall()]
        elif len(probe) > EXACT_LIMIT:
            rows = _all_if_few(cursor, text, every, probe)
        elif rows is None:  # every match: its facet values and sort keys in one statement
            sql, sql_params = text.select(every)
            cursor.execute(sql, sql_params)
            rows = cursor.fetchall()
        if rows is not None:
            result.total = len(rows)
            if query.facets:
                result.facets = tally([row[1:width] for row in rows], known)
            ranked = _ranked([(row[0], *row[width:]) for row in rows], parsed, order)
            start = (query.page - 1) * query.per_page
            ids = ranked[start : start + query.per_page]
        else:
            ids = _approximate(cursor, result, query, parsed, probe, text, (columns, order), known)
    result.hits = hits(ids)
    return result


@dataclass
class Text:
    """The matches of one parsed query under the filters, as SQL (see Backend.select)."""

    engine: Backend
    parsed: ParsedQuery
    filter_sql: str
    filter_params: list

    def __post_init__(self) -> None:
        params: list[Any]
        if self.parsed.blank:
            self.source, condition, params = "catalogue_searchentry e", "1 = 1", []
        else:
            self.source, condition, params = self.engine.text_source(self.parsed)
        self.where = f"{condition} AND {self.filter_sql}"
        self.params = [*params, *self.filter_params]

    def select(self, columns: str, sample: Sample | None = None) -> tuple[str, list]:
        return self.engine.select(columns, [], self.source, self.where, self.params, sample)


def _probe(
    cursor, engine: Backend, parsed: ParsedQuery, filter_sql: str, filter_params: list, columns: str
) -> tuple[list[int], list[tuple] | None, ParsedQuery]:
    """Ids of the first EXACT_LIMIT + 1 matches, the query that found them and, when the
    probe had to read the index rows anyway (filters), those rows' `columns`.

    The last word is a prefix while typing ("harry pot"), unless it is a common word in its
    own right (more than EXACT_LIMIT records hold it): then it is taken as typed. A prefix
    makes both databases merge the posting lists of every longer word, in full, where an
    exact word's list is read in order and only in part."""
    terms = list(parsed.terms)
    for position, term in enumerate(terms):
        if term.prefix:
            alone = ParsedQuery([replace(term, prefix=False)], False)
            ids = engine.match_ids(cursor, alone, EXACT_LIMIT + 1)
            if len(ids) > EXACT_LIMIT:
                terms[position] = replace(term, prefix=False)
                if len(terms) == 1 and filter_sql == "1 = 1":
                    return ids, None, alone
    parsed = ParsedQuery(terms, parsed.blank)
    if filter_sql == "1 = 1" and not parsed.blank:  # the full-text index alone answers
        return engine.match_ids(cursor, parsed, EXACT_LIMIT + 1), None, parsed
    sql, params = Text(engine, parsed, filter_sql, filter_params).select(columns)
    cursor.execute(f"{sql} LIMIT {EXACT_LIMIT + 1}", params)
    rows = cursor.fetchall()
    return [row[0] for row in rows], rows, parsed


def _nearly_all(cursor, engine: Backend, probe: list[int]) -> bool:
    """The probe read its matches strictly in id order and got past half the ids."""
    if not engine.ordered_probe:
        return False
    low, high = _bounds(cursor)
    return 2 * (max(probe) - low) >= high - low


def _fraction(cursor, probe: list[int]) -> tuple[int, int, float]:
    """Lowest and highest ids, and the share of them a sample of SAMPLE_SIZE matches needs.
    The probe read matches in id order, or nearly (PostgreSQL reads its heap, where an
    updated row moves): the 90th percentile id ignores a few strays far ahead."""
    low, high = _bounds(cursor)
    counted = max(1, len(probe) * 9 // 10)
    reached = sorted(probe)[counted - 1]
    guess = counted * (high - low + 1) / max(1, reached - low + 1)
    return low, high, min(1.0, SAMPLE_SIZE / guess)


def _all_if_few(cursor, text: Text, columns: str, probe: list[int]) -> list[tuple] | None:
    """Every match, when a sample would have to hold most of them anyway (a few thousand
    matches): one read of them all costs less than one per id window, and is exact."""
    _low, _high, fraction = _fraction(cursor, probe)
    if fraction < 0.5:
        return None
    sql, params = text.select(columns)
    cursor.execute(f"{sql} LIMIT {4 * SAMPLE_SIZE + 1}", params)
    rows = cursor.fetchall()
    return rows if len(rows) <= 4 * SAMPLE_SIZE else None


def _bounds(cursor) -> tuple[int, int]:
    """The lowest and highest indexed record ids (two index look-ups: one aggregate reading
    both would scan the table on SQLite)."""
    cursor.execute(
        "SELECT (SELECT min(record_id) FROM catalogue_searchentry), "
        "(SELECT max(record_id) FROM catalogue_searchentry)"
    )
    return cursor.fetchone()


def _approximate(
    cursor,
    result: SearchResult,
    query: SearchQuery,
    parsed: ParsedQuery,
    probe: list[int],
    text: Text,
    ordering: tuple[str, str],
    known: Network,
) -> list[int]:
    """Total, facets and (with words) the page, from an evenly spread sample of the matches.
    The probe (the first EXACT_LIMIT matches in id order) tells the density of matches."""
    columns, order = ordering
    result.approximate = True
    low, high, fraction = _fraction(cursor, probe)
    sample = Sample(
        low, high, fraction, SAMPLE_WINDOWS, prefix=any(term.prefix for term in parsed.terms)
    )
    facets = facet_columns(known)
    keys = "" if parsed.blank else f", {columns}"
    sql, sql_params = text.select(f"e.record_id, {facets}{keys}", sample)
    # A guard against a density misjudged by the probe: never more than 4× the sample.
    cursor.execute(f"{sql} LIMIT {4 * SAMPLE_SIZE}", sql_params)
    rows = cursor.fetchall()
    covers = text.engine.sample_covers(sample, text.source)
    if len(rows) == 4 * SAMPLE_SIZE:  # stopped early: the sample covers ids up to there only
        covers *= (max(row[0] for row in rows) - low + 1) / (high - low + 1)
    sampled = len(rows)
    result.total = max(len(probe), _round(sampled / covers)) if sampled else len(probe)
    scale = result.total / sampled if sampled else 1.0
    width = 1 + len(facets.split(","))
    if query.facets:
        result.facets = tally([row[1:width] for row in rows], known, scale)
    start = (query.page - 1) * query.per_page
    if parsed.blank:
        # Without words, the sort walks an index (new_at, sort_title…) and stops after one
        # page: exact hits even for the whole catalogue.
        sql, sql_params = text.select(f"e.record_id AS id, {columns}")
        cursor.execute(
            f"SELECT id FROM ({sql}) m ORDER BY {order} LIMIT %s OFFSET %s",
            [*sql_params, query.per_page, start],
        )
        return [row[0] for row in cursor.fetchall()]
    result.reachable = sampled
    ranked = _ranked([(row[0], *row[width:]) for row in rows], parsed, order)
    return ranked[start : start + query.per_page]


def hits(ids: list[int]) -> list[Hit]:
    rows = {
        row[0]: row
        for row in Record.objects.filter(id__in=ids).values_list(
            "id", "title", "subtitle", "authors", "year", "doc_type", "isbn"
        )
    }
    out = []
    for pk in ids:
        if pk in rows:
            _pk, title, subtitle, authors, year, doc_type, isbn = rows[pk]
            names = [a.get("name", "") if isinstance(a, dict) else str(a) for a in authors or []]
            out.append(Hit(pk, title, subtitle, [n for n in names if n], year, doc_type, isbn))
    return out
