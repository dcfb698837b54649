"""Loan and hold history is personal data (invariant 7): it loses the patron after a delay.

The audit log follows: its entries lose their patron link after the same delay (kept for a patron
who keeps their history), and every entry is deleted after MAILLON_AUDIT_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from maillon.audit.services import forget_patrons, purge
from maillon.circulation.common import today_or
from maillon.circulation.models import CLOSED_HOLD_STATUSES, Hold, Loan
from maillon.circulation.notice_models import NoticeLog
from maillon.circulation.rules import policy
from maillon.patrons.models import Patron


def anonymise_history(today: dt.date | None = None) -> dict[str, int]:
    """Remove the patron from loans returned, and holds closed, more than the policy's delay
    ago — unless the patron chose to keep their history. Date, library, item, item type,
    patron category, age band and home library stay for statistics. The notices sent about
    those loans and holds lose their patron and e-mail address in the same run (kind, date and
    subject stay). Returns the counts (the audit log: ``anonymise_audit_log``).

    Touches only closed rows, which no other service changes: no lock needed beyond the
    transaction.
    """
    today = today_or(today)
    days = policy().anonymise_after_days
    limit = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    now = timezone.now()
    with transaction.atomic():
        loans = (
            Loan.objects.filter(returned_at__lt=limit, patron__isnull=False)
            .exclude(patron__keep_history=True)
            .update(patron=None, anonymised_at=now)
        )
        holds = (
            Hold.objects.filter(
                status__in=CLOSED_HOLD_STATUSES, closed_at__lt=limit, patron__isnull=False
            )
            .exclude(patron__keep_history=True)
            .update(patron=None, anonymised_at=now)
        )
        # Follows the loans and holds: a notice about a row kept for its patron stays too,
        # and the log of an open loan keeps the notice from going out twice.
        notices = (
            NoticeLog.objects.filter(
                Q(loan__anonymised_at__isnull=False) | Q(hold__anonymised_at__isnull=False)
            )
            .filter(Q(patron__isnull=False) | ~Q(to=""))
            .update(patron=None, to="")
        )
    return {"loans": loans, "holds": holds, "notices": notices}


def anonymise_audit_log(today: dt.date | None = None) -> dict[str, int]:
    """The audit log's part of the same rule: entries older than the policy's delay lose their
    patron link (the patron concerned, or acting), unless the patron keeps their history; entries
    older than MAILLON_AUDIT_RETENTION_DAYS are deleted. Returns the counts ("unlinked",
    "purged"). Entries are never changed otherwise: no lock needed."""
    today = today_or(today)
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    limit = midnight - dt.timedelta(days=policy().anonymise_after_days)
    with transaction.atomic():
        unlinked = forget_patrons(limit, keep=Patron.objects.filter(keep_history=True).values("pk"))
        purged = purge(midnight - dt.timedelta(days=settings.MAILLON_AUDIT_RETENTION_DAYS))
    return {"unlinked": unlinked, "purged": purged}
