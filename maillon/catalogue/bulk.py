"""Fast inserts for imports: rows as tuples, no model objects, one executemany per table.

Django's bulk_create spends most of an import building model instances and preparing each value
through its field; here only the columns that need it (JSON, dates) are prepared. Ids are taken
in advance: from the sequence on PostgreSQL, after the largest id on SQLite (whose IMMEDIATE
write transaction keeps other writers out until commit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[object]]
) -> list[int]:
    """INSERT `rows` (values in the order of `fields`) into `model`'s table; returns the ids."""
    if not rows:
        return []
    meta = model._meta
    columns = [cast(models.Field, meta.get_field(name)) for name in fields]
    prepare = [_preparer(field) for field in columns]
    assert meta.pk is not None and meta.pk.column is not None
    table, pk = meta.db_table, meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        ids = _reserve_ids(cursor, table, pk, len(rows))
        names = ", ".join(quote(c) for c in [pk, *(cast(str, f.column) for f in columns)])
        marks = ", ".join(["%s"] * (len(columns) + 1))
        values: list[tuple[Any, ...]] = [
            (pk_value, *[p(v) if p else v for p, v in zip(prepare, row, strict=True)])
            for pk_value, row in zip(ids, rows, strict=True)
        ]
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
    return ids


def _reserve_ids(cursor, table: str, pk: str, count: int) -> list[int]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        return [row[0] for row in cursor.fetchall()]
    quote = connection.ops.quote_name
    cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _repeated(adapt):
    """`adapt`, skipped when given the very same object as the row before: an import stamps
    every row with one moment, and every item event with one detail."""
    last: list = [None, None]

    def prepare(value):
        if value is not last[0] or value is None:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return prepare


def _preparer(field: models.Field):
    """How a value reaches the database driver, for the columns that need more than as is.

    The database's own adapters are called directly: going through each field's
    get_db_prep_save costs more than the insert itself.
    """
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return _repeated(lambda value: ops.adapt_json_value(value, field.encoder))
    if isinstance(field, models.DateTimeField):
        return _repeated(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None
