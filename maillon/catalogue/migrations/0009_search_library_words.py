"""Library bit sets over five 63-bit words (ids 1…315): a departmental network of 300
libraries counts and filters its library facets on integers, as a network of 63 did. The
covering index of search entries holds the new words too (see
maillon.catalogue.search.facets)."""

from django.db import migrations, models

FACET_INDEX = "search_facets"
WORDS = range(1, 5)  # library_bits itself is word 0 (ids 1…63), unchanged
NEW = [f"{name}_{k}" for name in ("library_bits", "available_bits") for k in WORDS]
COLUMNS = (
    "audience, language, year, available, library_bits, library_bits_1, library_bits_2, "
    "library_bits_3, library_bits_4, available_bits, available_bits_1, available_bits_2, "
    "available_bits_3, available_bits_4, type_bits, sort_title, sort_author, new_at"
)
OLD_COLUMNS = (
    "audience, language, year, available, library_bits, available_bits, type_bits, "
    "sort_title, sort_author, new_at"
)


def _index(columns: str) -> dict[str, list[str]]:
    return {
        # Without fresh statistics SQLite prefers the primary key's index, then reads the table.
        "sqlite": [f"DROP INDEX IF EXISTS {FACET_INDEX}",
                   f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id, {columns})",
                   "ANALYZE catalogue_searchentry"],
        "postgresql": [f"DROP INDEX IF EXISTS {FACET_INDEX}",
                       f"CREATE INDEX {FACET_INDEX} ON catalogue_searchentry (record_id) "
                       f"INCLUDE ({columns})"],
    }


def _words(ids: str) -> list[int]:
    """Words 1…4 of the bit set of a " 3 17 " id list."""
    values = [0] * 4
    for pk in ids.split():
        word, bit = divmod(int(pk) - 1, 63)
        if 1 <= word <= 4:
            values[word - 1] |= 1 << bit
    return values


def backfill(apps, schema_editor):
    """Entries held beyond library 63 get their new words, a chunk at a time (the others
    keep the default 0: a network of up to 63 libraries writes nothing)."""
    last = 0
    assign = ", ".join(f"{name} = %s" for name in NEW)
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT record_id, libraries, available_libraries "
                           "FROM catalogue_searchentry WHERE record_id > %s "
                           "ORDER BY record_id LIMIT 5000", [last])
            rows = cursor.fetchall()
            if not rows:
                return
            changed = []
            for record_id, libraries, available in rows:
                words = [*_words(libraries), *_words(available)]
                if any(words):
                    changed.append([*words, record_id])
            if changed:
                cursor.executemany(
                    f"UPDATE catalogue_searchentry SET {assign} WHERE record_id = %s", changed
                )
            last = rows[-1][0]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


def settle(apps, schema_editor):
    """PostgreSQL: the backfill left a new version of every row held beyond library 63, out of
    record id order and with the visibility map cleared. Searches read record id ranges and
    count facets from the covering index alone: on a million records they ran 2 to 4 times
    slower until the table was rewritten in id order (CLUSTER: about 20 s) and vacuumed.
    VACUUM cannot run inside a transaction, hence a migration that is not atomic."""
    if schema_editor.connection.vendor != "postgresql":
        return
    words = " OR ".join(f"{name} <> 0" for name in NEW)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM catalogue_searchentry WHERE {words} LIMIT 1")
        if cursor.fetchone():
            cursor.execute("CLUSTER catalogue_searchentry USING catalogue_searchentry_pkey")
        cursor.execute("VACUUM ANALYZE catalogue_searchentry")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("catalogue", "0008_delete_itemevent")]
    operations = [
        # ADD COLUMN with a constant default: no rewrite of a million-row table (Django's
        # AddField would copy the whole table once per column on SQLite).
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE catalogue_searchentry ADD COLUMN {name} bigint NOT NULL "
                    "DEFAULT 0",
                    f"ALTER TABLE catalogue_searchentry DROP COLUMN {name}",
                )
                for name in NEW
            ],
            state_operations=[
                migrations.AddField("searchentry", name, models.BigIntegerField(default=0))
                for name in NEW
            ],
        ),
        # One transaction each: the backfill's thousands of updates, the index swap.
        migrations.RunPython(backfill, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(_run(_index(COLUMNS)), _run(_index(OLD_COLUMNS)), atomic=True),
        migrations.RunPython(settle, migrations.RunPython.noop),
    ]
