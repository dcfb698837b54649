"""What the circulation services refuse lands in the review list, never dropped; a librarian
applies it (corrected, overridden, or after checking the other loan in) or dismisses it with a
reason, and the log says who did what."""

import pytest
from django.core.exceptions import PermissionDenied

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan
from maillon.offline import services
from maillon.offline.models import Status
from maillon.patrons.models import BlockKind, PatronBlock
from tests.circulation.helpers import assert_item_consistent

from .conftest import DESK, at, op


def send(desk, network, *queue):
    return [o.operation for o in services.record_desk(desk["a"], network["a"], DESK, list(queue))]


@pytest.fixture
def blocked(make_patron, network):
    patron = make_patron("Bloqué")
    PatronBlock.objects.create(patron=patron, kind=BlockKind.OVERDUE, library=network["a"])
    return patron


def test_each_refusal_is_kept_for_review_with_its_reason(
    desk, network, make_patron, make_item, book, blocked
):
    reader, holder = make_patron(), make_patron("Autre")
    lent_elsewhere = make_item(book)
    services.circulation.checkout(desk["a"], network["a"], holder, lent_elsewhere, at=at(9))
    withdrawn = make_item(book, status=ItemStatus.WITHDRAWN)
    free = make_item(book)
    ops = send(
        desk,
        network,
        op(1, "checkout", lent_elsewhere.barcode, reader.card_number),
        op(2, "checkout", free.barcode, blocked.card_number),
        op(3, "checkout", "INCONNU-42", reader.card_number),
        op(4, "checkout", withdrawn.barcode, reader.card_number),
        op(5, "checkout", free.barcode, "99999999"),
    )
    assert [o.status for o in ops] == [Status.CONFLICT] * 5
    assert [o.code for o in ops] == [
        "already_on_loan",
        "patron_blocked",
        "unknown_barcode",
        "item_withdrawn",
        "unknown_card",
    ]
    assert all(o.message for o in ops)
    assert list(services.conflicts(network["a"])) == ops
    assert not services.conflicts(network["b"]).exists()  # another library's list
    assert Loan.objects.filter(item=lent_elsewhere, returned_at=None).get().patron == holder
    assert assert_item_consistent(free).status == ItemStatus.AVAILABLE
    logged = AuditEntry.objects.filter(action="offline_conflict").count()
    assert logged == 5


def test_a_return_dated_before_the_open_loan_began_is_a_conflict(
    desk, network, make_patron, make_item, book
):
    item = make_item(book)
    services.circulation.checkout(desk["a"], network["a"], make_patron(), item, at=at(11))
    [returned] = send(desk, network, op(1, "checkin", item.barcode, when=at(10)))
    assert (returned.status, returned.code) == (Status.CONFLICT, "loan_newer")
    assert assert_item_consistent(item).status == ItemStatus.ON_LOAN


def test_a_librarian_overrides_a_block(desk, network, make_item, book, blocked):
    item = make_item(book)
    [conflict] = send(desk, network, op(1, "checkout", item.barcode, blocked.card_number))
    with pytest.raises(PermissionDenied):  # a volunteer may not settle the review list
        services.resolve(desk["volunteer"], conflict, override_reason="Prêt de dépannage")
    unchanged = services.resolve(desk["a"], conflict)
    assert unchanged.status == Status.CONFLICT and unchanged.code == "patron_blocked"
    settled = services.resolve(desk["a"], conflict, override_reason="Connu, bloqué par erreur")
    assert settled.status == Status.RESOLVED and settled.resolved_by == desk["a"]
    loan = Loan.objects.get(item=item)
    assert loan.checked_out_at == at(10, 1) and loan.override_codes == ["patron_blocked"]
    entry = AuditEntry.objects.get(action="offline_resolved", object_id=conflict.pk)
    assert entry.details["offline_reason"] == "Connu, bloqué par erreur"
    with pytest.raises(services.OfflineError) as again:
        services.resolve(desk["a"], conflict, override_reason="encore")
    assert again.value.code == "already_settled"
    assert Loan.objects.filter(item=item).count() == 1


def test_a_mistyped_barcode_is_corrected(desk, network, make_patron, make_item, book):
    reader, item = make_patron(), make_item(book)
    [conflict] = send(desk, network, op(1, "checkout", "B1OO1", reader.card_number))
    still = services.resolve(desk["a"], conflict, barcode="B9999")
    assert (still.status, still.code, still.barcode) == (
        Status.CONFLICT,
        "unknown_barcode",
        "B9999",
    )
    settled = services.resolve(desk["a"], conflict, barcode=item.barcode)
    assert settled.status == Status.RESOLVED
    assert Loan.objects.get(item=item).patron == reader


def test_the_other_loan_is_checked_in_first_at_the_offline_time(
    desk, network, make_patron, make_item, book
):
    reader, holder, item = make_patron(), make_patron("Autre"), make_item(book)
    earlier = services.circulation.checkout(desk["a"], network["a"], holder, item, at=at(9))
    [conflict] = send(desk, network, op(1, "checkout", item.barcode, reader.card_number))
    settled = services.resolve(desk["a"], conflict, return_first=True)
    assert settled.status == Status.RESOLVED
    earlier.refresh_from_db()
    assert earlier.returned_at == at(10, 1)
    assert Loan.objects.get(item=item, returned_at=None).checked_out_at == at(10, 1)
    assert assert_item_consistent(item).status == ItemStatus.ON_LOAN


def test_a_loan_settled_late_is_closed_by_the_return_that_followed_it(
    desk, network, make_item, book, blocked
):
    item = make_item(book)
    ops = send(
        desk,
        network,
        op(1, "checkout", item.barcode, blocked.card_number),
        op(2, "checkin", item.barcode),
    )
    assert [o.status for o in ops] == [Status.CONFLICT, Status.APPLIED]
    services.resolve(desk["a"], ops[0], override_reason="Carte bloquée à tort")
    loan = Loan.objects.get(item=item)
    assert (loan.checked_out_at, loan.returned_at) == (at(10, 1), at(10, 2))
    assert assert_item_consistent(item).status == ItemStatus.AVAILABLE


def test_dismissing_needs_a_reason_and_is_logged(desk, network, make_patron, make_item, book):
    reader, item = make_patron(), make_item(book, status=ItemStatus.WITHDRAWN)
    [conflict] = send(desk, network, op(1, "checkout", item.barcode, reader.card_number))
    with pytest.raises(services.OfflineError) as refused:
        services.dismiss(desk["a"], conflict, "  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.dismiss(desk["volunteer"], conflict, "Pilonné")
    settled = services.dismiss(desk["a"], conflict, "Exemplaire pilonné, rendu au lecteur")
    assert settled.status == Status.DISMISSED
    assert not services.conflicts(network["a"]).exists()
    entry = AuditEntry.objects.get(action="offline_dismissed")
    assert entry.user_id == desk["a"].pk
    assert entry.details["offline_reason"] == "Exemplaire pilonné, rendu au lecteur"
    with pytest.raises(services.OfflineError):
        services.resolve(desk["a"], conflict)
