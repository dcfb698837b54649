"""A desk's queue applied in order through the circulation services, at the times it recorded;
sent twice, it changes nothing."""

import datetime as dt

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


def test_a_desk_clock_that_is_broken_is_refused(desk, network, make_item, book):
    item = make_item(book)
    odd = dt.timezone(dt.timedelta(hours=15, minutes=12))  # an offset PostgreSQL cannot store
    for broken in (dt.datetime(118, 7, 8, 7, 57, tzinfo=odd), dt.datetime(2025, 3, 3, 10)):
        with pytest.raises(services.OfflineError) as refused:
            services.record_desk(
                desk["a"], network["a"], DESK, [op(1, "checkin", item.barcode, when=broken)]
            )
        assert refused.value.code == "implausible_time"
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
    queue = [op(1, "checkout", item.barcode, reader.card_number, future)]
    [again] = services.record_desk(desk["a"], network["a"], DESK, queue)  # the retry
    assert again.replayed and Loan.objects.count() == 1


def test_a_volunteer_of_another_library_may_not_send_for_this_one(
    desk, network, make_patron, make_item, book
):
    from django.core.exceptions import PermissionDenied

    item = make_item(book)
    with pytest.raises(PermissionDenied):
        services.record_desk(desk["b"], network["a"], DESK, [op(1, "checkin", item.barcode)])
    assert not OfflineOperation.objects.exists()


def test_card_numbers_go_after_the_loan_history_delay(desk, network, make_patron, make_item, book):
    from maillon.circulation.rules import policy
    from maillon.jobs.registry import DAILY_TASKS

    reader, item = make_patron(), make_item(book)
    queue = [op(1, "checkout", item.barcode, reader.card_number), op(2, "checkout", "X1", "1")]
    services.record_desk(desk["a"], network["a"], DESK, queue)
    days = policy().anonymise_after_days
    OfflineOperation.objects.update(received_at=at() - dt.timedelta(days=days + 1))
    daily = DAILY_TASKS["maillon.offline.job_kinds.offline_daily"]
    assert daily(TODAY) == {"offline_cards_forgotten": 1}
    applied, waiting = OfflineOperation.objects.order_by("seq")
    assert (applied.card, waiting.card) == ("", "1")  # the conflict keeps what it needs
    assert daily(TODAY) == {"offline_cards_forgotten": 0}
    # The queue sent again still changes nothing.
    again = services.record_desk(desk["a"], network["a"], DESK, queue)
    assert all(o.replayed for o in again) and Loan.objects.count() == 1
