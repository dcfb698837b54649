"""What circulation adds to the catalogue's staff item and record pages: the loan (borrower,
due date, renewals left, override), the transfer under way, and the record's hold queue.

The catalogue asks through core.usage ("item_panels", "record_panels"): it shows what the apps
above it know without importing them. A few queries per page, whatever the number of copies.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from maillon.catalogue.models import Item, Record
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold, HoldStatus, Loan, Transfer
from maillon.circulation.rules import RuleBook
from maillon.network.permissions import Action, can


def _queue(record_id: int) -> list[Hold]:
    """The record's active holds: the ready and travelling ones, then the queue in order."""
    holds = list(
        Hold.objects.filter(record_id=record_id, status__in=ACTIVE_HOLD_STATUSES)
        .select_related("patron", "pickup_library", "target", "item")
        .order_by("created_at", "pk")
    )
    position = 0
    for hold in holds:
        if hold.status == HoldStatus.WAITING:
            position += 1
            hold.position = position  # type: ignore[attr-defined]  # for the template
        else:
            hold.position = None  # type: ignore[attr-defined]
    order: dict[str, int] = {"ready": 0, "in_transit": 1, "waiting": 2}
    return sorted(holds, key=lambda h: (order.get(str(h.status), 3), h.created_at, h.pk))


def _loans(item_ids: list[int]) -> dict[int, Loan]:
    return {
        loan.item_id: loan
        for loan in Loan.objects.filter(
            item_id__in=item_ids, returned_at__isnull=True
        ).select_related("patron", "patron__category", "library")
    }


def _renewals_left(book: RuleBook, item: Item, loan: Loan) -> int:
    category = loan.patron.category_id if loan.patron else None
    rule = book.rule_for(item.home_id, category, item.item_type_id)
    return max(0, rule.renewals - loan.renewals)


def item_panels(item: Item, request: HttpRequest) -> str:
    loan = _loans([item.pk]).get(item.pk)
    renewals_left = _renewals_left(RuleBook(), item, loan) if loan else None
    transfer = (
        Transfer.objects.filter(item=item, received_at__isnull=True, cancelled_at__isnull=True)
        .select_related("from_library", "to_library")
        .first()
    )
    return render_to_string(
        "circulation/panels/item.html",
        {
            "item": item,
            "loan": loan,
            "renewals_left": renewals_left,
            "overdue": loan is not None and loan.due_on < timezone.localdate(),
            "may_open_patron": loan is not None
            and loan.patron is not None
            and can(request.user, Action.VIEW, loan.patron.home_library_id),
            "transfer": transfer,
            "holds": _queue(item.record_id),
        },
        request=request,
    )


def record_panels(record: Record, request: HttpRequest) -> str:
    items = {i.pk: i for i in record.items.all()}
    loans = sorted(_loans(list(items)).values(), key=lambda loan: (loan.due_on, loan.pk))
    book = RuleBook()
    today = timezone.localdate()
    lines = [
        {
            "item": items[loan.item_id],
            "loan": loan,
            "overdue": loan.due_on < today,
            "renewals_left": _renewals_left(book, items[loan.item_id], loan),
        }
        for loan in loans
    ]
    return render_to_string(
        "circulation/panels/record.html",
        {"lines": lines, "holds": _queue(record.pk), "items": items},
        request=request,
    )
