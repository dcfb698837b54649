"""The public search: same parameters as the API, facets with toggle links, sorts, pager."""

import pytest

from tests.opac.conftest import fr

pytestmark = pytest.mark.django_db


def test_words_find_records_with_count_and_links(client, catalogue):
    response = client.get("/recherche/", {"q": "stendhal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 documents" in html
    for title in ("La Chartreuse de Parme", "Le Rouge et le Noir"):
        assert title in html
    assert f'href="/notice/{catalogue["La Chartreuse de Parme"].pk}/"' in html
    assert "Le Père Goriot" not in html


def test_facet_link_filters_and_url_is_shareable(client, catalogue):
    html = client.get("/recherche/", {"q": "stendhal"}).content.decode()
    assert 'href="?q=stendhal&amp;library=AAA"' in html
    # The link is a plain URL: opening it anew gives the filtered result.
    filtered = client.get("/recherche/?q=stendhal&library=AAA").content.decode()
    assert "1 document" in filtered and "Le Rouge et le Noir" in filtered
    assert 'aria-current="true" class="selected">Médiathèque d&#x27;Aval' in filtered
    # The search form keeps the chosen filter when the words or the sort change.
    assert '<input type="hidden" name="library" value="AAA">' in filtered


def test_api_parameters_work_here_too(client, catalogue):
    html = client.get(
        "/recherche/",
        {"q": "", "library": "BBB", "year": "1830-1840", "language": "fre", "sort": "year"},
    ).content.decode()
    assert "2 documents" in html
    assert html.index("La Chartreuse de Parme") < html.index("Le Rouge et le Noir")


def test_sort_by_title(client, catalogue):
    html = client.get("/recherche/", {"q": "stendhal", "sort": "title"}).content.decode()
    assert html.index("La Chartreuse de Parme") < html.index("Le Rouge et le Noir")
    assert '<option value="title" selected>' in html


def test_availability_shown_per_hit(client, catalogue):
    from maillon.catalogue.models import Item, ItemStatus
    from maillon.catalogue.search import index_records

    record = catalogue["Le Père Goriot"]
    Item.objects.filter(record=record).update(status=ItemStatus.ON_LOAN)
    index_records([record.pk])
    html = client.get("/recherche/", {"q": "goriot"}).content.decode()
    assert fr("not available right now") in html


def test_pager_moves_through_pages(client, libraries):
    from tests.search.conftest import add_item, make_record

    for n in range(45):
        add_item(make_record(f"Conte numéro {n:02d}"), libraries["a"])
    first = client.get("/recherche/", {"q": "conte", "sort": "title"}).content.decode()
    assert "45 documents" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    third = client.get("/recherche/", {"q": "conte", "sort": "title", "page": "3"})
    html = third.content.decode()
    assert "Conte numéro 44" in html and "Conte numéro 39" not in html
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert 'start="41"' in html


def test_blank_query_prompts_instead_of_listing_everything(client, catalogue):
    html = client.get("/recherche/", {"q": "   "}).content.decode()
    assert "Le Rouge et le Noir" not in html
    assert 'name="q"' in html and "/nouveautes/" in html


def test_no_staff_links_nor_barcode_lookup(client, catalogue):
    response = client.get("/recherche/", {"q": "A1"})
    assert response.status_code == 200  # a barcode is a word like any other here
    assert "/pro/catalogue" not in response.content.decode()
