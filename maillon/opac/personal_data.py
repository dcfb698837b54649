"""Everything Maillon keeps about a patron, as one JSON document they can download (GDPR)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maillon.circulation.models import Hold, Loan, NoticeLog
from maillon.patrons.models import Patron


def _when(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _loan(loan: Loan) -> dict[str, Any]:
    return {
        "title": loan.item.record.title,
        "barcode": loan.item.barcode,
        "library": loan.library.name,
        "checked_out_at": _when(loan.checked_out_at),
        "due_on": _when(loan.due_on),
        "renewals": loan.renewals,
        "returned_at": _when(loan.returned_at),
    }


def personal_data(patron: Patron) -> dict[str, Any]:
    patron = Patron.objects.select_related("category", "home_library", "partner").get(pk=patron.pk)
    loans = (
        Loan.objects.filter(patron=patron)
        .select_related("item__record", "library")
        .order_by("-checked_out_at", "-pk")
    )
    holds = (
        Hold.objects.filter(patron=patron)
        .select_related("record", "pickup_library")
        .order_by("-created_at", "-pk")
    )
    return {
        "exported_at": _when(timezone.now()),
        "identity": {
            "card_number": patron.card_number,
            "surname": patron.surname,
            "first_name": patron.first_name,
            "birth_date": _when(patron.birth_date),
            "category": patron.category.name,
            "home_library": patron.home_library.name,
            "email": patron.email,
            "phone": patron.phone,
            "address": patron.address,
            "postcode": patron.postcode,
            "city": patron.city,
            "partner": patron.partner.name if patron.partner else None,
            "responsible_person": patron.responsible_person,
            "registered_on": _when(patron.registered_on),
            "expires_on": _when(patron.expires_on),
            "has_password": patron.has_account,
        },
        "consents": {
            "email_notices": patron.email_notices,
            "newsletters": patron.newsletters,
            "keep_history": patron.keep_history,
            "loan_ticket": patron.get_receipt_display(),
        },
        "loans": [_loan(loan) for loan in loans if loan.returned_at is None],
        "history": [_loan(loan) for loan in loans if loan.returned_at is not None],
        "holds": [
            {
                "title": h.record.title,
                "pickup_library": h.pickup_library.name,
                "status": h.status,
                "placed_at": _when(h.created_at),
                "ready_until": _when(h.ready_until),
                "closed_at": _when(h.closed_at),
            }
            for h in holds
        ],
        "notices": [
            {"kind": n.kind, "sent_at": _when(n.sent_at), "to": n.to, "subject": n.subject}
            for n in NoticeLog.objects.filter(patron=patron).order_by("-sent_at")
        ],
        "blocks": [
            {"reason": b.kind, "since": _when(b.created_at), "lifted_at": _when(b.lifted_at)}
            for b in patron.blocks.all()
        ],
        "change_requests": [
            {
                "changes": r.changes,
                "comment": r.comment,
                "status": r.status,
                "asked_at": _when(r.created_at),
            }
            for r in patron.change_requests.all()
        ],
    }
