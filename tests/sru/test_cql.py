"""CQL as the parser reads it: clauses, booleans left to right, parentheses, quoted terms; and
every query it refuses, with the SRU diagnostic number."""

import pytest

from maillon.sru.cql import Boolean, Clause, CqlError, parse


def test_a_bare_term_is_a_server_choice_clause():
    assert parse("fish") == Clause("cql.serverchoice", "=", "fish")
    assert parse('"petit prince"') == Clause("cql.serverchoice", "=", "petit prince")


def test_index_relation_term_with_symbols_and_names():
    assert parse("dc.title = fish") == Clause("dc.title", "=", "fish")
    assert parse("dc.title==fish") == Clause("dc.title", "==", "fish")
    assert parse('DC.Title ANY "un deux"') == Clause("dc.title", "any", "un deux")
    assert parse("bath.isbn exact 2-07-054127-4") == Clause("bath.isbn", "exact", "2-07-054127-4")
    assert parse("rec.id <> 3") == Clause("rec.id", "<>", "3")


def test_booleans_have_one_precedence_and_read_left_to_right():
    a, b, c = (Clause("cql.serverchoice", "=", t) for t in "abc")
    assert parse("a and b or c") == Boolean("or", Boolean("and", a, b), c)
    assert parse("a AND (b or c)") == Boolean("and", a, Boolean("or", b, c))
    assert parse("a not b") == Boolean("not", a, b)
    assert parse("((a))") == a


def test_escapes_in_quoted_terms():
    assert parse(r'title = "le \"chat\""').term == 'le "chat"'
    assert parse(r'title = "a\\b"').term == "a\\b"
    # An escaped masking character is a literal one, no longer a mask.
    assert parse(r'title = "pot\*"').term == "pot"
    assert parse('title = "pot*"').term == "pot*"


def test_boolean_words_may_be_quoted_terms():
    assert parse('title = "and"') == Clause("title", "=", "and")
    assert parse('"or"') == Clause("cql.serverchoice", "=", "or")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", 10),
        ("   ", 10),
        ("(fish", 10),
        ("fish)", 10),
        ("fish and", 10),
        ("and fish", 10),
        ("dc.title =", 10),
        ('title = "unclosed', 10),
        ("fish cat", 10),
        ('"dc.title" = fish', 10),
        ("= fish", 10),
        ("a prox b", 39),
        ("a and/rel.algorithm=cql b", 46),
        ("title =/relevant fish", 20),
        ("fish sortBy dc.title", 80),
        ('> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title = fish', 48),
        ("(" * 25 + "fish" + ")" * 25, 38),
        ("x" * 2001, 10),
    ],
)
def test_refused_queries_and_their_diagnostics(query, code):
    with pytest.raises(CqlError) as error:
        parse(query)
    assert error.value.code == code
    assert error.value.uri == f"info:srw/diagnostic/1/{code}"
    assert error.value.details


def test_a_syntax_error_says_where():
    with pytest.raises(CqlError) as error:
        parse("fish cat")
    assert "cat" in error.value.details and "6" in error.value.details
