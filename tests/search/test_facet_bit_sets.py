"""Facets and filters read bit sets for ids up to 315 (libraries) or 63 (item types) and the
" 3 17 " id lists beyond: both paths give the same answers."""

import pytest

from maillon.catalogue.models import SearchEntry
from maillon.catalogue.search import SearchQuery, facets, search

from .test_facets import build


def answers(network) -> list:
    out = []
    for query in (
        SearchQuery(q="jardins"),
        SearchQuery(q="", per_page=10),
        SearchQuery(q="jardins", libraries=["BBB"]),
        SearchQuery(q="", libraries=["AAA"], available_now=True),
        SearchQuery(q="", item_types=["DVD", "LIVJ"]),
    ):
        result = search(query)
        out.append(
            (
                result.total,
                sorted(result.ids),
                {name: [tuple(v) for v in values] for name, values in result.facets.items()},
            )
        )
    return out


# Ids start at 1 so that the bit sets are in use, on PostgreSQL too (its sequences are not reset
# between ordinary tests).
small_ids = pytest.mark.django_db(transaction=True, reset_sequences=True)


@small_ids
def test_bit_sets_mirror_the_id_lists(network):
    one, _two, _three = build(network)
    entry = SearchEntry.objects.get(record=one)
    held = [int(pk) for pk in entry.libraries.split()]
    assert entry.library_bits == sum(1 << (pk - 1) for pk in held)
    assert entry.library_bits_1 == 0
    available = [int(pk) for pk in entry.available_libraries.split()]
    assert entry.available_bits == sum(1 << (pk - 1) for pk in available)
    assert entry.type_bits == sum(1 << (int(pk) - 1) for pk in entry.item_types.split())


@small_ids
def test_large_ids_fall_back_to_the_id_lists(network, monkeypatch):
    build(network)
    with_bits = answers(network)
    assert facets.network().library_words and facets.network().type_words
    # As if the network had libraries or item types numbered beyond the bit sets.
    monkeypatch.setattr(facets, "LIBRARY_WORDS", 0)
    monkeypatch.setattr(facets, "TYPE_WORDS", 0)
    assert not facets.network().library_words and not facets.network().type_words
    assert answers(network) == with_bits


@pytest.mark.parametrize("sort", ["relevance", "title", "author", "year", "new"])
def test_a_sampled_page_is_sorted_like_an_exact_one(network, monkeypatch, sort):
    from maillon.catalogue.search import engine, rebuild_index

    from .conftest import make_record

    for n in range(40):
        make_record(
            f"Histoire {n:02d}",
            year=1990 + n % 7 if n % 5 else None,
            authors=[f"Auteur {(n * 7) % 40:02d}"],
            index=False,
        )
    rebuild_index()
    exact = search(SearchQuery(q="histoire", sort=sort, per_page=40))
    # The approximate path sorts its sample in Python: the same order as the database's.
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    # Under half the matches: a sample. The engine would read them all, exactly, if its probe
    # guessed a sample must hold most of them, and PostgreSQL's probe follows the heap's order,
    # which earlier tests leave shuffled: keep to the sampled path whatever the guess.
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 19)
    monkeypatch.setattr(engine, "_all_if_few", lambda *args: None)
    sampled = search(SearchQuery(q="histoire", sort=sort, per_page=40))
    assert sampled.approximate and len(sampled.ids) >= 10
    assert sampled.ids == [pk for pk in exact.ids if pk in set(sampled.ids)]
