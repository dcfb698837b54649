"""A checkout costs a fixed number of SQL statements, the audit log's being one INSERT.

The count was the same with the item history before the audit log replaced it (its one INSERT
into catalogue_itemevent): the log adds no statement of its own to the desk's busiest action.
One statement more than before comes from counting loans, blocks and holds after the patron and
the item are locked (read_after_lock), which keeps the loan limits under concurrency. Two
more rewrite the record's (library, record) pairs of the search index (a DELETE and an INSERT of
its one to three pairs), which small libraries' filters read (see catalogue.SearchHolding); the
benchmark measures no difference (docs/benchmarks.md).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillon.circulation.services import checkout

from .conftest import TODAY

# Statements of a plain checkout (no hold, no override), caches warm; see the module docstring.
CHECKOUT_STATEMENTS = {"sqlite": 15, "postgresql": 15}


def test_checkout_statement_count(desk, network, make_patron, make_item, book):
    patron = make_patron()
    first, second = make_item(book), make_item(book)
    checkout(desk["a"], network["a"], patron.card_number, first.barcode, today=TODAY)  # warm up
    with CaptureQueriesContext(connection) as captured:
        checkout(desk["a"], network["a"], patron.card_number, second.barcode, today=TODAY)
    statements = [q["sql"] for q in captured.captured_queries]
    audit_inserts = [s for s in statements if s.startswith('INSERT INTO "audit_auditentry"')]
    assert len(audit_inserts) == 1
    assert len(statements) == CHECKOUT_STATEMENTS[connection.vendor], "\n".join(statements)
