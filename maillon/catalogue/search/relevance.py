"""Relevance ranking of matches, in Python, from the index row's folded title and first author.

The databases' own scores (FTS5 bm25, PostgreSQL ts_rank) cost too much at a million records:
bm25 first counts every record holding each word (a walk of the word's whole posting list, per
statement), ts_rank reads every match's document. A catalogue reader's idea of relevance is
simpler anyway, and this is it, in order:
1. the title is what was typed ("mer" finds the book called *Mer* first; leading articles and
   other stop words aside: "petit prince" is *Le Petit Prince*);
2. more of the words typed are whole words of the title ("mer", "mers"), then of the author;
3. then words only begun in the title, then in the author (the last word is a prefix while
   typing: "mer" also finds *Mercier*, after every whole "mer");
4. the shortest title (the one most nearly what was typed), then the record id.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .parse import STOP_WORDS, ParsedQuery, words_of

KEY_COLUMNS = "e.sort_title AS k1, e.sort_author AS k2"


def _whole(word: str) -> re.Pattern:
    """The word as a whole word of a folded text; French plurals meet their singular
    ("jardins" ~ "jardin"), as stemming would."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return re.compile(r"\b" + re.escape(word) + r"[sx]?\b")


def _begun(word: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(word))


def relevance_key(parsed: ParsedQuery) -> Callable[[tuple], tuple]:
    """Sort key over (id, folded title, folded first author) rows, best first."""
    typed = [
        (word, term.prefix and position == len(term.words) - 1)
        for term in parsed.positive
        if not term.isbn
        for position, word in enumerate(term.words)
        if word not in STOP_WORDS
    ]
    whole = [_whole(word) for word, _prefix in typed]
    begun = [_begun(word) for word, prefix in typed if prefix]

    def is_title(title: str) -> bool:
        words = [w for w in words_of(title) if w not in STOP_WORDS]
        return len(words) == len(typed) > 0 and all(
            pattern.fullmatch(word) or (prefix and word.startswith(typed_word))
            for word, pattern, (typed_word, prefix) in zip(words, whole, typed, strict=True)
        )

    def key(row: tuple) -> tuple:
        title, author = row[1] or "", row[2] or ""
        return (
            not is_title(title),
            -sum(1 for p in whole if p.search(title)),
            -sum(1 for p in whole if p.search(author)),
            -sum(1 for p in begun if p.search(title)),
            -sum(1 for p in begun if p.search(author)),
            len(title),
            row[0],
        )

    return key
