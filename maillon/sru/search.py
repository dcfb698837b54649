"""From a CQL tree (cql.py) to the catalogue's own search by field (catalogue.search.fielded).

Indexes, under the names SRU clients use (Dublin Core, Bath, the BnF's ``bib``, ``rec``,
unprefixed): title, author, subject (subjects and series), ISBN, record number, and anywhere
(``cql.anywhere``, ``cql.serverChoice``: a bare term). Words are read as the reader's search
box reads them (folded, French stop words left out, an ISBN typed anywhere sought as one).

Relations: ``all`` every word (as the search box takes words), ``any`` one of them; ``=`` and
``adj`` the words in a row (as the search box takes a quoted phrase; one word is just that
word); ``==`` and ``exact`` the whole title (title) or the words in a row (other indexes).
Right truncation with ``*`` at the end of a word (``pot*``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue.marc.keys import fold
from maillon.catalogue.search import fielded
from maillon.catalogue.search.parse import (
    MAX_TERMS,
    MIN_PREFIX_CHARS,
    STOP_WORDS,
    Term,
    isbn_of,
    phrase_words,
    searchable,
    words_of,
)
from maillon.oai.repository import prefix as oai_prefix
from maillon.sru.cql import Boolean, Clause, CqlError
from maillon.sru.cql import Node as CqlNode

# Index name (lowercased) → field of catalogue.search.fielded (None: anywhere), or "id".
INDEXES: dict[str, str | None] = {
    **dict.fromkeys(
        ("cql.anywhere", "cql.serverchoice", "cql.keywords", "anywhere", "bib.anywhere"), None
    ),
    **dict.fromkeys(("dc.title", "bath.title", "bib.title", "title"), "title"),
    **dict.fromkeys(
        ("dc.creator", "dc.author", "bath.author", "bath.name", "bib.author", "author"), "author"
    ),
    **dict.fromkeys(("dc.subject", "bath.subject", "bib.subject", "subject"), "subject"),
    **dict.fromkeys(("bath.isbn", "bib.isbn", "isbn"), "isbn"),
    **dict.fromkeys(("rec.id", "bib.recordid", "recordid"), "id"),
}
# What explain lists: one name per index (the others are accepted too).
ADVERTISED = {
    "cql.anywhere": gettext_lazy("Anywhere in the record"),
    "dc.title": gettext_lazy("Title"),
    "dc.creator": gettext_lazy("Author"),
    "dc.subject": gettext_lazy("Subject"),
    "bath.isbn": gettext_lazy("ISBN"),
    "rec.id": gettext_lazy("Record number"),
}
WORD_RELATIONS = ("=", "all", "any", "adj", "==", "exact")
RELATIONS = {
    "title": WORD_RELATIONS,
    "author": WORD_RELATIONS,
    "subject": WORD_RELATIONS,
    None: WORD_RELATIONS,
    "isbn": ("=", "==", "exact", "any", "all"),
    "id": ("=", "==", "exact", "any"),
}
MAX_CLAUSES = 30


def tree(node: CqlNode) -> fielded.Node:
    """The catalogue's query for a CQL tree; raises CqlError with the SRU diagnostic."""
    if _clauses(node) > MAX_CLAUSES:
        raise CqlError(38, _("more than %(n)d search clauses") % {"n": MAX_CLAUSES})
    return _tree(node)


def _clauses(node: CqlNode) -> int:
    if isinstance(node, Boolean):
        return _clauses(node.left) + _clauses(node.right)
    return 1


def _tree(node: CqlNode) -> fielded.Node:
    if isinstance(node, Boolean):
        left, right = _tree(node.left), _tree(node.right)
        if node.operator == "not":
            return fielded.Without(left, right)
        return (fielded.Every if node.operator == "and" else fielded.Some)((left, right))
    return clause(node)


def clause(node: Clause) -> fielded.Node:
    if node.index not in INDEXES:
        known_set = node.index.partition(".")[0] in ("cql", "dc", "bath", "bib", "rec")
        raise CqlError(16 if known_set or "." not in node.index else 15, node.index)
    field = INDEXES[node.index]
    if node.relation not in RELATIONS[field]:
        code = 22 if node.relation in WORD_RELATIONS else 19
        raise CqlError(code, node.relation)
    if not node.term.strip():
        raise CqlError(27, node.index)
    if field == "id":
        return _record_ids(node.term)
    if field == "isbn":
        return _isbns(node.term, node.relation)
    if node.relation in ("==", "exact") and field == "title":
        if "*" in node.term or "?" in node.term:
            raise CqlError(28, node.term[:80])
        return fielded.TitleIs(" ".join(fold(node.term).split()))
    if node.relation in ("all", "any"):
        return _words(node.term, field, phrase=False, some=node.relation == "any")
    return _words(node.term, field, phrase=True)


def _joined(parts: list[fielded.Node], some: bool) -> fielded.Node:
    if len(parts) == 1:
        return parts[0]
    return fielded.Some(tuple(parts)) if some else fielded.Every(tuple(parts))


def _masked(token: str) -> tuple[str, bool]:
    """A word as typed without its right truncation, and whether it had one. A question mark
    ending a word or standing alone ends a question ("Où es-tu ?"), as a pasted title has it:
    punctuation, not a mask; a lone "*" is punctuation too."""
    token = token.rstrip("?")
    if not token.strip("*"):
        return "", False
    if "?" in token or "*" in token.rstrip("*"):
        raise CqlError(28, token[:80])
    stripped = token.rstrip("*")
    if len(token) - len(stripped) > 1:
        raise CqlError(30, token[:80])
    return stripped, stripped != token


def _words(text: str, field: str | None, phrase: bool, some: bool = False) -> fielded.Node:
    """All the words typed in a row (a phrase), or each word typed (``all``, ``any``) as the
    search box takes words: stop words left out, a word that holds several (``jean-paul``)
    each of them, an ISBN typed anywhere sought as an ISBN."""
    tokens = text.split()
    if phrase:
        masked = [_masked(token) for token in tokens]
        if any(prefix for _word, prefix in masked[:-1]):
            raise CqlError(28, text[:80])
        last, prefix = masked[-1]
        isbn = isbn_of(last) if field is None and not prefix and len(tokens) == 1 else None
        if isbn:
            return fielded.Words(Term(words=[isbn], isbn=True), None)
        words = phrase_words(" ".join(word for word, _prefix in masked))
        _check_prefix(words, prefix, last)
        if not searchable(words):
            raise CqlError(35 if words else 27, text[:80])
        return fielded.Words(Term(words=words, prefix=prefix), field)
    parts: list[fielded.Node] = []
    dropped = False
    for token in tokens[:MAX_TERMS]:
        typed, prefix = _masked(token)
        isbn = isbn_of(typed) if field is None and not prefix else None
        if isbn:
            parts.append(fielded.Words(Term(words=[isbn], isbn=True), None))
            continue
        words = words_of(typed)
        _check_prefix(words, prefix, typed)
        kept = [w for w in words if w not in STOP_WORDS or (prefix and w == words[-1])]
        dropped = dropped or len(kept) < len(words)
        if kept:
            end = len(kept) - 1
            terms = [Term(words=[w], prefix=prefix and i == end) for i, w in enumerate(kept)]
            parts.append(_joined([fielded.Words(t, field) for t in terms], some=False))
    if not parts:
        raise CqlError(35 if dropped else 27, text[:80])
    return _joined(parts, some)


def _check_prefix(words: list[str], prefix: bool, typed: str) -> None:
    if prefix and (not words or len(words[-1]) < MIN_PREFIX_CHARS):
        raise CqlError(29, typed[:80])


def _isbns(text: str, relation: str) -> fielded.Node:
    """Each ISBN typed (10 or 13 characters, hyphens or not), or the start of one (``978207*``)."""
    parts: list[fielded.Node] = []
    for token in text.split()[:MAX_TERMS]:
        typed, prefix = _masked(token)
        digits = typed.replace("-", "").upper()
        isbn = None if prefix else isbn_of(typed)
        if not isbn and not (digits[:-1].isdigit() and (digits[-1].isdigit() or digits[-1] == "X")):
            raise CqlError(36, token[:80])
        if prefix and len(digits) < MIN_PREFIX_CHARS:
            raise CqlError(29, token[:80])
        parts.append(fielded.Words(Term(words=[isbn or digits], prefix=prefix), "isbn"))
    return _joined(parts, some=relation == "any")


def _record_ids(text: str) -> fielded.Node:
    """Record numbers, or the OAI-PMH identifiers of the records (``oai:maillon:12``)."""
    ids = []
    for token in text.split()[:MAX_TERMS]:
        number = token.removeprefix(oai_prefix())
        if not number.isdigit() or len(number) > 18:
            raise CqlError(36, token[:80])
        ids.append(int(number))
    return fielded.Ids(tuple(ids))
