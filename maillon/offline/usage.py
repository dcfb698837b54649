"""What the offline desk adds to the staff home page (see maillon.core.usage)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.core import usage
from maillon.network.models import Library
from maillon.offline.models import OfflineOperation, Status


def today_counts(library: Library | None, today: dt.date) -> list[dict]:
    """The offline operations waiting for a librarian; the link leads to the offline desk too."""
    waiting = OfflineOperation.objects.filter(status=Status.CONFLICT)
    if library is not None:
        waiting = waiting.filter(library=library)
    return [
        {
            "label": _("offline operations to review"),
            "count": waiting.count(),
            "url": reverse("offline:review"),
        }
    ]


def register() -> None:
    usage.register("today_counts", today_counts)
