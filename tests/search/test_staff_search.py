from django.http import QueryDict

from maillon.catalogue.search.staff import staff_search

from .conftest import add_item, make_record


def test_staff_search_with_facet_links(network):
    record = make_record("Jardins de Bretagne", audience="adult")
    add_item(record, network["a"])
    make_record("Jardins de Provence", audience="youth")

    found = staff_search(QueryDict("q=jardins&audience=adult"))
    assert [h.title for h in found.result.hits] == ["Jardins de Bretagne"]
    audience = {link.value: link for link in found.links["audience"]}
    assert audience["adult"].selected
    assert "audience=adult" not in audience["adult"].url  # clicking again removes the filter
    library = found.links["library"][0]
    assert library.value == "AAA" and not library.selected
    assert "library=AAA" in library.url
    html = found.facets_html
    assert network["a"].name in html and 'aria-current="true"' in html


def test_a_bad_parameter_is_dropped_with_a_message(db):
    make_record("Jardins de Bretagne")
    found = staff_search(QueryDict("q=jardins&page=zero&library=NOWHERE"))
    assert found.error
    assert found.result.total == 1
