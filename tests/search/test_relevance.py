"""Relevance without the databases' scores: words in the title first, then in the author's
name, then the shortest title; and bounded costs for common words."""

import pytest
from django.db import connection

from maillon.catalogue.search import SearchQuery, engine, search
from maillon.catalogue.search.backends.base import Sample

from .conftest import add_item, make_record


def titles(**query) -> list[str]:
    return [hit.title for hit in search(SearchQuery(**query)).hits]


def test_title_then_author_then_shorter_title(db):
    make_record("Souvenirs", summary="Une enfance au jardin.")
    make_record("Promenades", authors=["Jardin, Alexandre"])
    make_record("Le jardin extraordinaire de la rue des Lilas")
    make_record("Jardin")
    assert titles(q="jardin ") == [
        "Jardin",
        "Le jardin extraordinaire de la rue des Lilas",
        "Promenades",
        "Souvenirs",
    ]


def test_more_words_in_the_title_rank_higher(db):
    make_record("Cuisine", subjects=["Bretagne"])
    make_record("Cuisine de Bretagne")
    assert titles(q="cuisine bretagne ") == ["Cuisine de Bretagne", "Cuisine"]


def test_the_page_is_ranked_the_same_when_sampled(db, monkeypatch):
    from maillon.catalogue.search import rebuild_index

    make_record("Voyage", authors=["Voyage, Paul"], index=False)
    for n in range(30):
        make_record(
            f"Guide numéro {n} du voyageur",
            summary="voyage",
            authors=["Voyage, Anne"] if n % 4 == 0 else [],
            index=False,
        )
    make_record("Voyage en Italie", index=False)
    rebuild_index()
    exact = search(SearchQuery(q="voyage ", per_page=50))
    assert [hit.title for hit in exact.hits][:2] == ["Voyage", "Voyage en Italie"]
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 12)
    # The sampled path, whatever the probe guessed of the density (on PostgreSQL it follows the
    # heap's order, which earlier tests leave shuffled).
    monkeypatch.setattr(engine, "_all_if_few", lambda *args: None)
    sampled = search(SearchQuery(q="voyage ", per_page=50))
    assert sampled.approximate and len(sampled.ids) >= 8
    assert sampled.ids == [pk for pk in exact.ids if pk in set(sampled.ids)]


def test_a_sample_holding_most_matches_reads_them_all(db, monkeypatch):
    for n in range(12):
        make_record(f"Histoire {n}")
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    result = search(SearchQuery(q="histoire "))
    assert not result.approximate and result.total == 12


def test_a_common_word_is_not_taken_as_a_prefix(db, monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    for n in range(8):
        make_record(f"Le port numéro {n}")
    make_record("Un portrait")
    # "port" alone passes the limit: it is a word in its own right, not the start of one.
    assert "Un portrait" not in titles(q="port", per_page=50)
    # Below the limit the last word still completes while typing.
    assert titles(q="portr") == ["Un portrait"]


def test_filtered_matches_over_the_limit(network, monkeypatch):
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    for n in range(12):
        record = make_record(f"Histoire {n}", index=False)
        add_item(record, network["a"] if n % 3 else network["b"])
    result = search(SearchQuery(q="histoire ", libraries=["AAA"]))
    if connection.vendor == "sqlite":
        # The probe read the matches in id order past half the ids: the rest is read too,
        # and the answer is exact.
        assert not result.approximate and result.total == 8
    else:
        assert 4 <= result.total <= 16
    assert {hit.title for hit in result.hits} <= {f"Histoire {n}" for n in range(12) if n % 3}


@pytest.mark.parametrize("fraction", [1.0, 0.5, 0.01])
def test_sample_windows_never_overlap(fraction):
    sample = Sample(1, 1000, fraction, 16)
    windows = sample.windows()
    assert all(a <= b for a, b in windows)
    assert all(b < c for (_a, b), (c, _d) in zip(windows, windows[1:], strict=False))
    if fraction == 1.0:
        assert sum(b - a + 1 for a, b in windows) == 1000
