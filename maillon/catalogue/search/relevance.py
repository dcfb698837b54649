"""Relevance ranking of matches, in Python, from the index row's folded title and first author.

The databases' own scores (FTS5 bm25, PostgreSQL ts_rank) cost too much at a million records:
bm25 first counts every record holding each word (a walk of the word's whole posting list, per
statement), ts_rank reads every match's document. A catalogue reader's idea of relevance is
simpler anyway: the words in the title first, then in the author's name, then the shortest
title (the one that is most nearly what was typed).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .parse import ParsedQuery

KEY_COLUMNS = "e.sort_title AS k1, e.sort_author AS k2"


def _pattern(word: str, prefix: bool) -> re.Pattern:
    """The word as a whole word of a folded text; French plurals meet their singular
    ("jardins" ~ "jardin"), as stemming would; a prefix matches any longer word."""
    if prefix:
        return re.compile(r"\b" + re.escape(word))
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return re.compile(r"\b" + re.escape(word) + r"[sx]?\b")


def relevance_key(parsed: ParsedQuery) -> Callable[[tuple], tuple]:
    """Sort key over (id, folded title, folded first author) rows, best first."""
    patterns = [
        _pattern(word, term.prefix and position == len(term.words) - 1)
        for term in parsed.positive
        if not term.isbn
        for position, word in enumerate(term.words)
    ]

    def key(row: tuple) -> tuple:
        title, author = row[1] or "", row[2] or ""
        return (
            -sum(1 for p in patterns if p.search(title)),
            -sum(1 for p in patterns if p.search(author)),
            len(title),
            row[0],
        )

    return key
