"""The demo's common ground — network, patrons, catalogue, circulation — built once per test run.

Each app's demo test starts from that ground and adds its own part. Building it through the
services takes several seconds; it is built once inside a savepoint, its rows are read, the
savepoint is rolled back, and each test that asks for it gets the same rows copied back into
its own transaction (rolled back at the end as usual). Foreign keys are checked at commit on
both databases, so the tables can be filled in any order.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction

TODAY = dt.date(2026, 11, 25)
# The FTS5 table is copied through its rowid and columns, never through its own storage.
FTS_TABLE = "catalogue_search_fts"

Rows = dict[str, tuple[list[str], list[tuple]]]


class _RolledBack(Exception):
    pass


def _tables() -> list[str]:
    """The models' tables (not an import's temporary ones), and the full-text table on SQLite."""
    names = set(connection.introspection.django_table_names(only_existing=True))
    if FTS_TABLE in connection.introspection.table_names():
        names.add(FTS_TABLE)
    return sorted(names)


def _stored(value):
    """SQLite hands back dates and times as Python objects but binds only some of them."""
    if connection.vendor == "sqlite" and isinstance(value, dt.date | dt.time | Decimal):
        return str(value) if not isinstance(value, dt.datetime) else value.isoformat(" ")
    return value


def _read(tables: list[str]) -> Rows:
    quote = connection.ops.quote_name
    rows: Rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            columns = "rowid, *" if table == FTS_TABLE else "*"
            cursor.execute(f"SELECT {columns} FROM {quote(table)}")
            found = cursor.fetchall()
            names = [d[0] for d in cursor.description]
            rows[table] = (names, [tuple(map(_stored, row)) for row in found])
    return rows


def _build(records: int, var_dir: Path) -> Rows:
    from django.conf import settings

    from maillon.catalogue.demo import build_catalogue
    from maillon.circulation.demo import build_circulation
    from maillon.network.demo import build_network
    from maillon.patrons.demo import build_patrons

    kept = settings.VAR_DIR
    settings.VAR_DIR = var_dir
    built: Rows = {}
    try:
        with transaction.atomic():
            build_network("maillon-demo", TODAY)
            build_patrons(TODAY)
            build_catalogue(records=records)
            build_circulation(TODAY)
            built = _read(_tables())
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        settings.VAR_DIR = kept
    return built


def _restore(rows: Rows) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in rows:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, (names, found) in rows.items():
            if not found:
                continue
            columns = ", ".join(quote(n) for n in names)
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", found)
    if connection.vendor == "postgresql":
        # Sequences move on past the copied ids (setval is not undone by the rollback: harmless).
        from django.apps import apps
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture(scope="session")
def _demo_ground_rows(tmp_path_factory) -> dict[int, Rows]:
    return {}


@pytest.fixture
def demo_ground(db, _demo_ground_rows, tmp_path_factory) -> Callable[[int], None]:
    """`demo_ground(records=400)`: the demo network, its patrons, a catalogue of that many
    records and the desks' loans and holds, as `maillon demo` builds them on 25 November 2026."""

    def ground(records: int = 400) -> None:
        if records not in _demo_ground_rows:
            var_dir = tmp_path_factory.mktemp(f"demo-ground-{records}")
            _demo_ground_rows[records] = _build(records, var_dir)
        _restore(_demo_ground_rows[records])

    return ground
