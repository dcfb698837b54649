from maillon.catalogue.search import SearchQuery, index_records, search

from .conftest import add_item, make_record


def test_a_merged_away_record_never_appears(network):
    survivor = make_record("Les Misérables", authors=["Hugo, Victor"])
    duplicate = make_record("Les misérables", authors=["Hugo, Victor"])
    add_item(duplicate, network["a"])
    assert set(search(SearchQuery(q="miserables")).ids) == {survivor.id, duplicate.id}

    duplicate.merged_into = survivor
    duplicate.save()
    index_records([duplicate.id])

    result = search(SearchQuery(q="miserables"))
    assert result.ids == [survivor.id]
    assert result.total == 1
    assert search(SearchQuery(q="")).ids == [survivor.id]
    assert search(SearchQuery(q="", libraries=["AAA"])).total == 0
