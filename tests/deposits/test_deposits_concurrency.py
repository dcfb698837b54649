"""Two MD staff scan the same item into two libraries' sessions at once: exactly one lends it,
the other is told where it went. Real threads on PostgreSQL (SQLite lets one writer in)."""

import threading

import pytest
from django.db import connection

from maillon.catalogue.models import Item
from maillon.deposits import services
from maillon.deposits.models import DepositEntry, ExchangeSession
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user
from tests.deposits.conftest import DAY

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_sessions(md_staff, network, level, md_item):
    sessions = []
    for code in ("a", "b"):
        deposit = services.open_deposit(md_staff, network["md"], network[code], level, DAY)
        sessions.append(
            services.open_session(md_staff, deposit, DAY, ExchangeSession.Kind.BIBLIOBUS)
        )
    return sessions, md_item()


def test_without_the_lock_both_pass_the_check(two_sessions, monkeypatch):
    (first, second), item = two_sessions
    past_checks = threading.Barrier(2)
    original = services._lend_refusal

    def check_then_wait(deposit, item_, entry):
        refusal = original(deposit, item_, entry)
        past_checks.wait(TIMEOUT)  # both have read "on no deposit" before either writes
        return refusal

    monkeypatch.setattr(
        services, "lock_items", lambda ids: list(Item.objects.filter(pk__in=ids).order_by("pk"))
    )
    monkeypatch.setattr(services, "_lend_refusal", check_then_wait)
    outcomes = in_parallel(
        lambda: services.lend(user("mdstaff"), first, [item.barcode]),
        lambda: services.lend(user("mdstaff"), second, [item.barcode]),
    )
    # Both passed the check; only the partial unique index stopped the second insert.
    errors = [o for o in outcomes if isinstance(o, services.DepositError)]
    assert len(errors) == 1 and errors[0].code == "just_deposited", outcomes
    assert DepositEntry.objects.filter(item=item).count() == 1


def test_with_the_lock_exactly_one_wins(two_sessions):
    (first, second), item = two_sessions
    for _round in range(3):
        DepositEntry.objects.all().delete()
        Item.objects.filter(pk=item.pk).update(home=item.owner, current=item.owner)
        outcomes = in_parallel(
            lambda: services.lend(user("mdstaff"), first, [item.barcode]),
            lambda: services.lend(user("mdstaff"), second, [item.barcode]),
        )
        assert all(isinstance(o, services.ScanResult) for o in outcomes), outcomes
        assert sorted(len(o.done) for o in outcomes) == [0, 1], outcomes
        loser = next(o for o in outcomes if not o.done)
        # Refused after waiting for the item: it says where the item went.
        assert loser.refused and loser.refused[0][0] == item.barcode
        assert DepositEntry.objects.filter(item=item).count() == 1
