"""Two libraries commit the last copies of a capped title at the same moment: exactly one gets
them, the other a clear refusal. Real threads on PostgreSQL (SQLite lets one writer in at a
time); the first test shows the race exists without the title's lock."""

import threading

import pytest
from django.db import connection

from maillon.purchasing import selection
from maillon.purchasing.models import Commitment, Fund, SelectionTitle
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user
from tests.circulation_fixtures import TODAY

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def last_copies(proposed, funds, desk, network):
    """The title capped at 3 copies, nothing committed: AAA and BBB each want 2."""
    return proposed["capped"], funds


def _both(title, funds, network):
    return in_parallel(
        lambda: selection.commit(
            user("libr"), title, network["a"], Fund.objects.get(pk=funds["a"].pk), 2, today=TODAY
        ),
        lambda: selection.commit(
            user("libb"), title, network["b"], Fund.objects.get(pk=funds["b"].pk), 2, today=TODAY
        ),
    )


def test_without_the_lock_both_libraries_pass_the_cap(last_copies, network, monkeypatch):
    title, funds = last_copies
    past_check = threading.Barrier(2)
    original = selection.cap_refusal

    def check_then_wait(title_, library_id, quantity):
        refusal = original(title_, library_id, quantity)
        past_check.wait(TIMEOUT)  # both have counted the copies before either writes
        return refusal

    monkeypatch.setattr(
        selection,
        "_lock_title",
        lambda pk: SelectionTitle.objects.select_related("selection", "record").get(pk=pk),
    )
    monkeypatch.setattr(selection, "cap_refusal", check_then_wait)
    outcomes = _both(title, funds, network)
    assert all(isinstance(o, Commitment) for o in outcomes), outcomes
    # 4 copies promised for a network capped at 3: the race is real.
    assert sum(c.quantity for c in Commitment.objects.filter(title=title)) == 4


def test_with_the_lock_exactly_one_library_gets_the_last_copies(last_copies, network):
    title, funds = last_copies
    for _round in range(3):
        Commitment.objects.all().delete()
        outcomes = _both(title, funds, network)
        wins = [o for o in outcomes if isinstance(o, Commitment)]
        errors = [o for o in outcomes if isinstance(o, selection.PurchasingError)]
        assert len(wins) == 1 and len(errors) == 1, outcomes
        assert errors[0].code == "cap_reached" and errors[0].details["left"] == 1
        assert sum(c.quantity for c in Commitment.objects.filter(title=title)) == 2
