"""search(): one algorithm over both backends.

Cost is bounded whatever the query: a first count stops after EXACT_LIMIT matches. Up to there
everything is exact (total, facets, order over all matches). Beyond, for very common words, the
answer is marked `approximate`: facets are counted over a systematic sample of the matches
(every n-th record id on SQLite, SAMPLE_WINDOWS evenly spread id ranges on PostgreSQL; about
SAMPLE_SIZE matches in all) and scaled to the estimated total, and, when words were typed, the
hits are ranked and paged within that sample. Pages and API answers then say "about N".
"""

from __future__ import annotations

import math

from django.db import connection

from maillon.catalogue.models import ItemType, Record
from maillon.network.models import Library

from .backends import backend
from .backends.base import Sample
from .facets import GROUP_COLUMNS, empty_facets, tally
from .parse import parse
from .types import MAX_PER_PAGE, SORTS, YEAR_BUCKETS, Hit, SearchQuery, SearchResult

EXACT_LIMIT = 5000
SAMPLE_SIZE = 3000
SAMPLE_WINDOWS = 16
MAX_PAGE = 500  # deep paging is a crawler's habit, not a reader's


def _any_of(column: str, ids: list[int]) -> tuple[str, list]:
    """`column` (a " 3 17 " id list) contains one of `ids`."""
    if not ids:
        return "1 = 0", []
    return "(" + " OR ".join([f"{column} LIKE %s"] * len(ids)) + ")", [f"% {i} %" for i in ids]


def filters(query: SearchQuery) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []

    def add(sql: str, values: list) -> None:
        clauses.append(sql)
        params.extend(values)

    library_ids = (list(Library.objects.filter(code__in=query.libraries)
                        .values_list("id", flat=True)) if query.libraries else [])
    if query.libraries:
        add(*_any_of("e.available_libraries" if query.available_now else "e.libraries",
                     library_ids))
    elif query.available_now:
        add("e.available = %s", [True])
    if query.item_types:
        add(*_any_of("e.item_types", list(ItemType.objects.filter(code__in=query.item_types)
                                          .values_list("id", flat=True))))
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
    if parsed.blank:
        source, condition, params, rank = "catalogue_searchentry e", "1 = 1", [], None
    else:
        source, condition, params = engine.text_source(parsed)
        rank = engine.rank(parsed)
    filter_sql, filter_params = filters(query)
    where, where_params = f"{condition} AND {filter_sql}", [*params, *filter_params]

    def select(columns: str, column_params: list | None = None,
               sample: Sample | None = None) -> tuple[str, list]:
        return engine.select(columns, column_params or [], source, where, where_params, sample)

    with connection.cursor() as cursor:
        sql, sql_params = select("e.record_id AS id")
        cursor.execute(f"SELECT count(*), max(id) FROM ({sql} LIMIT {EXACT_LIMIT + 1}) m",
                       sql_params)
        found, reached = cursor.fetchone()
        sample, scale = None, 1.0
        result.total = found
        if found > EXACT_LIMIT:
            result.approximate = True
            exact = (engine.count_all(connection, parsed)
                     if filter_sql == "1 = 1" and not parsed.blank else None)
            sample, sampled, estimate = _sample(cursor, select, found, reached,
                                                lambda s: engine.sample_covers(s, source))
            result.total = exact or estimate
            scale = result.total / sampled if sampled else 1.0
            if not parsed.blank:
                result.reachable = sampled
        if result.total == 0:
            return result

        columns, column_params, order = _order(query.sort, rank)
        # Without words, the sort walks an index (new_at, sort_title…) and stops after one
        # page: exact hits even for the whole catalogue. With words, the sample bounds the work.
        sql, sql_params = select(f"e.record_id AS id, {columns}", column_params,
                                 None if parsed.blank else sample)
        cursor.execute(f"SELECT id FROM ({sql}) m ORDER BY {order} LIMIT %s OFFSET %s",
                       [*sql_params, query.per_page, (query.page - 1) * query.per_page])
        ids = [row[0] for row in cursor.fetchall()]
        if query.facets:
            aliases = [f"g{i}" for i in range(len(GROUP_COLUMNS))]
            sql, sql_params = select(", ".join(f"{column} AS {alias}" for column, alias
                                               in zip(GROUP_COLUMNS, aliases, strict=True)),
                                     sample=sample)
            cursor.execute(f"SELECT {', '.join(aliases)}, count(*) FROM ({sql}) m "
                           f"GROUP BY {', '.join(aliases)}", sql_params)
            result.facets = tally(cursor.fetchall(), scale)
    result.hits = hits(ids)
    return result


def _sample(cursor, select, found: int, reached: int, covers) -> tuple[Sample, int, int]:
    """A sample of about SAMPLE_SIZE matches, how many it holds, and the estimated total.
    The first EXACT_LIMIT matches (in id order) tell the density of matches."""
    cursor.execute("SELECT (SELECT min(record_id) FROM catalogue_searchentry), "
                   "(SELECT max(record_id) FROM catalogue_searchentry)")
    low, high = cursor.fetchone()
    guess = found * (high - low + 1) / max(1, reached - low + 1)
    sample = Sample(low, high, min(1.0, SAMPLE_SIZE / guess), SAMPLE_WINDOWS)
    sql, params = select("1", sample=sample)
    cursor.execute(f"SELECT count(*) FROM ({sql}) m", params)
    sampled = cursor.fetchone()[0]
    estimate = _round(sampled / covers(sample)) if sampled else found
    return sample, sampled, max(found, estimate)


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
