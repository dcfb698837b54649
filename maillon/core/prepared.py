"""Querysets of a fixed shape, compiled to SQL once per process.

Django compiles a queryset each time it runs: for the desk's busiest reads (a patron or an
item found by card or barcode and locked, with the rows joined to it) compiling takes longer
than the database takes to answer (about 1.5 ms of Python against 0.2 ms). ``Prepared``
compiles the shape once, with stand-in values in place of the ones that vary, then runs the
same SQL with each call's values and builds the objects as the queryset would: the model's
instance, the rows it selects with it (``select_related``) and its annotations. The
statements are the queryset's own, run through the connection's cursor (so counted, logged
and wrapped like any other).

Only what ModelIterable and ValuesListIterable do for a plain queryset: no
prefetch_related, values(), flat or named values_list() or related managers (refused when
compiling).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.models import Model, QuerySet, signals
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError
from psycopg.pq import TransactionStatus

_IDLE = TransactionStatus.IDLE  # a psycopg connection outside any transaction

M = TypeVar("M", bound=Model)


@dataclass
class _Compiled:
    alias: str  # the database it was compiled for
    locks: bool  # SELECT … FOR UPDATE: only inside a transaction (as Django requires)
    sql: str
    params: tuple
    slots: list[tuple[int, int]]  # (position in params, index of the value that goes there)
    converters: list[tuple[int, tuple[list, Any]]]  # (position in the row, (functions, column))
    # A queryset of instances (None: of values_list() tuples): the model, its own columns in
    # each row ([start:end]) and their names, the related rows' builders, the annotations.
    model: type[Model] | None = None
    start: int = 0
    end: int = 0
    init_list: list[str] = field(default_factory=list)
    populators: list = field(default_factory=list)
    annotations: dict[str, int] = field(default_factory=dict)


class Prepared(Generic[M]):
    """``build(*values)`` returns the queryset for these values; `kinds` are their types
    (str or int), to make stand-ins the SQL parameters are recognised by. Each value must
    reach the SQL as it is given (``field=value``; not ``field__in``, whose placeholders
    vary, nor ``__contains``, which wraps it). Compiled at the first call (inside a
    transaction, for a queryset that locks), for the process's life."""

    def __init__(self, build: Callable[..., QuerySet[M, Any]], *kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._compiled: _Compiled | None = None

    def all(self, *values: Any) -> list[M]:
        """The instances these values find, as the queryset would give them."""
        compiled, connection, rows = self._run(values)
        if compiled.model is None:
            raise TypeError("a values_list() queryset: use rows()")
        return [self._instance(compiled, connection, row) for row in rows]

    def first(self, *values: Any) -> M | None:
        """The one instance these values find (they name a unique key), or None."""
        found = self.all(*values)
        return found[0] if found else None

    def rows(self, *values: Any) -> list[tuple]:
        """The tuples a values_list() queryset gives for these values."""
        compiled, _connection, rows = self._run(values)
        if compiled.model is not None:
            raise TypeError("a queryset of instances: use all() or first()")
        return [tuple(row) for row in rows]

    def converted(self, rows: list) -> list[tuple]:
        """The tuples ``rows()`` gives, from the rows its statement gave when run with others
        (see ``statement``)."""
        compiled, connection = self._prepare(running=False)
        if compiled.model is not None:
            raise TypeError("a queryset of instances: use built()")
        if compiled.converters:
            rows = [self._converted(compiled, connection, row) for row in rows]
        return [tuple(row) for row in rows]

    def statement(self, *values: Any) -> tuple[str, list]:
        """The SQL and parameters for these values, to run with others (see ``together``);
        ``built`` makes the instances of the rows it gives."""
        compiled, _connection = self._prepare()
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = values[index]
        return compiled.sql, params

    def built(self, rows: list) -> list[M]:
        """The instances of the rows this queryset's statement gave (see ``statement``)."""
        compiled, connection = self._prepare(running=False)
        if compiled.model is None:
            raise TypeError("a values_list() queryset: it builds no instances")
        if compiled.converters:
            rows = [self._converted(compiled, connection, row) for row in rows]
        return [self._instance(compiled, connection, row) for row in rows]

    def _run(self, values: tuple) -> tuple[_Compiled, Any, list]:
        compiled, connection = self._prepare()
        sql, params = self.statement(*values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._converted(compiled, connection, row) for row in rows]
        return compiled, connection, rows

    @staticmethod
    def _converted(compiled: _Compiled, connection, row: Sequence) -> list:
        row = list(row)
        for position, (functions, expression) in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row

    @staticmethod
    def _instance(compiled: _Compiled, connection, row: Sequence) -> M:
        assert compiled.model is not None
        obj = compiled.model.from_db(
            connection.alias, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        return obj  # type: ignore[return-value]

    def _prepare(self, *, running: bool = True) -> tuple[_Compiled, Any]:
        """The compiled statement and its connection; `running`: about to run it (a lock
        outside a transaction is refused)."""
        compiled = self._compiled
        if compiled is None:  # two threads may both compile at first: the same result
            stand_ins = [
                f"\x00stand-in {n}" if kind is str else -(10**15) - n
                for n, kind in enumerate(self.kinds)
            ]
            compiled = self._compiled = _compile(self.build(*stand_ins), stand_ins)
        connection = connections[compiled.alias]
        if running and compiled.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        return compiled, connection


def together(*statements: tuple[str, Sequence]) -> list[list[tuple]]:
    """The rows of each statement (SQL and parameters), run in this order on the default
    database. PostgreSQL receives them in one message, so they cost one round trip instead of
    one each: they still run one after the other, each as its own statement (under READ
    COMMITTED each sees what was committed before it began, a lock taken by one held by the
    next). Elsewhere (SQLite, in the process: no round trip to save) one by one.

    A read waiting to go with the next round trip (see ``ahead``) goes first, and is checked
    before these statements' rows are given. On PostgreSQL, as the first statements of an
    outermost ``atomic`` block, the transaction's BEGIN goes in the same message (see
    ``_begins_here``): a round trip fewer again."""
    connection = connections[DEFAULT_DB_ALIAS]
    rider = _ahead.get()
    if rider is not None and rider.rows is None:
        statements = ((rider.sql, rider.params), *statements)
    else:
        rider = None
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            found = []
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(cursor.fetchall())
        else:
            # psycopg sends a statement given with its values bound (Django's default) by the
            # simple query protocol, which takes several separated by semicolons; each gives
            # its own result, read in turn (BEGIN's none).
            sql = "; ".join(sql for sql, _params in statements)
            params = [value for _sql, params in statements for value in params]
            if _begins_here(connection):
                found = _begin_with(connection, cursor, sql, params)
            else:
                cursor.execute(sql, params)
                found = [cursor.fetchall()]
            while cursor.nextset():
                found.append(cursor.fetchall())
    if len(found) != len(statements):
        raise DatabaseError(f"{len(statements)} statements gave {len(found)} results")
    if rider is not None:
        rider.rows = found.pop(0)
        rider.check(rider.rows)
    return found


def _begins_here(connection) -> bool:
    """Whether the next statement is the first of an outermost ``atomic`` block on a
    psycopg connection that begins its transactions with a plain BEGIN: psycopg would send
    that BEGIN on its own first, a round trip of its own."""
    raw = connection.connection
    return (
        connection.in_atomic_block
        and connection.commit_on_exit  # the block began the transaction, and will end it
        and raw.info.transaction_status == _IDLE  # nothing sent in it yet
        and not raw.autocommit
        and raw.isolation_level is None
        and raw.read_only is None
        and raw.deferrable is None
    )


def _begin_with(connection, cursor, sql: str, params: list) -> list[list[tuple]]:
    """Run BEGIN and `sql` in one message: psycopg, told the connection commits by itself
    (allowed before a transaction began), sends the statements as they are, BEGIN first. The
    transaction is open when they return; psycopg commits or rolls it back when Django asks
    (it looks at the transaction's state, not at this setting), and the setting is put back
    when Django leaves its atomic block (autocommit on). Should BEGIN not have run (an error
    before the message left), psycopg is told again to begin the next transaction itself."""
    raw = connection.connection
    raw.autocommit = True
    try:
        cursor.execute(f"BEGIN; {sql}", params)
    finally:
        if raw.info.transaction_status == _IDLE:
            raw.autocommit = False
    cursor.nextset()  # BEGIN's result: no rows
    return [cursor.fetchall()]


@dataclass
class Ahead:
    """A read sent first with the next round trip of ``together`` (see ``ahead``): its rows
    once sent (None: not sent)."""

    sql: str
    params: Sequence
    check: Callable[[list[tuple]], None]
    rows: list[tuple] | None = None


_ahead: ContextVar[Ahead | None] = ContextVar("maillon_prepared_ahead", default=None)


@contextmanager
def ahead(sql: str, params: Sequence, check: Callable[[list[tuple]], None]) -> Iterator[Ahead]:
    """Inside, the next ``together`` on this thread also runs this read, first, in the same
    round trip, and calls `check` with its rows before it gives its own: `check` may raise,
    and the caller's transaction then ends as any error ends it, before the rows of the
    other statements were used. Whether it was sent, the caller reads on the object given
    (``rows`` None: no ``together`` ran, the read is the caller's to make)."""
    rider = Ahead(sql, params, check)
    token = _ahead.set(rider)
    try:
        yield rider
    finally:
        _ahead.reset(token)


def _compile(queryset: QuerySet, stand_ins: list) -> _Compiled:
    values = queryset._iterable_class is ValuesListIterable  # type: ignore[attr-defined]
    if (
        not (values or queryset._iterable_class is ModelIterable)  # type: ignore[attr-defined]
        or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        or queryset._known_related_objects  # type: ignore[attr-defined]
    ):
        raise ValueError("Prepared takes a plain queryset of instances or of values_list()")
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()  # also fills compiler.select, klass_info, annotation_col_map
    slots = [
        (position, stand_ins.index(param))
        for position, param in enumerate(params)
        if param in stand_ins
    ]
    if {index for _position, index in slots} != set(range(len(stand_ins))):
        raise ValueError("a value does not reach the SQL as it is given")
    select = compiler.select
    converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
    compiled = _Compiled(
        alias=queryset.db,
        locks=bool(queryset.query.select_for_update)
        and compiler.connection.features.has_select_for_update,
        sql=sql,
        params=tuple(params),
        slots=slots,
        converters=list(converters.items()),
    )
    if not values:
        klass_info = compiler.klass_info
        assert klass_info is not None
        fields = klass_info["select_fields"]
        compiled.model = klass_info["model"]
        compiled.start, compiled.end = fields[0], fields[-1] + 1
        compiled.init_list = [f[0].target.attname for f in select[compiled.start : compiled.end]]
        compiled.populators = get_related_populators(klass_info, select, queryset.db)
        compiled.annotations = dict(compiler.annotation_col_map or {})
    return compiled


# Writes: the INSERT of a new row and the UPDATE of some of a row's columns, as save() writes
# them (each field's pre_save and database value, the signals), their SQL written once per
# model and columns: compiling them cost save() more than running them.


def insert(obj: Model) -> None:
    """``obj.save(force_insert=True)`` for a model with an automatic primary key."""
    model, meta = type(obj), obj._meta
    connection = connections[router.db_for_write(model, instance=obj)]
    sql, fields = _insert_sql(model, connection.alias)
    signals.pre_save.send(
        sender=model, instance=obj, raw=False, using=connection.alias, update_fields=None
    )
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        (pk,) = cursor.fetchone()
    assert meta.pk is not None
    setattr(obj, meta.pk.attname, pk)
    _saved(obj, connection.alias, created=True, update_fields=None)


def update(obj: Model, names: Sequence[str]) -> None:
    """``obj.save(update_fields=names)``: those columns of the object's row."""
    model = type(obj)
    connection = connections[router.db_for_write(model, instance=obj)]
    sql, fields = _update_sql(model, connection.alias, tuple(names))
    update_fields = frozenset(names)
    signals.pre_save.send(
        sender=model, instance=obj, raw=False, using=connection.alias, update_fields=update_fields
    )
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
        if cursor.rowcount == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    _saved(obj, connection.alias, created=False, update_fields=update_fields)


def update_then(obj: Model, names: Sequence[str], then: tuple[str, Sequence]) -> list[tuple]:
    """``update(obj, names)``, then the statement `then` (SQL and parameters) in the same
    round trip (see ``together``): its rows, read after the row was written (in the same
    transaction: they see it)."""
    model = type(obj)
    connection = connections[router.db_for_write(model, instance=obj)]
    if connection.alias != DEFAULT_DB_ALIAS:
        raise ValueError("together() runs on the default database")
    sql, fields = _update_sql(model, connection.alias, tuple(names))
    assert model._meta.pk is not None
    returning = f"{sql} RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    update_fields = frozenset(names)
    signals.pre_save.send(
        sender=model, instance=obj, raw=False, using=connection.alias, update_fields=update_fields
    )
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    with transaction.mark_for_rollback_on_error(connection.alias):
        written, rows = together((returning, [*params, obj.pk]), then)
    if not written:
        raise DatabaseError("Save with update_fields did not affect any rows.")
    _saved(obj, connection.alias, created=False, update_fields=update_fields)
    return rows


def update_row(model: type[Model], pk: Any, values: dict[str, Any]) -> int:
    """``model.objects.filter(pk=pk).update(**values)`` for plain values (no expressions): the
    columns of one row, without an instance, and like that update without signals. Returns
    the rows written (0 or 1)."""
    connection = connections[router.db_for_write(model)]
    sql, fields = _update_sql(model, connection.alias, tuple(values))
    params = [
        f.get_db_prep_save(value, connection)
        for f, value in zip(fields, values.values(), strict=True)
    ]
    with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])
        return cursor.rowcount


def _saved(obj: Model, alias: str, created: bool, update_fields: frozenset[str] | None) -> None:
    """What ``save()`` does once its row is written: the object is from the database now, and
    post_save is sent."""
    obj._state.adding, obj._state.db = False, alias
    signals.post_save.send(
        sender=type(obj),
        instance=obj,
        created=created,
        update_fields=update_fields,
        raw=False,
        using=alias,
    )


@cache
def _insert_sql(model: type[Model], alias: str) -> tuple[str, list]:
    meta = model._meta
    quote = connections[alias].ops.quote_name
    if meta.auto_field is None or meta.parents:
        raise ValueError("insert() takes a model with an automatic primary key, no parent")
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) "
        f"RETURNING {quote(meta.auto_field.column)}"
    )
    return sql, fields


@cache
def _update_sql(model: type[Model], alias: str, names: tuple[str, ...]) -> tuple[str, list]:
    meta = model._meta
    quote = connections[alias].ops.quote_name
    fields: list[Any] = [meta.get_field(name) for name in names]
    if any(not f.concrete or f.primary_key or getattr(f, "generated", False) for f in fields):
        raise ValueError(f"not columns update() may write: {names}")
    columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    assert meta.pk is not None
    sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"
    return sql, fields
