"""search(): one algorithm over both backends.

Cost is bounded whatever the query. A first probe fetches the ids of at most EXACT_LIMIT + 1
matches. When it holds them all, the answer is exact: facets are counted in Python from the
matches' facet values (one narrow covering-index entry each) and one ORDER BY … LIMIT gives
the page. Beyond, for very common words, the answer is marked `approximate`: one more statement
fetches an evenly spread sample of about SAMPLE_SIZE matches (every n-th record id on SQLite,
SAMPLE_WINDOWS id ranges on PostgreSQL) with their facet values and sort keys; the total and
the facet counts are scaled from it and, when words were typed, the hits are ranked and paged
within it. Pages and API answers then say "about N".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from django.db import connection

from maillon.catalogue.models import Record

from .backends import backend
from .backends.base import Sample
from .facets import Network, empty_facets, facet_columns, network, tally
from .parse import ParsedQuery, parse
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


def _held(known: Network, bits_column: str, text_column: str,
          ids: list[int]) -> tuple[str, list]:
    """The entry holds one of `ids`: a bit test when every id has its bit, else LIKE."""
    if ids and known.has_bits(ids):
        mask = 0
        for pk in ids:
            mask |= 1 << (pk - 1)
        return f"({bits_column} & %s) <> 0", [mask]
    return _any_of(text_column, ids)


def filters(query: SearchQuery, known: Network) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []

    def add(sql: str, values: list) -> None:
        clauses.append(sql)
        params.extend(values)

    if query.libraries:
        ids = known.library_ids(query.libraries)
        if query.available_now:
            add(*_held(known, "e.available_bits", "e.available_libraries", ids))
        else:
            add(*_held(known, "e.library_bits", "e.libraries", ids))
    elif query.available_now:
        add("e.available = %s", [True])
    if query.item_types:
        add(*_held(known, "e.type_bits", "e.item_types", known.type_ids(query.item_types)))
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


def _order(sort: str, rank: tuple[str, list] | None) -> tuple[str, list, str]:
    """Sort key columns (k1, k2) to select, their parameters, and the ORDER BY over them."""
    if sort == "relevance" and rank:
        return f"{rank[0]} AS k1, 0 AS k2", rank[1], "k1, id"
    columns, order = {
        "title": ("e.sort_title AS k1, 0 AS k2", "k1, id"),
        "author": ("e.sort_author AS k1, e.sort_title AS k2", "k1, k2, id"),
        "year": ("e.year AS k1, e.sort_title AS k2", "k1 DESC NULLS LAST, k2, id"),
    }.get(sort, ("e.new_at AS k1, 0 AS k2", "k1 DESC, id DESC"))
    return columns, [], order


def _python_order(order: str) -> Callable[[tuple], tuple]:
    """The ORDER BY of _order as a Python sort key over (id, k1, k2) rows; "new" sorts
    reversed. Folded sort keys compare the same way in Python and in both databases."""
    if order.startswith("k1 DESC NULLS LAST"):  # year: newest first, unknown years last
        return lambda row: (row[1] is None, -(row[1] or 0), row[2], row[0])
    if order.startswith("k1 DESC"):
        return lambda row: (row[1], row[0])
    return lambda row: (row[1], row[2], row[0])


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
    result = SearchResult(total=0, hits=[], facets=empty_facets(), page=query.page,
                          per_page=query.per_page, browse=parsed.blank)
    if parsed.matches_nothing:
        return result
    engine = backend()
    engine.prepare(connection)
    known = network()
    if parsed.blank:
        source, condition, params, rank = "catalogue_searchentry e", "1 = 1", [], None
    else:
        source, condition, params = engine.text_source(parsed)
        rank = engine.rank(parsed)
    filter_sql, filter_params = filters(query, known)
    where, where_params = f"{condition} AND {filter_sql}", [*params, *filter_params]
    facets = facet_columns(known)
    offset = (query.page - 1) * query.per_page

    def select(columns: str, column_params: list | None = None,
               sample: Sample | None = None) -> tuple[str, list]:
        return engine.select(columns, column_params or [], source, where, where_params, sample)

    columns, column_params, order = _order(query.sort, rank)
    with connection.cursor() as cursor:
        probe = _probe(cursor, engine, parsed, filter_sql == "1 = 1", select)
        if not probe:
            return result
        if len(probe) <= EXACT_LIMIT:
            result.total = len(probe)
            if query.facets:
                sql, sql_params = select(facets)
                cursor.execute(sql, sql_params)
                result.facets = tally(cursor.fetchall(), known)
            sql, sql_params = select(f"e.record_id AS id, {columns}", column_params)
            cursor.execute(f"SELECT id FROM ({sql}) m ORDER BY {order} LIMIT %s OFFSET %s",
                           [*sql_params, query.per_page, offset])
            ids = [row[0] for row in cursor.fetchall()]
        else:
            ids = _approximate(cursor, result, query, parsed.blank, probe, select,
                               engine, source, (columns, column_params, order), known)
    result.hits = hits(ids)
    return result


def _probe(cursor, engine, parsed, unfiltered: bool, select) -> list[int]:
    """Ids of the first EXACT_LIMIT + 1 matches. Without filters, the full-text index alone
    answers; and when the last word is a prefix, the exact word is tried first: if it alone
    passes the limit, so does the prefix, whose doclists FTS5 would merge in full."""
    if unfiltered and not parsed.blank:
        if any(term.prefix for term in parsed.terms):
            exact = ParsedQuery([replace(term, prefix=False) for term in parsed.terms], False)
            ids = engine.match_ids(cursor, exact, EXACT_LIMIT + 1)
            if len(ids) > EXACT_LIMIT:
                return ids
        return engine.match_ids(cursor, parsed, EXACT_LIMIT + 1)
    sql, params = select("e.record_id")
    cursor.execute(f"{sql} LIMIT {EXACT_LIMIT + 1}", params)
    return [row[0] for row in cursor.fetchall()]


def _approximate(cursor, result: SearchResult, query: SearchQuery, blank: bool,
                 probe: list[tuple], select, engine, source: str,
                 ordering: tuple[str, list, str], known: Network) -> list[int]:
    """Total, facets and (with words) the page, from an evenly spread sample of the matches.
    The probe (the first EXACT_LIMIT matches in id order) tells the density of matches."""
    columns, column_params, order = ordering
    result.approximate = True
    cursor.execute("SELECT (SELECT min(record_id) FROM catalogue_searchentry), "
                   "(SELECT max(record_id) FROM catalogue_searchentry)")
    low, high = cursor.fetchone()
    reached = max(probe)
    guess = len(probe) * (high - low + 1) / max(1, reached - low + 1)
    sample = Sample(low, high, min(1.0, SAMPLE_SIZE / guess), SAMPLE_WINDOWS)
    keys = "" if blank else f", {columns}"
    sql, sql_params = select(f"e.record_id, {facet_columns(known)}{keys}",
                             [] if blank else column_params, sample)
    # A guard against a density misjudged by the probe: never more than 4× the sample.
    cursor.execute(f"{sql} LIMIT {4 * SAMPLE_SIZE}", sql_params)
    rows = cursor.fetchall()
    covers = engine.sample_covers(sample, source)
    if len(rows) == 4 * SAMPLE_SIZE:  # stopped early: the sample covers ids up to there only
        covers *= (max(row[0] for row in rows) - low + 1) / (high - low + 1)
    sampled = len(rows)
    result.total = max(len(probe), _round(sampled / covers)) if sampled else len(probe)
    scale = result.total / sampled if sampled else 1.0
    width = 1 + len(facet_columns(known).split(","))
    if query.facets:
        result.facets = tally([row[1:width] for row in rows], known, scale)
    start = (query.page - 1) * query.per_page
    if blank:
        # Without words, the sort walks an index (new_at, sort_title…) and stops after one
        # page: exact hits even for the whole catalogue.
        sql, sql_params = select(f"e.record_id AS id, {columns}", column_params)
        cursor.execute(f"SELECT id FROM ({sql}) m ORDER BY {order} LIMIT %s OFFSET %s",
                       [*sql_params, query.per_page, start])
        return [row[0] for row in cursor.fetchall()]
    result.reachable = sampled
    keyed = sorted(((row[0], row[width], row[width + 1]) for row in rows),
                   key=_python_order(order), reverse=order.startswith("k1 DESC,"))
    return [row[0] for row in keyed[start:start + query.per_page]]


def hits(ids: list[int]) -> list[Hit]:
    rows = {row[0]: row for row in Record.objects.filter(id__in=ids).values_list(
        "id", "title", "subtitle", "authors", "year", "doc_type", "isbn")}
    out = []
    for pk in ids:
        if pk in rows:
            _pk, title, subtitle, authors, year, doc_type, isbn = rows[pk]
            names = [a.get("name", "") if isinstance(a, dict) else str(a) for a in authors or []]
            out.append(Hit(pk, title, subtitle, [n for n in names if n], year, doc_type, isbn))
    return out
