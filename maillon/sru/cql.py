"""CQL 1.2 (loc.gov/standards/sru/cql), the subset an SRU server of a catalogue answers:
search clauses (``index relation term``, or a bare term), the booleans ``and``, ``or`` and
``not`` (equal precedence, left to right, as the grammar says), parentheses, quoted terms with
backslash escapes.

What the grammar has and this server does not do is refused with its SRU diagnostic, not
misread: proximity (39), boolean or relation modifiers (46, 20), prefix assignments (48),
``sortBy`` (80). No CQL parser on PyPI is both complete and maintained (``cql-parser`` says its
prefix handling is unfinished), and the subset is a page of recursive descent.

A term keeps its unescaped masking characters (``*``, ``?``) for the search to read; an escaped
one (``\\*``) is a literal character, dropped like any other punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from maillon.sru.diagnostics import Diagnostic

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 20  # nested parentheses

BOOLEANS = ("and", "or", "not")
SYMBOLS = ("==", "<>", "<=", ">=", "=", "<", ">")
# A bare word: anything but spaces, parentheses, quotes, "/" and the comparison symbols.
_TOKEN = re.compile(r'\s*(?:(==|<>|<=|>=|[=<>()/])|"((?:[^"\\]|\\.)*)("?)|([^\s()"/=<>]+))', re.S)


class CqlError(Diagnostic):
    """A query the server refuses, with its diagnostic."""


@dataclass(frozen=True)
class Clause:
    """``index relation term``; a bare term has the index ``cql.serverchoice`` and ``=``.
    Index and relation are lowercased (CQL names are case-insensitive)."""

    index: str
    relation: str
    term: str


@dataclass(frozen=True)
class Boolean:
    operator: str  # "and", "or", "not"
    left: Node
    right: Node


Node = Clause | Boolean


@dataclass(frozen=True)
class _Token:
    kind: str  # "symbol", "word" (bare) or "string" (quoted)
    text: str
    at: int


def _unescape(text: str) -> str:
    """A quoted term's text: ``\\"`` and ``\\\\`` are the characters, an escaped masking
    character a literal one (dropped by the search as punctuation)."""
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            if escaped not in "*?":
                out.append(escaped)
        else:
            out.append(char)
    return "".join(out)


def _unexpected(token: _Token) -> str:
    return _("“%(text)s” at character %(n)d") % {"text": token.text[:80], "n": token.at + 1}


def _tokens(query: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            if query[position:].strip():
                raise CqlError(10, _("character %(n)d") % {"n": position + 1})
            break
        symbol, string, closed, word = match.groups()
        at = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if symbol:
            tokens.append(_Token("symbol", symbol, at))
        elif string is not None:
            if not closed:
                raise CqlError(10, _("unclosed quote at character %(n)d") % {"n": at + 1})
            tokens.append(_Token("string", _unescape(string), at))
        elif word:
            tokens.append(_Token("word", word, at))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise CqlError(10, _("the query ends too soon"))
        self.position += 1
        return token

    def query(self) -> Node:
        token = self.peek()
        if token and token.kind == "symbol" and token.text == ">":
            raise CqlError(48, _("prefix assignments"))
        node = self.clause()
        while (token := self.peek()) is not None:
            if token.kind == "word" and token.text.lower() == "sortby":
                raise CqlError(80, "sortBy")
            if token.kind == "word" and token.text.lower() == "prox":
                raise CqlError(39, "prox")
            if token.kind != "word" or token.text.lower() not in BOOLEANS:
                break
            self.take()
            following = self.peek()
            if following and following.kind == "symbol" and following.text == "/":
                raise CqlError(46, token.text)
            node = Boolean(token.text.lower(), node, self.clause())
        return node

    def clause(self) -> Node:
        token = self.take()
        if token.kind == "symbol" and token.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise CqlError(38, _("more than %(n)d nested parentheses") % {"n": MAX_DEPTH})
            node = self.query()
            closing = self.take()
            if closing.kind != "symbol" or closing.text != ")":
                raise CqlError(10, _("“)” expected at character %(n)d") % {"n": closing.at + 1})
            self.depth -= 1
            return node
        if token.kind == "symbol":
            raise CqlError(
                10,
                _unexpected(token),
            )
        following = self.peek()
        if following is None or not self._relation_follows(following):
            if token.kind == "word" and token.text.lower() in BOOLEANS:
                raise CqlError(
                    10,
                    _unexpected(token),
                )
            return Clause("cql.serverchoice", "=", token.text)
        if token.kind == "string":
            raise CqlError(
                10,
                _("an index is a name, not a quoted string: %(text)s") % {"text": token.text[:80]},
            )
        relation = self.take().text.lower()
        modifier = self.peek()
        if modifier and modifier.kind == "symbol" and modifier.text == "/":
            raise CqlError(20, relation)
        term = self.take()
        if term.kind == "symbol":
            raise CqlError(10, _("a term was expected at character %(n)d") % {"n": term.at + 1})
        return Clause(token.text.lower(), relation, term.text)

    def _relation_follows(self, token: _Token) -> bool:
        """After a first word: a comparison symbol, or a named relation followed by a term."""
        if token.kind == "symbol":
            return token.text in SYMBOLS
        if token.kind != "word" or token.text.lower() in BOOLEANS + ("prox", "sortby"):
            return False
        after = self.peek(1)
        return after is not None and after.kind in ("word", "string")


def parse(query: str) -> Node:
    """The query's tree; raises CqlError (10: syntax error, or the feature's diagnostic)."""
    if len(query) > MAX_QUERY_CHARS:
        raise CqlError(10, _("more than %(n)d characters") % {"n": MAX_QUERY_CHARS})
    tokens = _tokens(query)
    if not tokens:
        raise CqlError(10, _("the query is empty"))
    parser = _Parser(tokens)
    node = parser.query()
    rest = parser.peek()
    if rest is not None:
        raise CqlError(10, _unexpected(rest))
    return node
