"""The covering index of search entries also holds the sort keys: relevance (title, first
author) and the other sorts are computed from the same index entry as the facets, so a search
never reads the entries table itself (see maillon.catalogue.search.engine)."""

from django.db import migrations

FACET_INDEX = "search_facets"
COLUMNS = (
    "audience, language, year, available, library_bits, available_bits, type_bits, "
    "sort_title, sort_author, new_at"
)
FORWARD = {
    # Without fresh statistics SQLite prefers the primary key's index, then reads the table.
    "sqlite": [
        f"DROP INDEX IF EXISTS {FACET_INDEX}",
        f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id, {COLUMNS})",
        "ANALYZE catalogue_searchentry",
    ],
    "postgresql": [
        f"DROP INDEX IF EXISTS {FACET_INDEX}",
        f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id) INCLUDE ({COLUMNS})",
    ],
}
OLD_COLUMNS = "audience, language, year, available, library_bits, available_bits, type_bits"
BACKWARD = {
    "sqlite": [
        f"DROP INDEX IF EXISTS {FACET_INDEX}",
        f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id, {OLD_COLUMNS})",
    ],
    "postgresql": [
        f"DROP INDEX IF EXISTS {FACET_INDEX}",
        f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id) INCLUDE ({OLD_COLUMNS})",
    ],
}


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_search_bits")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
