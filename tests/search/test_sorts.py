import datetime as dt

from django.utils import timezone

from maillon.catalogue.models import Item
from maillon.catalogue.search import SearchQuery, index_records, search

from .conftest import add_item, make_record


def titles(**query) -> list[str]:
    return [hit.title for hit in search(SearchQuery(**query)).hits]


def test_relevance_puts_title_matches_first(db):
    make_record("Cuisine du monde", summary="Recettes de partout, et un peu de jardinage.")
    make_record("Le jardinage facile")
    assert titles(q="jardinage") == ["Le jardinage facile", "Cuisine du monde"]


def test_title_author_and_year_sorts(db):
    make_record("Zoé", authors=["Abel, Anne"], year=1990)
    make_record("Ambre", authors=["Zola, Émile"], year=2020)
    make_record("Émile", authors=["Martin, Marc"], year=None)
    assert titles(sort="title") == ["Ambre", "Émile", "Zoé"]
    assert titles(sort="author") == ["Zoé", "Émile", "Ambre"]
    assert titles(sort="year") == ["Ambre", "Zoé", "Émile"]  # newest first, unknown last


def test_newest_acquisitions_first(network):
    old = make_record("Ancien")
    recent = make_record("Récent")
    bought = make_record("Vieux titre racheté")
    for record, days in ((old, 400), (recent, 10), (bought, 2)):
        item = add_item(record, network["a"], index=False)
        Item.objects.filter(pk=item.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    # The record itself is old, but a copy arrived last: it is a new acquisition.
    Item.objects.filter(record=bought).update(created_at=timezone.now())
    index_records([old.id, recent.id, bought.id])
    assert titles(sort="new") == ["Vieux titre racheté", "Récent", "Ancien"]
