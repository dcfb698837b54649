from maillon.catalogue.search import SearchQuery, search

from .conftest import make_record


def ids(q: str) -> list[int]:
    return search(SearchQuery(q=q)).ids


def test_isbn_13_with_or_without_hyphens(db):
    record = make_record("Le Petit Prince", isbn="9782070612758")
    make_record("Autre livre", isbn="9782070541270")
    assert ids("9782070612758") == [record.id]
    assert ids("978-2-07-061275-8") == [record.id]
    assert ids("978 2 07 061275 8") == []  # spaces split it into numbers: no record has them


def test_isbn_10_finds_the_isbn_13_record(db):
    record = make_record("Le Petit Prince", isbn="9782070612758")
    assert ids("2-07-061275-X") == []  # wrong check digit: not this ISBN
    assert ids("2070612759") == [record.id]
    assert ids("2-07-061275-9") == [record.id]
