"""The two databases' full-text engines behind one small interface (see base.Backend)."""

from __future__ import annotations

from django.db import connection

from .base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
