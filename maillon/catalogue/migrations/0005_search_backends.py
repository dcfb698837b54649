"""The full-text half of the search index, which differs per database.

SQLite: an FTS5 table whose rowid is the record id. PostgreSQL: a `document` tsvector column on
catalogue_searchentry with a GIN index, built with the `maillon_fr` configuration (French
stemming after unaccent). Django's model does not know these; maillon.catalogue.search does.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalogue_search_fts USING fts5(
        title, authors, subjects, series, publisher, isbn, summary,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '3')""",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS catalogue_search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'maillon_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION maillon_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION maillon_fr
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    "ALTER TABLE catalogue_searchentry ADD COLUMN document tsvector",
    "CREATE INDEX catalogue_searchentry_document ON catalogue_searchentry USING gin (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_searchentry_document",
    "ALTER TABLE catalogue_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_search_entry")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
