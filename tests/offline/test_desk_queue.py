"""A desk's queue applied in order through the circulation services, at the times it recorded;
sent twice, it changes nothing."""

import pytest

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import ItemStatus
from maillon.circulation.calendar import due_date
from maillon.circulation.models import Loan
from maillon.offline import services
from maillon.offline.models import OfflineOperation, Status
from tests.circulation.helpers import assert_item_consistent

from .conftest import DESK, TODAY, at, op


def test_a_checkout_and_a_return_happen_at_their_own_times(
    desk, network, make_patron, make_item, book
):
    reader = make_patron()
    lent, returned = make_item(book), make_item(book)
    first = make_patron("Durand")
    returned_loan = services.circulation.checkout(
        desk["a"], network["a"], first, returned, at=at(9)
    )
    outcomes = services.record_desk(
        desk["a"],
        network["a"],
        DESK,
        [op(2, "checkin", returned.barcode), op(1, "checkout", lent.barcode, reader.card_number)],
    )
    assert [o.operation.seq for o in outcomes] == [1, 2]  # in sequence order
    assert [o.operation.status for o in outcomes] == [Status.APPLIED, Status.APPLIED]
    loan = Loan.objects.get(item=lent)
    assert loan.patron == reader and loan.checked_out_at == at(10, 1)
    assert loan.due_on == due_date(network["a"], TODAY, 21)
    returned_loan.refresh_from_db()
    assert returned_loan.returned_at == at(10, 2)
    assert outcomes[1].operation.message  # where the returned item goes
    assert assert_item_consistent(lent).status == ItemStatus.ON_LOAN
    assert assert_item_consistent(returned).status == ItemStatus.AVAILABLE


def test_the_same_queue_sent_twice_changes_nothing(desk, network, make_patron, make_item, book):
    reader = make_patron()
    items = [make_item(book) for _ in range(3)]
    queue = [op(n, "checkout", item.barcode, reader.card_number) for n, item in enumerate(items, 1)]
    queue.append(op(4, "checkin", items[0].barcode))
    first = services.record_desk(desk["a"], network["a"], DESK, queue)
    counts = (Loan.objects.count(), OfflineOperation.objects.count(), AuditEntry.objects.count())
    states = [assert_item_consistent(item).status for item in items]
    again = services.record_desk(desk["volunteer"], network["a"], DESK, queue)
    assert [o.replayed for o in first] == [False] * 4
    assert [o.replayed for o in again] == [True] * 4
    assert [o.operation.pk for o in again] == [o.operation.pk for o in first]
    assert (
        Loan.objects.count(),
        OfflineOperation.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert [assert_item_consistent(item).status for item in items] == states
    assert states == [ItemStatus.AVAILABLE, ItemStatus.ON_LOAN, ItemStatus.ON_LOAN]


def test_a_sequence_number_reused_for_something_else_is_refused(
    desk, network, make_patron, make_item, book
):
    reader, item, other = make_patron(), make_item(book), make_item(book)
    services.record_desk(
        desk["a"], network["a"], DESK, [op(1, "checkout", item.barcode, reader.card_number)]
    )
    with pytest.raises(services.OfflineError) as refused:
        services.record_desk(
            desk["a"], network["a"], DESK, [op(1, "checkout", other.barcode, reader.card_number)]
        )
    assert refused.value.code == "sequence_reused"
    assert assert_item_consistent(other).status == ItemStatus.AVAILABLE


def test_a_desk_id_that_is_not_one_is_refused(desk, network, make_patron, make_item, book):
    item = make_item(book)
    for bad in ("", "court", "a" * 65, "koc:abcdef12", "../../etc"):
        with pytest.raises(services.OfflineError):
            services.record_desk(desk["a"], network["a"], bad, [op(1, "checkin", item.barcode)])
    assert not OfflineOperation.objects.exists()


def test_a_desk_clock_running_ahead_cannot_date_a_loan_in_the_future(
    desk, network, make_patron, make_item, book
):
    from django.utils import timezone

    reader = make_patron(expires_on=timezone.localdate() + timezone.timedelta(days=300))
    item = make_item(book)
    future = timezone.now() + timezone.timedelta(days=3)
    before = timezone.now()
    services.record_desk(
        desk["a"], network["a"], DESK, [op(1, "checkout", item.barcode, reader.card_number, future)]
    )
    loan = Loan.objects.get(item=item)
    assert before <= loan.checked_out_at <= timezone.now()


def test_a_volunteer_of_another_library_may_not_send_for_this_one(
    desk, network, make_patron, make_item, book
):
    from django.core.exceptions import PermissionDenied

    item = make_item(book)
    with pytest.raises(PermissionDenied):
        services.record_desk(desk["b"], network["a"], DESK, [op(1, "checkin", item.barcode)])
    assert not OfflineOperation.objects.exists()
