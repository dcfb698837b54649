import pytest

from maillon.catalogue.search import SearchQuery, search

from .conftest import make_record

ABSURD = [
    "***",
    '"',
    '""',
    "AND OR",
    "NOT",
    "-",
    "--x",
    "(",
    ")",
    "a:b",
    "title:",
    "^",
    "NEAR(a b)",
    "'",
    "\\",
    "%",
    "_",
    "*a",
    "a*",
    "{title}:x",
    "\x00",
    "…",
    "🙂",
    "x" * 5000,
    "le la les de",
    "é" * 300,
    "1",
    "-9782070612758",
    "' OR 1=1 --",
    "<script>",
    "&|!:*",
    " ",
    "\t\n",
]


@pytest.mark.parametrize("q", ABSURD)
def test_never_raises_and_answers_empty_or_full(db, q):
    make_record("Le jardin")
    make_record("Un autre livre")
    result = search(SearchQuery(q=q))
    assert result.total in (0, 2)
    assert len(result.hits) == result.total
    assert set(result.facets) == {
        "library",
        "item_type",
        "collection",
        "audience",
        "language",
        "year",
        "available",
    }


def test_blank_query_lists_the_catalogue(db):
    make_record("Le jardin")
    make_record("Un autre livre")
    result = search(SearchQuery(q="  "))
    assert result.browse and result.total == 2


def test_bad_paging_and_sort_are_clamped(db):
    make_record("Le jardin")
    result = search(SearchQuery(q="jardin", page=-3, per_page=10_000, sort="nonsense"))
    assert result.page == 1 and result.per_page == 100 and result.total == 1
    assert search(SearchQuery(q="jardin", page=10**9)).hits == []
