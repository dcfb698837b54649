"""Today's desk work in numbers, for the staff home page (asked through core.usage)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer
from maillon.network.models import Library


def today_counts(library: Library | None, today: dt.date) -> list[dict]:
    """(label, count, address) of the day's work at `library`, or in the whole network."""
    here = {} if library is None else {"library": library}
    transfers = Transfer.objects.filter(received_at__isnull=True, cancelled_at__isnull=True)
    holds = Hold.objects.all()
    loans = Loan.objects.filter(returned_at__isnull=True, due_on__lt=today)
    if library is not None:
        holds = holds.filter(pickup_library=library)
        loans = loans.filter(**here)
    pull = Hold.objects.filter(status=HoldStatus.WAITING, target__status=ItemStatus.AVAILABLE)
    if library is not None:
        pull = pull.filter(target__current=library)
    day = reverse("circulation:day")
    return [
        {"label": _("to pull from the shelves"), "count": pull.count(), "url": day},
        {
            "label": _("on the hold shelf"),
            "count": holds.filter(status=HoldStatus.READY).count(),
            "url": day,
        },
        {
            "label": _("to send by the shuttle"),
            "count": transfers.filter(
                sent_at__isnull=True, **({"from_library": library} if library else {})
            ).count(),
            "url": day + "#navette",
        },
        {
            "label": _("arriving by the shuttle"),
            "count": transfers.filter(
                sent_at__isnull=False, **({"to_library": library} if library else {})
            ).count(),
            "url": day + "#navette",
        },
        {"label": _("loans overdue"), "count": loans.count(), "url": ""},
    ]
