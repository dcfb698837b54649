"""Searching by field with booleans (what SRU's CQL asks, see maillon.sru), over the reader's
search index: the same entries (live records: none merged away), the same folded words, the
same full-text index in each database, which each backend asks in its own syntax.

A query is a tree: ``Words`` (one word or phrase, in a field or anywhere), ``Ids`` (record
numbers), ``TitleIs`` (the whole title), joined by ``Every`` (and), ``Some`` (or) and
``Without`` (and not). The words of a subtree are sent to the full-text index as one
expression; record numbers and whole titles are columns of the entries, joined to it in SQL.

Answers are ranked as the reader's search ranks them (relevance.py) when at most
EXACT_LIMIT records match, which is what copy cataloguing asks (an ISBN, a title and an
author); beyond, or without words in titles or authors to weigh, in record order, so that a
client paging through stays on the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from .backends import backend
from .backends.base import Backend
from .engine import EXACT_LIMIT
from .parse import ParsedQuery, Term
from .relevance import KEY_COLUMNS, relevance_key

FIELDS = ("title", "author", "subject", "isbn")  # a Words' field; None: anywhere


@dataclass(frozen=True)
class Words:
    term: Term
    field: str | None = None


@dataclass(frozen=True)
class Ids:
    ids: tuple[int, ...]


@dataclass(frozen=True)
class TitleIs:
    title: str  # folded, as the entries' sort_title


@dataclass(frozen=True)
class Every:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Some:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    kept: Node
    dropped: Node


Node = Words | Ids | TitleIs | Every | Some | Without


def _textual(node: Node) -> bool:
    if isinstance(node, Words):
        return True
    if isinstance(node, Every | Some):
        return all(_textual(part) for part in node.parts)
    if isinstance(node, Without):
        return _textual(node.kept) and _textual(node.dropped)
    return False


def expression(node: Node, engine: Backend) -> str:
    """A tree of words in the backend's full-text syntax."""
    if isinstance(node, Words):
        return engine.words(node.term, node.field)
    if isinstance(node, Every | Some):
        joined = f" {engine.AND if isinstance(node, Every) else engine.OR} "
        return joined.join(f"({expression(part, engine)})" for part in node.parts)
    if isinstance(node, Without):
        kept, dropped = expression(node.kept, engine), expression(node.dropped, engine)
        return f"({kept}) {engine.AND_NOT} ({dropped})"
    raise TypeError(f"not words: {node!r}")


def condition(node: Node, engine: Backend) -> tuple[str, list]:
    """SQL over the entries ``e`` for the tree, and its parameters."""
    if _textual(node):
        return engine.text_condition(expression(node, engine))
    if isinstance(node, Ids):
        marks = ",".join(["%s"] * len(node.ids)) or "NULL"
        return f"e.record_id IN ({marks})", list(node.ids)
    if isinstance(node, TitleIs):
        return "e.sort_title = %s", [node.title[:80]]
    if isinstance(node, Without):
        (kept, kept_params), (dropped, dropped_params) = (
            condition(node.kept, engine),
            condition(node.dropped, engine),
        )
        return f"({kept}) AND NOT ({dropped})", [*kept_params, *dropped_params]
    assert isinstance(node, Every | Some)
    parts = [condition(part, engine) for part in node.parts]
    joined = " AND " if isinstance(node, Every) else " OR "
    return joined.join(f"({sql})" for sql, _params in parts), [
        value for _sql, params in parts for value in params
    ]


def _ranking_terms(node: Node) -> list[Term]:
    """The words sought in titles and authors (not those excluded): what relevance weighs."""
    if isinstance(node, Words):
        weighed = node.field in (None, "title", "author") and not node.term.isbn
        return [node.term] if weighed else []
    if isinstance(node, Every | Some):
        return [term for part in node.parts for term in _ranking_terms(part)]
    if isinstance(node, Without):
        return _ranking_terms(node.kept)
    return []


@dataclass(frozen=True)
class Found:
    total: int
    ids: list[int]  # the page asked for


def find(node: Node, start: int, count: int) -> Found:
    """How many records match, and the ids of ``count`` of them from position ``start``
    (from 0)."""
    engine = backend()
    engine.prepare(connection)
    where, params = condition(node, engine)
    sql = f"FROM catalogue_searchentry e WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.record_id, {KEY_COLUMNS} {sql} LIMIT {EXACT_LIMIT + 1}", params)
        rows = cursor.fetchall()
        if len(rows) <= EXACT_LIMIT:
            terms = _ranking_terms(node)
            # Without words to weigh (record numbers, ISBNs, subjects), the record order.
            rows.sort(key=relevance_key(ParsedQuery(terms, blank=False)) if terms else None)
            ranked = [row[0] for row in rows]
            return Found(len(rows), ranked[start : start + count])
        cursor.execute(f"SELECT count(*) {sql}", params)
        total = cursor.fetchone()[0]
        ids: list[int] = []
        if count and start < total:
            cursor.execute(
                f"SELECT e.record_id {sql} ORDER BY e.record_id LIMIT %s OFFSET %s",
                [*params, count, start],
            )
            ids = [row[0] for row in cursor.fetchall()]
    return Found(total, ids)
