"""Migration catalogue.0011 fills the (library, record) pairs from the items as the index
itself writes them: held where a copy is not gone, available where one is on the shelf."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maillon.catalogue.models import ItemStatus, SearchHolding
from maillon.catalogue.search import index_records
from maillon.network.models import Library, LibraryKind
from tests.conftest import walks_the_migrations

from .conftest import add_item, make_record

BEFORE = [("catalogue", "0010_audience_not_specified")]


def pairs() -> set[tuple[int, int, bool]]:
    return set(SearchHolding.objects.values_list("library_id", "record_id", "available"))


pytestmark = walks_the_migrations()


@pytest.mark.django_db(transaction=True)
def test_the_pairs_filled_by_the_migration_are_the_index_s():
    a, b = (
        Library.objects.create(code=code, name=code, kind=LibraryKind.MEMBER, commune="X")
        for code in ("A", "B")
    )
    shelf = make_record("Sur l'étagère")
    add_item(shelf, a)
    add_item(shelf, a, status=ItemStatus.ON_LOAN)
    add_item(shelf, b, status=ItemStatus.ON_LOAN)
    gone = make_record("Perdu")
    add_item(gone, a, status=ItemStatus.LOST)
    add_item(gone, b, status=ItemStatus.WITHDRAWN)
    away = make_record("En route")
    add_item(away, b, status=ItemStatus.IN_TRANSIT)
    written = pairs()
    assert written == {(a.pk, shelf.pk, True), (b.pk, shelf.pk, False), (b.pk, away.pk, False)}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert pairs() == written
        index_records([shelf.pk, gone.pk, away.pk])
        assert pairs() == written
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
