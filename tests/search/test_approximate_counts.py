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


@pytest.fixture
def many_at_two(network):
    """120 "Histoire" records, half at library a, half at b."""
    for n in range(120):
        record = make_record(f"Histoire numéro {n}", index=False)
        add_item(record, network["a"] if n % 2 else network["b"], index=False)
    rebuild_index()
    return network


def refuse_probe(*args):
    raise AssertionError("the filtered probe was run")


def test_many_matches_at_big_libraries_are_sampled_without_the_filtered_probe(
    many_at_two, small_limits, monkeypatch
):
    """As on PostgreSQL, whose filtered probe scans the table: the words' density and the
    library's share of the records tell there are many matches, so a sample is read."""
    from maillon.catalogue.search.backends import backend

    monkeypatch.setattr(engine, "SAMPLE_SIZE", 10)
    monkeypatch.setattr(engine, "_holdings", (-engine.SHARES_TTL, {}, 0))
    monkeypatch.setattr(type(backend()), "estimates_filters", True)
    monkeypatch.setattr(engine, "_probe", refuse_probe)
    # The words' density as a probe in id order tells it (120 matches; PostgreSQL's heap, which
    # earlier tests reorder, may tell less: then the filtered probe runs, slower but right).
    monkeypatch.setattr(
        engine, "_fraction", lambda cursor, probe: (*engine._bounds(cursor), 10 / 120)
    )
    result = search(SearchQuery(q="histoire", libraries=["AAA"], per_page=5))
    assert result.approximate
    assert 30 <= result.total <= 120  # the exact count would be 60
    titles = {hit.title for hit in result.hits}
    assert len(titles) == 5 and all(int(t.split()[-1]) % 2 for t in titles)  # all at a
    browsing = search(SearchQuery(q="", libraries=["AAA"], per_page=5, sort="title"))
    assert browsing.approximate and 30 <= browsing.total <= 120
    # Without words, the page is read in order from the whole shelf: exact.
    assert [hit.title for hit in browsing.hits] == [
        f"Histoire numéro {n}" for n in sorted(range(1, 120, 2), key=str)[:5]
    ]


def test_an_estimate_that_finds_few_reads_every_match(many_at_two, small_limits, monkeypatch):
    """The libraries' share misjudged (a stale count): the sample is thin, every match is read
    and the answer is exact."""
    from maillon.catalogue.search.backends import backend

    few = make_record("Histoire de la Gâtine", index=False)
    add_item(few, many_at_two["head"])
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 10)
    monkeypatch.setattr(type(backend()), "estimates_filters", True)
    held = many_at_two["head"].pk
    monkeypatch.setattr(engine, "library_holdings", lambda: ({held: 121}, 121))
    estimated, densities = engine._estimated, []
    monkeypatch.setattr(
        engine, "_estimated", lambda *args: densities.append(estimated(*args)) or densities[-1]
    )
    result = search(SearchQuery(q="histoire", libraries=["HEAD"]))
    assert densities and densities[0] is not None  # a sample was read first
    assert not result.approximate
    assert result.total == 1 and result.hits[0].title == "Histoire de la Gâtine"


def test_an_empty_catalogue_filtered_by_library_answers_nothing(network, monkeypatch):
    """Found by the API's fuzzing on PostgreSQL: no record indexed, no bounds to estimate from."""
    from maillon.catalogue.search.backends import backend

    monkeypatch.setattr(type(backend()), "estimates_filters", True)
    for small in (0.0, 2.0):  # the libraries' bits, then their pairs
        monkeypatch.setattr(engine, "SMALL_SHARE", small)
        for q in ("", "histoire"):
            for available_now in (False, True):
                query = SearchQuery(q=q, libraries=["AAA"], available_now=available_now)
                result = search(query)
                assert (result.total, result.hits, result.approximate) == (0, [], False)
