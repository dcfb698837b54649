"""Record and search pages stay at a handful of queries whatever the number of copies."""

import pytest

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan
from tests.conftest import make_library
from tests.search.conftest import add_item

pytestmark = pytest.mark.django_db


def test_record_page_queries_do_not_grow_with_copies(
    client, catalogue, libraries, django_assert_max_num_queries
):
    record = catalogue["Le Rouge et le Noir"]
    for n in range(12):
        library = make_library(f"L{n:02d}")
        copy = add_item(record, library, index=False)
        if n % 2:
            Item.objects.filter(pk=copy.pk).update(status=ItemStatus.ON_LOAN)
            Loan.objects.create(item=copy, library=library, due_on="2031-01-01", loan_days=21)
    # record, items with libraries and types, open loans, other editions, network name
    with django_assert_max_num_queries(6):
        response = client.get(f"/notice/{record.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 15


def test_search_page_queries_are_bounded(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert client.get("/recherche/", {"q": "stendhal", "library": "BBB"}).status_code == 200


def test_library_page_queries_are_bounded(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # with its events to come
        assert client.get("/bibliotheques/AAA/").status_code == 200
