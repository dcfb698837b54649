"""Facet id lists as bit sets, and a covering index so that counting facets over the matches
reads one narrow index entry per match (see maillon.catalogue.search.facets)."""

from django.db import migrations, models

FACET_INDEX = "search_facets"
SQLITE_FORWARD = [
    f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id, audience, language, year, "
    "available, library_bits, available_bits, type_bits)",
]
POSTGRES_FORWARD = [
    f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id) INCLUDE (audience, "
    "language, year, available, library_bits, available_bits, type_bits)",
]
BACKWARD = [f"DROP INDEX IF EXISTS {FACET_INDEX}"]


def _bits(ids: str) -> int:
    value = 0
    for pk in ids.split():
        if 0 < int(pk) < 64:
            value |= 1 << (int(pk) - 1)
    return value


def backfill(apps, schema_editor):
    """Existing entries get their bit sets from their id lists, a chunk at a time."""
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT record_id, libraries, available_libraries, item_types "
                "FROM catalogue_searchentry WHERE record_id > %s "
                "ORDER BY record_id LIMIT 5000",
                [last],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                "UPDATE catalogue_searchentry SET library_bits = %s, available_bits = %s, "
                "type_bits = %s WHERE record_id = %s",
                [
                    (_bits(libraries), _bits(available), _bits(types), record_id)
                    for record_id, libraries, available, types in rows
                ],
            )
            last = rows[-1][0]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_backends")]
    operations = [
        migrations.AddField("searchentry", "library_bits", models.BigIntegerField(default=0)),
        migrations.AddField("searchentry", "available_bits", models.BigIntegerField(default=0)),
        migrations.AddField("searchentry", "type_bits", models.BigIntegerField(default=0)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": BACKWARD, "postgresql": BACKWARD}),
        ),
    ]
