from maillon.catalogue.models import ItemStatus
from maillon.catalogue.search import SearchQuery, search

from .conftest import add_item, make_record


def facet(result, name: str) -> dict[str, int]:
    return {value: count for value, _label, count in result.facets[name]}


def build(network):
    one = make_record("Jardins de France", year=1932, audience="adult", language="fre")
    add_item(one, network["a"], "LIVRE")
    add_item(one, network["b"], "LIVRE", status=ItemStatus.ON_LOAN)
    two = make_record("Jardins d'enfants", year=2015, audience="youth", language="fre")
    add_item(two, network["a"], "LIVJ", status=ItemStatus.ON_LOAN)
    three = make_record("Gardens of England", year=2021, audience="adult", language="eng")
    add_item(three, network["b"], "LIVRE")
    add_item(three, network["b"], "DVD")
    make_record("Jardins secrets", year=None, audience="unknown", language="")  # no copy
    return one, two, three


def test_facet_counts_add_up(network):
    build(network)
    result = search(SearchQuery(q="", per_page=10))
    assert result.total == 4 and not result.approximate
    assert facet(result, "audience") == {"adult": 2, "youth": 1, "unknown": 1}
    assert sum(facet(result, "audience").values()) == result.total
    assert facet(result, "language") == {"fre": 2, "eng": 1}
    assert facet(result, "year") == {"-1949": 1, "2010-2019": 1, "2020-": 1}
    # A record counts once per library holding it, however many copies it has there.
    assert facet(result, "library") == {"AAA": 2, "BBB": 2}
    assert facet(result, "item_type") == {"LIVRE": 2, "LIVJ": 1, "DVD": 1}
    assert facet(result, "available") == {"1": 2}


def test_facets_follow_the_words_and_filters(network):
    build(network)
    result = search(SearchQuery(q="jardins"))
    assert result.total == 3
    assert facet(result, "library") == {"AAA": 2, "BBB": 1}

    result = search(SearchQuery(q="jardins", libraries=["BBB"]))
    assert [h.title for h in result.hits] == ["Jardins de France"]
    assert facet(result, "library") == {"AAA": 1, "BBB": 1}


def test_filters(network):
    one, two, three = build(network)

    def ids(**filters) -> set[int]:
        return set(search(SearchQuery(**filters)).ids)

    assert ids(item_types=["DVD"]) == {three.id}
    assert ids(item_types=["LIVRE", "LIVJ"]) == {one.id, two.id, three.id}
    assert ids(audiences=["youth"]) == {two.id}
    assert ids(languages=["eng"]) == {three.id}
    assert ids(years=["-1949", "2020-"]) == {one.id, three.id}
    assert ids(year_from=2000, year_to=2019) == {two.id}
    assert ids(available_now=True) == {one.id, three.id}
    # Available now at a given library: its own copy must be on the shelf.
    assert ids(available_now=True, libraries=["BBB"]) == {three.id}
    assert ids(available_now=True, libraries=["AAA"]) == {one.id}
    assert ids(libraries=["NOPE"]) == set()


def test_labels_are_readable(network):
    build(network)
    result = search(SearchQuery(q=""))
    libraries = {value: label for value, label, _n in result.facets["library"]}
    assert libraries["AAA"] == network["a"].name
    years = [value for value, _label, _n in result.facets["year"]]
    assert years == ["-1949", "2010-2019", "2020-"]  # chronological, not by count
