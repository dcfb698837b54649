"""A département's network: library ids up to 315 have their bits in five words, and facets
and filters count right for libraries far beyond 63; beyond 315 the id lists answer the same."""

import pytest

from maillon.catalogue.models import ItemStatus, SearchEntry
from maillon.catalogue.search import SearchQuery, facets, search
from maillon.network.models import Library, LibraryKind

from .conftest import add_item, make_record

# Word boundaries (63 ids a word) and the far end of a 300-library network.
IDS = (1, 63, 64, 126, 127, 200, 252, 253, 300, 315)


def library(pk: int) -> Library:
    return Library.objects.create(
        id=pk, code=f"L{pk}", name=f"Bibliothèque {pk}", kind=LibraryKind.MEMBER, commune="X"
    )


@pytest.fixture
def records(db):
    at = {pk: library(pk) for pk in IDS}
    one = make_record("Jardins de Bretagne")
    add_item(one, at[1], status=ItemStatus.ON_LOAN)
    add_item(one, at[64])
    two = make_record("Jardins d'hiver")
    for pk in (126, 127, 300):
        add_item(two, at[pk])
    three = make_record("Jardins du monde")
    add_item(three, at[63])
    add_item(three, at[253])
    add_item(three, at[315], status=ItemStatus.ON_LOAN)
    four = make_record("Potager")
    add_item(four, at[200], status=ItemStatus.ON_LOAN)
    five = make_record("Jardins ouvriers")
    add_item(five, at[64], status=ItemStatus.ON_LOAN)
    add_item(five, at[300])
    return at, (one, two, three, four, five)


def counts(result, name: str = "library") -> dict[str, int]:
    return {value: count for value, _label, count in result.facets[name]}


def test_words_hold_each_library_at_its_bit(records):
    _at, (_one, two, three, *_rest) = records
    entry = SearchEntry.objects.get(record=two)
    # 126 → word 1, bit 62; 127 → word 2, bit 0; 300 → word 4, bit 47.
    assert (entry.library_bits, entry.library_bits_1, entry.library_bits_2) == (0, 1 << 62, 1)
    assert (entry.library_bits_3, entry.library_bits_4) == (0, 1 << 47)
    entry = SearchEntry.objects.get(record=three)
    assert entry.library_bits == 1 << 62 and entry.library_bits_4 == (1 << 0) | (1 << 62)
    assert entry.available_bits_4 == 1 << 0  # on loan at 315: held, not available


def answers() -> list:
    out = []
    for query in (
        SearchQuery(q=""),
        SearchQuery(q="jardins"),
        SearchQuery(q="", libraries=["L300"]),
        SearchQuery(q="jardins", libraries=["L64", "L253"]),
        SearchQuery(q="", libraries=["L315"]),
        SearchQuery(q="", libraries=["L315"], available_now=True),
        SearchQuery(q="", libraries=["L64", "L200"], available_now=True),
        SearchQuery(q="jardins ", libraries=["L64", "L253"]),  # a whole word, no prefix
        SearchQuery(q="jardins -bretagne ", libraries=["L300", "L64"], available_now=True),
    ):
        result = search(query)
        out.append((result.total, sorted(result.ids), counts(result)))
    return out


def test_facets_and_filters_beyond_63(records):
    _at, (one, two, three, four, five) = records
    every = answers()
    total, ids, libraries = every[0]
    assert total == 5 and ids == sorted(r.pk for r in records[1])
    assert libraries == {
        "L1": 1,
        "L63": 1,
        "L64": 2,
        "L126": 1,
        "L127": 1,
        "L200": 1,
        "L253": 1,
        "L300": 2,
        "L315": 1,
    }
    assert every[1] == (
        4,
        sorted([one.pk, two.pk, three.pk, five.pk]),
        {k: v for k, v in libraries.items() if k != "L200"},  # four is no garden
    )
    assert every[2] == (
        2,
        sorted([two.pk, five.pk]),
        {"L64": 1, "L126": 1, "L127": 1, "L300": 2},
    )
    assert every[3] == (
        3,
        sorted([one.pk, three.pk, five.pk]),
        {"L1": 1, "L63": 1, "L64": 2, "L253": 1, "L300": 1, "L315": 1},
    )
    assert every[4][:2] == (1, [three.pk])
    assert every[5][:2] == (0, [])
    assert every[6][:2] == (1, [one.pk])  # five is on loan at 64, four at 200


def test_the_id_lists_answer_the_same(records, monkeypatch):
    with_bits = answers()
    assert facets.network().library_words == 5
    monkeypatch.setattr(facets, "LIBRARY_WORDS", 0)
    assert facets.network().library_words == 0
    assert answers() == with_bits


def test_a_library_beyond_the_words_falls_back_to_the_id_lists(records):
    _at, (one, *_rest) = records
    with_bits = answers()
    add_item(one, library(400))
    assert facets.network().library_words == 0
    result = search(SearchQuery(q="", libraries=["L400"]))
    assert result.ids == [one.pk] and counts(result)["L400"] == 1
    # Everything else answers as before, L400 aside (it holds the first record).
    again = answers()
    for _total, ids, libraries in again:
        assert libraries.pop("L400", 0) == (one.pk in ids)
    assert again == with_bits


def test_a_network_of_63_libraries_reads_one_word():
    known = facets.Network({pk: ("", "") for pk in range(1, 64)}, {})
    assert known.library_words == 1
    assert facets.facet_columns(known).count("library_bits") == 1
    known = facets.Network({pk: ("", "") for pk in range(1, 301)}, {})
    assert known.library_words == 5


def test_filters_read_from_the_pairs_answer_the_same(records, monkeypatch):
    """Libraries holding few copies: their records are read first, from the (library, record)
    pairs, then each one's entry and words checked — the same answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maillon.catalogue.search import engine
    from maillon.catalogue.search.backends.sqlite import SqliteBackend

    monkeypatch.setattr(engine, "_holdings", (-engine.SHARES_TTL, {}, 0))  # counted afresh
    with CaptureQueriesContext(connection) as bits:
        with_bits = answers()
    one, two, three, _four, five = records[1]
    assert with_bits[7][:2] == (3, sorted([one.pk, three.pk, five.pk]))
    assert with_bits[8][:2] == (2, sorted([two.pk, five.pk]))  # on the shelf, not "bretagne"
    monkeypatch.setattr(engine, "SMALL_SHARE", 2.0)  # every library holds "few" copies
    monkeypatch.setattr(SqliteBackend, "SEEK_COST", 0)  # SQLite: the pairs first, words or not
    with CaptureQueriesContext(connection) as pairs:
        assert answers() == with_bits
    assert not [q for q in bits.captured_queries if "FROM catalogue_searchholding h " in q["sql"]]
    held = [q for q in pairs.captured_queries if "FROM catalogue_searchholding h " in q["sql"]]
    # Every query with libraries; on SQLite, not the prefix "jardins" (see prefers_held).
    assert len(held) == (7 if connection.vendor == "postgresql" else 6)


def test_library_shares_are_the_records_each_library_holds(records, monkeypatch):
    from maillon.catalogue.search import engine

    at, _records = records
    monkeypatch.setattr(engine, "_holdings", (-engine.SHARES_TTL, {}, 0))
    shares = engine.library_shares()
    # Five records; library 300 holds two of them, library 1 one (its copy is on loan).
    assert shares[at[300].pk] == pytest.approx(2 / 5)
    assert shares[at[1].pk] == pytest.approx(1 / 5)
    assert len(shares) == 9  # every library of the network holds something
