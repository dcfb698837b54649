import pytest
from django.db import connection

from maillon.catalogue.search import SearchQuery, search

from .conftest import make_record


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="French stemming comes with PostgreSQL; SQLite FTS5 has none",
)
def test_plural_and_singular_meet_on_postgresql(db):
    make_record("Les écoles de la République")
    make_record("Chevaux de course")
    assert [h.title for h in search(SearchQuery(q="ecole ")).hits] == [
        "Les écoles de la République"
    ]
    assert [h.title for h in search(SearchQuery(q="republiques ")).hits] == [
        "Les écoles de la République"
    ]
