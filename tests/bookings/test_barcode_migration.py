"""The migration gives every existing resource its own barcode."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import walks_the_migrations

BEFORE = [("bookings", "0009_one_rule_per_scope"), ("programme", "0009_meeting_minutes_file")]
AFTER = [("bookings", "0010_resource_barcode")]


pytestmark = walks_the_migrations()


@pytest.mark.django_db(transaction=True)
def test_existing_resources_get_distinct_barcodes(network):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state([BEFORE[0]]).apps
        Resource = old.get_model("bookings", "Resource")
        # The seeded kinds are gone if a test on real transactions emptied the tables before.
        kind, _made = old.get_model("bookings", "ResourceKind").objects.get_or_create(
            code="exposition", defaults={"name": "Exposition"}
        )
        for n in range(5):
            Resource.objects.create(kind=kind, title=f"Outil {n}", owner_id=network["md"].pk)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        Resource = executor.loader.project_state(AFTER).apps.get_model("bookings", "Resource")
        codes = list(Resource.objects.values_list("barcode", flat=True))
        assert len(codes) == 5 == len(set(codes)) and all(c.startswith("OA") for c in codes)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
