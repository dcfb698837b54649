import pytest

from maillon.catalogue.search import SearchQuery, engine, rebuild_index, search

from .conftest import add_item, make_record


@pytest.fixture
def small_limits(monkeypatch):
    # The real limits apply to tens of thousands of matches; shrink them to exercise the path.
    monkeypatch.setattr(engine, "EXACT_LIMIT", 20)
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 30)
    monkeypatch.setattr(engine, "SAMPLE_WINDOWS", 4)


def test_very_common_words_answer_an_estimate(network, small_limits, monkeypatch):
    # The sampled path, whatever the probe guessed of the density: PostgreSQL's probe follows
    # the heap, which earlier tests' updates reorder, and a guess of "few" reads all 120.
    monkeypatch.setattr(engine, "_all_if_few", lambda *args: None)
    for n in range(120):
        record = make_record(
            f"Histoire numéro {n}", audience="youth" if n % 3 else "adult", index=False
        )
        add_item(record, network["a"] if n % 2 else network["b"], index=n == 119)
    rebuild_index()
    make_record("Autre chose")

    result = search(SearchQuery(q="histoire", per_page=10))
    assert result.approximate
    assert 60 <= result.total <= 240  # the exact count would be 120
    assert len(result.hits) == 10
    assert all("Histoire" in hit.title for hit in result.hits)
    audience = {value: count for value, _label, count in result.facets["audience"]}
    assert set(audience) == {"adult", "youth"}
    assert audience["youth"] > audience["adult"]
    assert sum(audience.values()) == pytest.approx(result.total, rel=0.05)


def test_below_the_limit_everything_is_exact(network, small_limits):
    for n in range(15):
        make_record(f"Histoire numéro {n}")
    result = search(SearchQuery(q="histoire"))
    assert not result.approximate and result.total == 15
