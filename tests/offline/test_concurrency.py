"""Two tabs sending the same queue at once, two librarians settling the same conflict at once:
one decides (invariant 3). Real threads with their own PostgreSQL connections; SQLite lets one
writer in at a time, so these are skipped there.

The queue needs no lock of its own: each operation's (desk, seq) row is inserted first, and the
unique index makes the twin wait, then read the first one's answer. Settling a conflict locks
its row; the first test shows that without the lock both librarians think they decided."""

import threading

import pytest
from django.db import connection

from maillon.circulation.models import Loan
from maillon.offline import services
from maillon.offline.models import OfflineOperation, Status
from maillon.patrons.models import BlockKind, PatronBlock
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user

from .conftest import DESK, op

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_one_queue_sent_by_two_tabs_at_once_is_applied_once(
    desk, network, make_patron, make_item, book
):
    reader = make_patron()
    items = [make_item(book) for _ in range(4)]
    queue = [op(n, "checkout", item.barcode, reader.card_number) for n, item in enumerate(items, 1)]
    queue.append(op(5, "checkin", items[0].barcode))
    outcomes = in_parallel(
        lambda: services.record_desk(user("libr"), network["a"], DESK, queue),
        lambda: services.record_desk(user("volunt"), network["a"], DESK, queue),
    )
    assert all(isinstance(o, list) for o in outcomes), outcomes
    for seq in range(5):
        assert sorted(o[seq].replayed for o in outcomes) == [False, True]
        assert outcomes[0][seq].operation.pk == outcomes[1][seq].operation.pk
    assert OfflineOperation.objects.filter(status=Status.APPLIED).count() == 5
    assert Loan.objects.count() == 4 and Loan.objects.filter(returned_at=None).count() == 3


@pytest.fixture
def conflict(desk, network, make_patron, make_item, book):
    patron = make_patron("Bloqué")
    PatronBlock.objects.create(patron=patron, kind=BlockKind.OTHER, library=network["a"])
    item = make_item(book)
    [outcome] = services.record_desk(
        desk["a"], network["a"], DESK, [op(1, "checkout", item.barcode, patron.card_number)]
    )
    assert outcome.operation.status == Status.CONFLICT
    return outcome.operation


def settle_both(conflict):
    return in_parallel(
        lambda: services.resolve(user("libr"), conflict.pk, override_reason="Connu"),
        lambda: services.dismiss(user("coord"), conflict.pk, "Exemplaire retrouvé en rayon"),
    )


def test_without_the_lock_both_librarians_settle_it(conflict, monkeypatch):
    both_read = threading.Barrier(2)

    def read_then_wait(pk):
        found = OfflineOperation.objects.select_related("library").get(pk=pk)  # no FOR UPDATE
        both_read.wait(TIMEOUT)  # both have seen it waiting before either writes
        if found.status != Status.CONFLICT:
            raise services.OfflineError("already_settled", "")
        return found

    monkeypatch.setattr(services, "_lock_conflict", read_then_wait)
    outcomes = settle_both(conflict)
    assert all(isinstance(o, OfflineOperation) for o in outcomes), outcomes
    # One says "applied", the other "dismissed": the loan exists whatever the row says last.
    assert {o.status for o in outcomes} == {Status.RESOLVED, Status.DISMISSED}
    assert Loan.objects.count() == 1


def test_with_the_lock_one_librarian_settles_it(conflict):
    outcomes = settle_both(conflict)
    settled = [o for o in outcomes if isinstance(o, OfflineOperation)]
    refused = [o for o in outcomes if isinstance(o, services.OfflineError)]
    assert len(settled) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "already_settled"
    final = OfflineOperation.objects.get(pk=conflict.pk)
    assert final.status == settled[0].status
    assert Loan.objects.count() == (1 if final.status == Status.RESOLVED else 0)
