"""audit.batched(): record() keeps its entries and writes them in one INSERT at the end; none
when the block fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillon.audit.models import AuditEntry
from maillon.audit.services import batched, record


def test_entries_are_written_once_at_the_end(network):
    with CaptureQueriesContext(connection) as captured, batched():
        for _n in range(3):
            record("rule_deleted", network["a"], library=network["a"])
        with batched():  # nested: the outer block writes
            record("rule_deleted", network["b"], library=network["b"])
        assert AuditEntry.objects.count() == 0
    assert AuditEntry.objects.filter(action="rule_deleted").count() == 4
    inserts = [q for q in captured.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1


def test_nothing_is_written_when_the_block_fails(network):
    with pytest.raises(RuntimeError), batched():
        record("rule_deleted", network["a"], library=network["a"])
        raise RuntimeError("refused")
    assert not AuditEntry.objects.exists()
    record("rule_deleted", network["a"], library=network["a"])  # outside: written at once
    assert AuditEntry.objects.count() == 1
