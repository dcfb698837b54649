"""The migration moves the items' history (catalogue.ItemEvent) into the audit log, in the
shape the history pages read."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import walks_the_migrations

BEFORE = [("catalogue", "0007_search_facets_sort_keys"), ("audit", None)]
AFTER = [("catalogue", "0008_delete_itemevent"), ("circulation", "0005_rule_changes_in_audit")]


pytestmark = walks_the_migrations()


@pytest.mark.django_db(transaction=True)
def test_item_events_become_audit_entries(network, staff, make_item, book):
    item = make_item(book)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state([BEFORE[0]]).apps
        ItemEvent = old.get_model("catalogue", "ItemEvent")
        user_id = next(iter(staff.values())).pk
        for kind, detail in (
            ("created", {}),
            ("edited", {"call_number": ["R ROU", "R ROU J"]}),
            ("renewed", {"loan": 3, "old_due": "2025-03-24", "by_patron": False}),
            ("home_changed", {"old_home": 1, "new_home": 2, "reason": "floating"}),
        ):
            ItemEvent.objects.create(
                item_id=item.pk,
                kind=kind,
                library_id=network["a"].pk,
                user_id=user_id,
                detail=detail,
            )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        AuditEntry = executor.loader.project_state(AFTER).apps.get_model("audit", "AuditEntry")
        entries = {
            e.action: e for e in AuditEntry.objects.filter(object_type="item", object_id=item.pk)
        }
        assert set(entries) == {"item_created", "item_edited", "renewed", "home_changed"}
        assert entries["item_edited"].details == {"changes": {"call_number": ["R ROU", "R ROU J"]}}
        assert entries["renewed"].details == {"loan": 3, "old_due": "2025-03-24"}
        assert entries["home_changed"].details == {"old_home": 1, "new_home": 2, "floating": True}
        assert {(e.actor_kind, e.user_id, e.library_id) for e in entries.values()} == {
            ("staff", user_id, network["a"].pk)
        }
    finally:
        # Back to the latest schema (later migrations included), for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
