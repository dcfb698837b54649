"""From what a reader typed to a list of terms both backends translate to their own syntax.

Supported, like a web search box: words (all required), "a quoted phrase", -excluded words, an
ISBN with or without hyphens, and the last word taken as a prefix while typing ("harry pot").
Everything else (operators, stray quotes, symbols) is treated as plain text, never as syntax,
so no input can make the database raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from maillon.catalogue.marc.keys import fold, normalise_isbn

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_WORD_CHARS = 60
MIN_PREFIX_CHARS = 3

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD_SPLIT = re.compile(r"[\W_]+")
_ISBN_LIKE = re.compile(r"^(?:97[89][- ]?)?[0-9][0-9-]{7,14}[0-9Xx]$")

# French function words dropped from queries: they match almost every record and PostgreSQL's
# French configuration drops them too, so both backends agree. Folded (no accents).
STOP_WORDS = frozenset(
    str.split("""au aux avec ce ces dans de des du elle en et eux il ils je la le les leur
    leurs lui ma mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses
    son sur ta te tes toi ton tu un une vos votre vous est sont cette cet"""),
)


@dataclass
class Term:
    words: list[str]  # one word, or the words of a phrase
    prefix: bool = False  # the last word may be the start of a longer word
    negated: bool = False
    isbn: bool = False  # an ISBN-13, matched in the ISBN field only


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    blank: bool = True  # nothing was typed: browse the whole catalogue
    dropped: list[str] = field(default_factory=list)  # stop words left out of the terms

    @property
    def only_stop_words(self) -> bool:
        """Nothing searchable is left but words too common to search ("le", "les de la")."""
        return self.matches_nothing and bool(self.dropped)

    @property
    def positive(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    @property
    def matches_nothing(self) -> bool:
        """Something was typed but nothing searchable is left ("***", only stop words…)."""
        return not self.blank and not self.positive


def words_of(text: str) -> list[str]:
    """The searchable words of a text, folded, as a query's are split."""
    words = _WORD_SPLIT.split(fold(text))
    return [w[:MAX_WORD_CHARS] for w in words if w and (len(w) > 1 or w.isdigit())]


def phrase_words(text: str) -> list[str]:
    """The words of a quoted phrase, folded. Stop words and single letters stay inside a
    phrase: they keep the other words' positions."""
    return [w for w in _WORD_SPLIT.split(fold(text)) if w][:MAX_TERMS]


def searchable(words: list[str]) -> bool:
    """A phrase holds a word worth searching (not only stop words and single letters)."""
    return any(w not in STOP_WORDS and len(w) > 1 for w in words)


def isbn_of(raw: str) -> str | None:
    """The ISBN-13 a typed token is ("2-07-054127-4", "9782070541270"), or None."""
    return normalise_isbn(raw) if _ISBN_LIKE.match(raw) else None


def parse(q: str) -> ParsedQuery:
    q = (q or "")[:MAX_QUERY_CHARS]
    if not q.strip():
        return ParsedQuery()
    terms: list[Term] = []
    dropped: list[str] = []
    ends_open = not q[-1].isspace() and not q.rstrip().endswith('"')
    tokens = list(_TOKEN.finditer(q))
    for index, match in enumerate(tokens):
        if match.group(2) is not None:  # a quoted phrase
            words = phrase_words(match.group(2))
            if searchable(words):
                terms.append(Term(words=words, negated=bool(match.group(1))))
            else:
                dropped += [w for w in words if w in STOP_WORDS]
            continue
        negated, raw = bool(match.group(3)), match.group(4)
        if _ISBN_LIKE.match(raw):
            isbn = isbn_of(raw)
            if isbn:
                terms.append(Term(words=[isbn], negated=negated, isbn=True))
                continue
            raw = raw.replace("-", "")
        words = words_of(raw)
        dropped += [w for w in words if w in STOP_WORDS]
        words = [w for w in words if w not in STOP_WORDS]
        if not words:
            continue
        if negated:
            terms.append(Term(words=words, negated=True))
            continue
        last_token = index == len(tokens) - 1
        for position, word in enumerate(words):
            prefix = (
                last_token
                and ends_open
                and position == len(words) - 1
                and len(word) >= MIN_PREFIX_CHARS
                and not word.isdigit()
            )
            terms.append(Term(words=[word], prefix=prefix))
    return ParsedQuery(terms=terms[:MAX_TERMS], blank=False, dropped=dropped)
