"""A loan limit holds when many desks lend to one patron at once (PostgreSQL, real threads).

Under READ COMMITTED a statement sees what was committed before it began. The statement that
locks the patron may wait for the lock while other checkouts commit loans: a count taken in that
same statement misses them. Measured before the fix, with the policy at 10 loans per library,
16 threads lending 30 items to one patron got 23 loans. The counts are now read by a statement
of their own once the lock is held; the ``stale`` case reads them the old way, in the locking
statement, and shows the limit exceeded.
"""

import queue
import threading

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from maillon.circulation import common
from maillon.circulation.models import Loan, NetworkPolicy
from maillon.circulation.services import CirculationError, checkout
from maillon.core.prepared import Prepared

from .conftest import TODAY
from .test_concurrency import TIMEOUT, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]
THREADS, ITEMS, LIMIT = 16, 30, 10


def lend_all_at_once(network, patron, items) -> list:
    """16 desks take the 30 barcodes from one queue, all released at once; what each got."""
    barcodes: queue.Queue[str] = queue.Queue()
    for item in items:
        barcodes.put(item.barcode)
    start = threading.Barrier(THREADS)
    outcomes: list = []

    def desk() -> None:
        try:
            start.wait(TIMEOUT)
            actor = user("libr")
            while True:
                try:
                    barcode = barcodes.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcomes.append(
                        checkout(actor, network["a"], patron.card_number, barcode, today=TODAY)
                    )
                except CirculationError as error:
                    outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 3)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def stale_locking_patrons():
    """The old way: the patron's loans counted by the statement that waits for its lock."""
    loans = (
        Loan.objects.filter(patron=OuterRef("pk"), returned_at__isnull=True)
        .order_by()
        .values("patron")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return common._locking_patrons().annotate(
        has_active_block=Value(False), open_loans=Coalesce(Subquery(loans), 0)
    )


def counts_already_read(patron, item, *_counts) -> None:
    """The counts read after the locks left aside: the patron's, read with its lock, decide."""
    item.has_open_holds = False  # no hold in this test


@pytest.mark.parametrize("stale", [False, True], ids=["after-lock", "stale"])
def test_sixteen_desks_keep_the_library_limit(
    stale, desk, network, make_patron, make_item, make_record, policy, monkeypatch
):
    NetworkPolicy.objects.filter(pk=1).update(max_loans_per_library=LIMIT, max_loans_network=None)
    patron = make_patron()
    items = [make_item(make_record(f"Titre {i}")) for i in range(ITEMS)]
    if stale:
        locking = Prepared(lambda card: stale_locking_patrons().filter(card_number=card), str)
        monkeypatch.setattr(common, "_LOCK_BY_CARD", locking)
        monkeypatch.setattr(common, "_counted", counts_already_read)
    outcomes = lend_all_at_once(network, patron, items)
    granted = sum(isinstance(o, Loan) for o in outcomes)
    refused = [o.code for o in outcomes if isinstance(o, CirculationError)]
    assert granted + len(refused) == ITEMS, outcomes
    assert set(refused) <= {"max_loans_library"}, refused
    if stale:
        assert granted > LIMIT  # the race is real
    else:
        assert granted == LIMIT
    assert Loan.objects.filter(patron=patron, returned_at__isnull=True).count() == granted
