"""A checkout costs a fixed number of SQL statements, the audit log's being one INSERT.

The count was the same with the item history before the audit log replaced it (its one INSERT
into catalogue_itemevent): the log adds no statement of its own to the desk's busiest action.
One statement counts loans, blocks and holds after the patron and the item are locked
(read_after_lock), which keeps the loan limits under concurrency; the same statement reads the
loan rules, the network's policy and the desk's calendar (three statements of their own before,
each a round trip to the database). On PostgreSQL the patron's lock, the item's and that
statement are sent together, one round trip (see prepared.together). The search index costs
one statement when the loan changes nothing it shows (another copy stays on the shelf there):
the record's copies are read with its entry as it stands (on PostgreSQL in the message that
writes the copy's new state, after it). When the copy was the last one on the
shelf there, two more rewrite the entry's item columns and the one (library, record) pair whose
availability changed (see catalogue.SearchHolding).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillon.circulation.services import checkout

from .conftest import TODAY

# Statements of a plain checkout (no hold, no override), caches warm; see the module docstring.
# With the savepoint and its release (the test's own transaction around the service's).
CHECKOUT_STATEMENTS = {"sqlite": 11, "postgresql": 8}
# The same when another copy stays on the shelf at the library: the index is left as it is.
UNSEEN_CHECKOUT_STATEMENTS = {"sqlite": 9, "postgresql": 6}


def statements_of_checkout(desk, network, patron, item) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    return [q["sql"] for q in captured.captured_queries]


def test_checkout_statement_count(desk, network, make_patron, make_item, book):
    patron = make_patron()
    first, second, third = make_item(book), make_item(book), make_item(book)
    checkout(desk["a"], network["a"], patron.card_number, first.barcode, today=TODAY)  # warm up

    statements = statements_of_checkout(desk, network, patron, second)  # `third` stays
    audit_inserts = [s for s in statements if s.startswith('INSERT INTO "audit_auditentry"')]
    assert len(audit_inserts) == 1
    assert len(statements) == UNSEEN_CHECKOUT_STATEMENTS[connection.vendor], "\n".join(statements)

    statements = statements_of_checkout(desk, network, patron, third)  # the last one here
    assert len(statements) == CHECKOUT_STATEMENTS[connection.vendor], "\n".join(statements)
