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

from maillon.catalogue.models import GONE_STATUSES, Record, SearchEntry, SearchHolding

from .backends import backend
from .backends.base import HOLDINGS, Backend, Sample
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

GONE_MARKS = ",".join(["%s"] * len(GONE_STATUSES))
EXACT_LIMIT = 1000
SAMPLE_SIZE = 1000
SAMPLE_WINDOWS = 16
MAX_PAGE = 500  # deep paging is a crawler's habit, not a reader's


def _any_of(column: str, ids: list[int]) -> tuple[str, list]:
    """`column` (a " 3 17 " id list) contains one of `ids`."""
    if not ids:
        return "1 = 0", []
    return "(" + " OR ".join([f"{column} LIKE %s"] * len(ids)) + ")", [f"% {i} %" for i in ids]


def _held(columns: list[str], text_column: str, ids: list[int]) -> tuple[str, list]:
    """The entry holds one of `ids`: bit tests on the words of the bit set `columns` (see
    facets.word_columns) when every id has its bit, else LIKE on the id list."""
    if not ids or not all(0 < pk <= WORD_BITS * len(columns) for pk in ids):
        return _any_of(text_column, ids)
    masks = [0] * len(columns)
    for pk in ids:
        word, bit = divmod(pk - 1, WORD_BITS)
        masks[word] |= 1 << bit
    tests = [f"({column} & %s) <> 0" for column, mask in zip(columns, masks, strict=True) if mask]
    return "(" + " OR ".join(tests) + ")", [mask for mask in masks if mask]


def held_records(query: SearchQuery, known: Network) -> tuple[str, list]:
    """The ids of the records held (or available now) at the libraries asked, from the
    (library, record) pairs (see SearchHolding), as a subquery and its parameters."""
    ids = known.library_ids(query.libraries)
    marks = ",".join(["%s"] * len(ids)) or "NULL"
    sql = f"SELECT DISTINCT h.record_id FROM {HOLDINGS} h WHERE h.library_id IN ({marks})"
    if query.available_now:
        return f"{sql} AND h.available = %s", [*ids, True]
    return sql, ids


SMALL_SHARE = 0.01  # libraries holding together under 1% of the records: "few"
SHARES_TTL = 600.0  # seconds a process keeps the libraries' counts
_holdings: tuple[float, dict[int, int], int] = (-SHARES_TTL, {}, 0)


def library_holdings() -> tuple[dict[int, int], int]:
    """How many indexed records each library holds a copy of, and how many there are, read
    again every SHARES_TTL seconds: only the way a search is run depends on them (see
    few_held and _estimated), never its answer."""
    global _holdings
    read_at, held, total = _holdings
    if time.monotonic() - read_at >= SHARES_TTL:
        pairs = SearchHolding.objects.values_list("library_id").annotate(n=Count("record_id"))
        held, total = dict(pairs.order_by()), SearchEntry.objects.count()
        _holdings = (time.monotonic(), held, total)
    return held, total


def library_shares() -> dict[int, float]:
    """Each library's share of the indexed records."""
    held, total = library_holdings()
    return {pk: n / (total or 1) for pk, n in held.items()}


def held_count(query: SearchQuery, known: Network) -> int | None:
    """At most how many records the libraries asked hold (None: no library asked)."""
    if not query.libraries:
        return None
    held, _total = library_holdings()
    return sum(held.get(pk, 0) for pk in known.library_ids(query.libraries))


def few_held(cursor, engine: Backend, held: int | None, parsed: ParsedQuery) -> bool:
    """The libraries asked hold few records (`held`, see held_count): those are read first
    (their (library, record) pairs) and each one's entry and words checked, instead of every
    match of the words tested for the libraries' bits — a common word has 250,000 matches, a
    small library holds 3,000 records. The backend may still prefer the words first (see
    Backend.prefers_held)."""
    if held is None:  # no library asked: nothing to count
        return False
    _held_at, total = library_holdings()
    if held >= SMALL_SHARE * total:
        return False
    return parsed.blank or engine.prefers_held(cursor, parsed, held)


def filters(query: SearchQuery, known: Network, pairs: bool = False) -> tuple[str, list]:
    """SQL over the entries `e` for the query's filters; with `pairs` (see few_held), the
    libraries are left to held_records."""
    clauses: list[str] = []
    params: list = []

    def add(sql: str, values: list) -> None:
        clauses.append(sql)
        params.extend(values)

    if query.libraries and not pairs:
        name, text = (
            ("available_bits", "available_libraries")
            if query.available_now
            else ("library_bits", "libraries")
        )
        bits = word_columns(f"e.{name}", known.library_words)
        add(*_held(bits, f"e.{text}", known.library_ids(query.libraries)))
    elif query.available_now:
        add("e.available = %s", [True])
    if query.item_types:
        bits = word_columns("e.type_bits", known.type_words)
        add(*_held(bits, "e.item_types", known.type_ids(query.item_types)))
    if query.collections:
        # The collection's items, through their index (a local collection holds a few
        # thousand at most), rather than LIKE on every entry's id list.
        ids = known.collection_ids(query.collections) or [0]
        add(
            "e.record_id IN (SELECT c.record_id FROM catalogue_item c WHERE c.collection_id IN "
            f"({','.join(['%s'] * len(ids))}) AND c.status NOT IN ({GONE_MARKS}))",
            [*ids, *sorted(GONE_STATUSES)],
        )
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
        only_stop_words=parsed.only_stop_words,
    )
    if parsed.matches_nothing:
        return result
    engine = backend()
    engine.prepare(connection)
    known = network()
    columns, order = _order(query.sort, parsed.blank)
    facets = facet_columns(known)
    width = 1 + len(facets.split(","))
    every = f"e.record_id, {facets}, {columns}"
    with connection.cursor() as cursor:
        parsed, alone = _settle_prefixes(cursor, engine, parsed)
        held = held_count(query, known)
        pairs = few_held(cursor, engine, held, parsed)
        text = Text(
            engine,
            parsed,
            *filters(query, known, pairs),
            held_records(query, known) if pairs else None,
        )
        ordering = (columns, order)
        rows: list[tuple] | None = None
        ids: list[int] | None = None
        if pairs:  # few records held there: every match at once, exact
            sql, sql_params = text.select(every)
            cursor.execute(sql, sql_params)
            rows = cursor.fetchall()
        else:
            density = _estimated(cursor, text, alone, held)
            if density:
                ids = _approximate(cursor, result, query, text, ordering, known, density, [])
            if ids is None:  # not estimated, or wrongly: few matches after all
                probe, rows = _matches(cursor, text, every, alone)
                if rows is None:
                    ids = _approximate(cursor, result, query, text, ordering, known, None, probe)
        if rows is not None:
            result.approximate = False
            result.total = len(rows)
            if query.facets:
                result.facets = tally([row[1:width] for row in rows], known)
            ranked = _ranked([(row[0], *row[width:]) for row in rows], parsed, order)
            start = (query.page - 1) * query.per_page
            ids = ranked[start : start + query.per_page]
    result.hits = hits(ids or [])
    return result


def _estimated(
    cursor, text: Text, alone: list[int] | None, held: int | None
) -> tuple[int, int, float] | None:
    """Where a sample of the matches must be read, and how much of the id range: for
    backends whose filtered probe scans the table (PostgreSQL reads its heap until it has
    EXACT_LIMIT + 1 matches: an eighth of it for a common word at libraries holding 5% of
    the records), from the words' own probe and the libraries' share of the records. None
    when the matches may be few: the probe tells."""
    engine = text.engine
    if not engine.estimates_filters or held is None:
        return None
    if text.parsed.blank:  # every record matches
        low, high = _bounds(cursor)
        if low is None:  # nothing indexed yet
            return None
        matches: float = high - low + 1
    else:
        words = alone
        if words is None:
            words = engine.match_ids(cursor, text.parsed, EXACT_LIMIT + 1)
        if len(words) <= EXACT_LIMIT:
            return None
        low, high, fraction = _fraction(cursor, words)
        matches = SAMPLE_SIZE / fraction
    _held_at, total = library_holdings()
    expected = matches * held / (total or 1)
    if expected < 4 * SAMPLE_SIZE:
        return None
    return low, high, SAMPLE_SIZE / expected


def _matches(
    cursor, text: Text, every: str, alone: list[int] | None
) -> tuple[list[int], list[tuple] | None]:
    """The probe (see _probe) and every match's `every` columns, or None when there are too
    many: then a sample answers (see _approximate)."""
    engine = text.engine
    probe, rows = _probe(cursor, text, every, alone)
    if not probe:
        return probe, []
    if rows is not None and len(probe) > EXACT_LIMIT and _nearly_all(cursor, engine, probe):
        # A filtered probe that read most of the id range already: the rest of the
        # matches cost less than a sample of them all.
        sql, sql_params = text.select(every)
        cursor.execute(f"{sql} AND {engine.id_column(text.source)} > %s", [*sql_params, max(probe)])
        return probe, [*rows, *cursor.fetchall()]
    if len(probe) > EXACT_LIMIT:
        return probe, _all_if_few(cursor, text, every, probe)
    if rows is None:  # every match: its facet values and sort keys in one statement
        sql, sql_params = text.select(every)
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    return probe, rows


@dataclass
class Text:
    """The matches of one parsed query under the filters, as SQL (see Backend.select)."""

    engine: Backend
    parsed: ParsedQuery
    filter_sql: str
    filter_params: list

    held: tuple[str, list] | None = None  # the records held where asked: see held_records

    def __post_init__(self) -> None:
        params: list[Any]
        if self.held:
            self.source, condition, params = self.engine.held_source(self.parsed, *self.held)
        elif self.parsed.blank:
            self.source, condition, params = "catalogue_searchentry e", "1 = 1", []
        else:
            self.source, condition, params = self.engine.text_source(self.parsed)
        self.where = f"{condition} AND {self.filter_sql}"
        self.params = [*params, *self.filter_params]

    def select(self, columns: str, sample: Sample | None = None) -> tuple[str, list]:
        return self.engine.select(columns, [], self.source, self.where, self.params, sample)


def _settle_prefixes(
    cursor, engine: Backend, parsed: ParsedQuery
) -> tuple[ParsedQuery, list[int] | None]:
    """The query as it will be searched, and the ids of its one word's first EXACT_LIMIT + 1
    matches when that is all the query holds and they were read here.

    The last word is a prefix while typing ("harry pot"), unless it is a common word in its
    own right (more than EXACT_LIMIT records hold it): then it is taken as typed. A prefix
    makes both databases merge the posting lists of every longer word, in full, where an
    exact word's list is read in order and only in part."""
    terms = list(parsed.terms)
    alone_ids = None
    for position, term in enumerate(terms):
        if term.prefix:
            alone = ParsedQuery([replace(term, prefix=False)], False)
            ids = engine.match_ids(cursor, alone, EXACT_LIMIT + 1)
            if len(ids) > EXACT_LIMIT:
                terms[position] = replace(term, prefix=False)
                if len(terms) == 1:
                    alone_ids = ids
    return ParsedQuery(terms, parsed.blank), alone_ids


def _probe(
    cursor, text: Text, columns: str, alone: list[int] | None
) -> tuple[list[int], list[tuple] | None]:
    """Ids of the first EXACT_LIMIT + 1 matches and, when the probe had to read the index
    rows anyway (filters), those rows' `columns`. `alone`: see _settle_prefixes."""
    if text.filter_sql == "1 = 1" and not text.parsed.blank:  # the full-text index answers
        if alone is not None:
            return alone, None
        return text.engine.match_ids(cursor, text.parsed, EXACT_LIMIT + 1), None
    sql, params = text.select(columns)
    cursor.execute(f"{sql} LIMIT {EXACT_LIMIT + 1}", params)
    rows = cursor.fetchall()
    return [row[0] for row in rows], rows


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
    text: Text,
    ordering: tuple[str, str],
    known: Network,
    density: tuple[int, int, float] | None,
    probe: list[int],
) -> list[int] | None:
    """Total, facets and (with words) the page, from an evenly spread sample of the matches.
    The probe (the first EXACT_LIMIT matches in id order) tells the density of matches, or
    `density` was estimated (see _estimated): then None when the sample finds so few that
    every match had better be read."""
    columns, order = ordering
    parsed = text.parsed
    result.approximate = True
    low, high, fraction = density or _fraction(cursor, probe)
    sample = Sample(
        low, high, fraction, SAMPLE_WINDOWS, prefix=any(term.prefix for term in parsed.terms)
    )
    facets = facet_columns(known)
    keys = "" if parsed.blank else f", {columns}"
    sql, sql_params = text.select(f"e.record_id, {facets}{keys}", sample)
    # A guard against a misjudged density: never more than 4× the sample.
    cursor.execute(f"{sql} LIMIT {4 * SAMPLE_SIZE}", sql_params)
    rows = cursor.fetchall()
    sampled = len(rows)
    if density and sampled < SAMPLE_SIZE // 4:
        return None
    covers = text.engine.sample_covers(sample, text.source)
    if sampled == 4 * SAMPLE_SIZE:  # stopped early: the sample covers ids up to there only
        covers *= (max(row[0] for row in rows) - low + 1) / (high - low + 1)
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
    keyed = [(row[0], *row[width:]) for row in rows]
    if order == "relevance":
        seen = {row[0] for row in keyed}
        keyed += [row for row in _titled(cursor, text, columns) if row[0] not in seen]
    ranked = _ranked(keyed, parsed, order)
    return ranked[start : start + query.per_page]


ARTICLES = ("le ", "la ", "les ", "un ", "une ", "l'", "l’")  # as sort titles begin


def _titled(cursor, text: Text, columns: str) -> list[tuple]:
    """(id, k1, k2) of the matches whose title is just the words typed ("mer" → *La Mer*):
    first in relevance (see relevance.py), which a sample of a common word's matches may have
    missed. Read through the title index, then each one's words checked — not with a word
    still being typed, which FTS5 would expand again for each record."""
    if any(term.prefix for term in text.parsed.terms):
        return []
    words = " ".join(w for t in text.parsed.positive if not t.isbn for w in t.words)
    if not words:
        return []
    titles = [words, *(article + words for article in ARTICLES)]
    marks = ",".join(["%s"] * len(titles))
    held = f"SELECT t.record_id FROM catalogue_searchentry t WHERE t.sort_title IN ({marks})"
    titled = Text(text.engine, text.parsed, text.filter_sql, text.filter_params, (held, titles))
    sql, params = titled.select(f"e.record_id, {columns}")
    cursor.execute(f"{sql} LIMIT 50", params)
    return cursor.fetchall()


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
