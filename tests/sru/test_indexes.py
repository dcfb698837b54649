"""Each index, relation and boolean finds what it should in a small catalogue, through the
endpoint; merged-away records are never found."""

import pytest

from maillon.oai.repository import identifier

from .conftest import count, diagnostic, ids, search

pytestmark = pytest.mark.django_db


def found(client, query: str) -> set[int]:
    document = search(client, query, maximumRecords="50")
    assert not document.xpath("//*[local-name()='diagnostic']"), query
    return set(ids(document))


def names(shelf, *keys) -> set[int]:
    return {shelf[key].pk for key in keys}


@pytest.mark.parametrize("index", ["dc.title", "bath.title", "bib.title", "title", "DC.TITLE"])
def test_title(client, shelf, index):
    assert found(client, f"{index} = prince") == names(shelf, "petit_prince", "prince")


@pytest.mark.parametrize("index", ["dc.creator", "dc.author", "bath.author", "bib.author"])
def test_author(client, shelf, index):
    assert found(client, f"{index} = prince") == names(shelf, "poterie")
    assert found(client, f'{index} all "saint-exupery"') == names(shelf, "petit_prince", "terre")


def test_author_without_accents_or_with_them(client, shelf):
    assert found(client, "dc.creator = exupéry") == found(client, "dc.creator = EXUPERY")


def test_subject(client, shelf):
    assert found(client, "dc.subject = aviation") == names(shelf, "petit_prince", "terre")
    assert found(client, "dc.subject = ceramique") == names(shelf, "poterie")
    assert found(client, "dc.subject = prince") == set()


def test_isbn_in_every_usual_form(client, shelf):
    isbn = shelf["petit_prince"].isbn
    hyphenated = f"{isbn[:3]}-{isbn[3]}-{isbn[4:6]}-{isbn[6:12]}-{isbn[12]}"
    isbn10 = "2070612759"  # the same book's ISBN-10
    for typed in (isbn, hyphenated, isbn10):
        assert found(client, f"bath.isbn = {typed}") == names(shelf, "petit_prince"), typed
    assert found(client, f"bath.isbn exact {isbn}") == names(shelf, "petit_prince")
    both = f'bib.isbn any "{isbn} {shelf["potter"].isbn}"'
    assert found(client, both) == names(shelf, "petit_prince", "potter")
    assert found(client, "isbn = 97820706*") == names(shelf, "petit_prince")
    assert found(client, "bath.isbn = 9780000000002") == set()


def test_an_isbn_typed_anywhere_is_sought_as_an_isbn(client, shelf):
    assert found(client, shelf["potter"].isbn) == names(shelf, "potter")


@pytest.mark.parametrize("index", ["cql.anywhere", "cql.serverChoice", "anywhere", "bib.anywhere"])
def test_anywhere(client, shelf, index):
    assert found(client, f"{index} = aviation") == names(shelf, "petit_prince", "terre")
    assert found(client, f"{index} = prince") == names(shelf, "petit_prince", "prince", "poterie")


def test_a_bare_term_searches_anywhere(client, shelf):
    assert found(client, "prince") == names(shelf, "petit_prince", "prince", "poterie")
    assert found(client, '"petit prince"') == names(shelf, "petit_prince")
    both = 'cql.anywhere all "saint-exupéry aviation"'
    assert found(client, both) == names(shelf, "petit_prince", "terre")


def test_record_number_and_oai_identifier(client, shelf):
    pk = shelf["terre"].pk
    assert found(client, f"rec.id = {pk}") == {pk}
    assert found(client, f"bib.recordid == {pk}") == {pk}
    assert found(client, f'rec.id = "{identifier(pk)}"') == {pk}
    other = shelf["prince"].pk
    assert found(client, f'rec.id any "{pk} {other}"') == {pk, other}


def test_relations_all_any_adj_exact(client, shelf):
    assert found(client, 'dc.title all "petit prince"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title all "prince petit"') == names(shelf, "petit_prince")
    # = takes a quoted term as a phrase, as the search box does.
    assert found(client, 'dc.title = "petit prince"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title = "prince petit"') == set()
    assert found(client, 'dc.title any "petit poterie"') == names(shelf, "petit_prince", "poterie")
    assert found(client, 'dc.title adj "petit prince"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title adj "prince petit"') == set()
    # exact and ==: the whole title, whatever the case, accents and spaces.
    assert found(client, 'dc.title exact "Le Prince"') == names(shelf, "prince")
    assert found(client, 'dc.title == "le  prince"') == names(shelf, "prince")
    assert found(client, 'dc.title exact "Prince"') == set()
    # Elsewhere, exact is the words in a row.
    assert found(client, 'dc.creator exact "saint exupery antoine"') == names(
        shelf, "petit_prince", "terre"
    )


def test_stop_words_are_left_out_as_in_the_search_box(client, shelf):
    assert found(client, 'dc.title all "le petit prince"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title all "l\'école"') == names(shelf, "potter")
    # In a phrase, stop words and single letters keep the other words' places.
    assert found(client, 'dc.title = "harry potter à l\'école"') == names(shelf, "potter")
    assert found(client, 'dc.title = "harry potter ecole"') == set()


def test_right_truncation(client, shelf):
    assert found(client, "dc.title = pot*") == names(shelf, "potter", "poterie")
    assert found(client, 'dc.title all "harry pot*"') == names(shelf, "potter")
    assert found(client, 'dc.title adj "harry pot*"') == names(shelf, "potter")
    assert found(client, 'dc.title = "harry pot*"') == names(shelf, "potter")


def test_a_question_mark_ending_a_word_is_punctuation(client, shelf):
    """As a pasted title has it ("Où es-tu ?"): not a mask, which CQL would make it."""
    assert found(client, 'dc.title all "petit prince ?"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title = "le petit prince?"') == names(shelf, "petit_prince")
    assert found(client, 'dc.title all "prince *"') == names(shelf, "petit_prince", "prince")


def test_booleans_and_parentheses(client, shelf):
    assert found(client, "dc.title = prince and dc.creator = machiavel") == names(shelf, "prince")
    assert found(client, "dc.title = poterie or dc.subject = politique") == names(
        shelf, "poterie", "prince"
    )
    assert found(client, "prince not dc.creator = machiavel") == names(
        shelf, "petit_prince", "poterie"
    )
    query = "(dc.title = prince or dc.title = poterie) and dc.subject = aviation"
    assert found(client, query) == names(shelf, "petit_prince")
    query = "dc.title = prince or (dc.title = poterie and dc.subject = aviation)"
    assert found(client, query) == names(shelf, "petit_prince", "prince")


def test_record_numbers_mix_with_words(client, shelf):
    pk = shelf["terre"].pk
    assert found(client, f"rec.id = {pk} or dc.title = poterie") == names(shelf, "terre", "poterie")
    assert found(client, f"dc.subject = aviation not rec.id = {pk}") == names(shelf, "petit_prince")
    assert found(client, 'dc.title exact "le prince" or dc.title = poterie') == names(
        shelf, "prince", "poterie"
    )


def test_merged_records_are_never_found(client, shelf):
    assert found(client, "dc.title = doublon") == set()
    assert count(search(client, "dc.creator = exupery")) == 2


def test_the_title_typed_comes_first(client, shelf):
    document = search(client, "dc.title = prince")
    assert ids(document)[0] == shelf["prince"].pk


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("dc.publisher = gallimard", 16),
        ("bath.issn = 1234-5678", 16),
        ("nowhere = prince", 16),
        ("foo.title = prince", 15),
        ("dc.title < prince", 19),
        ("dc.title within prince", 19),
        ("rec.id all 3", 22),
        ("bath.isbn adj 9782070612758", 22),
        ('dc.title = ""', 27),
        ('dc.title = "  "', 27),
        ("dc.title = le", 35),
        ('dc.title all "le la les"', 35),
        ("dc.title = p*", 29),
        ("dc.title = *tter", 28),
        ("dc.title = po?ter", 28),
        ('dc.title adj "pot* harry"', 28),
        ('dc.title exact "pot*"', 28),
        ("dc.title = pott**", 30),
        ("rec.id = trois", 36),
        ("bath.isbn = abc", 36),
        (" or ".join(["dc.title = prince"] * 31), 38),
    ],
)
def test_query_diagnostics(client, shelf, query, code):
    document = search(client, query)
    assert diagnostic(document)[0] == code
    assert count(document) == 0
