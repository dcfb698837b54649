"""Two lots sent at once to a library with room for one: exactly one goes, the other is refused
naming the cap. Real threads on PostgreSQL (SQLite lets one writer in at a time)."""

import threading

import pytest
from django.db import connection

from maillon.circulation import capacity
from maillon.lots import services as lots
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_crates(desk, network, make_item, record_of):
    crates = []
    for n in range(2):
        lot = lots.create(desk["a"], network["a"], f"Caisse {n}")
        for i in range(2):
            lots.add(desk["a"], lot, make_item(record_of(f"Titre {n}-{i}"), network["a"]).barcode)
        crates.append(lot)
    capacity.set_capacity(desk["head"], network["b"], max_items=3, max_copies=None)
    return crates


def _send_both(crates, network):
    return in_parallel(
        lambda: lots.send(user("libr"), crates[0], network["b"]),
        lambda: lots.send(user("libr"), crates[1], network["b"]),
    )


def test_without_the_lock_both_fit(two_crates, network, monkeypatch):
    counted = threading.Barrier(2)
    original = capacity.refusal

    def count_then_wait(library, items):
        answer = original(library, items)
        counted.wait(TIMEOUT)  # both have counted 0 + 2 ≤ 3 before either moves its items
        return answer

    monkeypatch.setattr(capacity, "_lock_library", lambda library: None)
    monkeypatch.setattr(capacity, "refusal", count_then_wait)
    outcomes = _send_both(two_crates, network)
    assert all(isinstance(o, lots.SendResult) for o in outcomes), outcomes  # 4 items for 3


def test_with_the_lock_exactly_one_goes(two_crates, network):
    outcomes = _send_both(two_crates, network)
    sent = [o for o in outcomes if isinstance(o, lots.SendResult)]
    refused = [o for o in outcomes if isinstance(o, lots.LotError)]
    assert len(sent) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "capacity" and "3" in refused[0].message
