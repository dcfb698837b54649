"""E-mail notices to patrons: "hold ready", "due soon" and "overdue".

Sent through Django's mail framework (the SMTP server of the settings), in French, one message
per patron, kind and library, signed with the library's name. Only patrons who gave an e-mail
address and consented to notices receive them. Each notice is logged in NoticeLog per loan or
hold; the log's unique indexes make a notice go out once, however often the command runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.circulation.common import today_or
from maillon.circulation.loans import due_soon, overdue_loans
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.circulation.notice_models import NoticeKind, NoticeLog
from maillon.network.models import Library
from maillon.patrons.models import Patron

logger = logging.getLogger(__name__)


@dataclass
class NoticeReport:
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NoticeKind.values, 0))
    failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def _consenting(queryset, patron_path: str):
    return (
        queryset.filter(**{f"{patron_path}__email_notices": True})
        .exclude(**{f"{patron_path}__email": ""})
        .exclude(**{f"{patron_path}__isnull": True})
    )


def _pending(today: dt.date) -> dict[tuple[str, int, int], list[Loan | Hold]]:
    """(kind, patron id, library id) → the loans or holds still to notify."""
    groups: dict[tuple[str, int, int], list] = defaultdict(list)
    ready = (
        _consenting(Hold.objects.filter(status=HoldStatus.READY), "patron")
        .exclude(notices__kind=NoticeKind.HOLD_READY)
        .select_related("record", "patron", "pickup_library")
        .order_by("pk")
    )
    for hold in ready:
        groups[NoticeKind.HOLD_READY, hold.patron_id, hold.pickup_library_id].append(hold)
    for kind, loans in (
        (NoticeKind.DUE_SOON, due_soon(today)),
        (NoticeKind.OVERDUE, overdue_loans(today)),
    ):
        for loan in (
            _consenting(loans, "patron").exclude(notices__kind=kind).order_by("due_on", "pk")
        ):
            groups[kind, loan.patron_id, loan.library_id].append(loan)
    return groups


def _lines(kind: str, rows: list) -> list[str]:
    if kind == NoticeKind.HOLD_READY:
        return [
            _("- %(title)s, kept for you until %(date)s")
            % {"title": h.record.title, "date": date_format(h.ready_until)}
            if h.ready_until
            else f"- {h.record.title}"
            for h in rows
        ]
    return [
        _("- %(title)s (barcode %(barcode)s), due on %(date)s")
        % {
            "title": loan.item.record.title,
            "barcode": loan.item.barcode,
            "date": date_format(loan.due_on),
        }
        for loan in rows
    ]


def compose(kind: str, patron: Patron, library: Library, rows: list) -> tuple[str, str]:
    """The subject and body of one notice, in the active language."""
    count = len(rows)
    if kind == NoticeKind.HOLD_READY:
        subject = ngettext(
            "Your reservation is waiting for you %(at_library)s",
            "Your %(count)d reservations are waiting for you %(at_library)s",
            count,
        )
        intro = ngettext(
            "The document you reserved can be picked up %(at_library)s:",
            "The documents you reserved can be picked up %(at_library)s:",
            count,
        )
    elif kind == NoticeKind.DUE_SOON:
        subject = ngettext(
            "A document is due back soon %(at_library)s",
            "%(count)d documents are due back soon %(at_library)s",
            count,
        )
        intro = ngettext(
            "This document borrowed %(at_library)s is due back soon:",
            "These documents borrowed %(at_library)s are due back soon:",
            count,
        )
    else:
        subject = ngettext(
            "Overdue document: please return it %(to_library)s",
            "%(count)d overdue documents: please return them %(to_library)s",
            count,
        )
        intro = ngettext(
            "The return date of this document borrowed %(at_library)s has passed:",
            "The return date of these documents borrowed %(at_library)s has passed:",
            count,
        )
    values = {
        "library": library.name,
        "at_library": library.at_name,
        "to_library": library.to_name,
        "count": count,
    }
    greeting = _("Hello %(name)s,") % {"name": f"{patron.first_name} {patron.surname}".strip()}
    if kind == NoticeKind.HOLD_READY:
        closing = _("Bring your card (number %(card)s).") % {"card": patron.card_number}
    elif kind == NoticeKind.DUE_SOON:
        closing = ngettext(
            "You may return it at any library of the network, or renew it from "
            "your account if no one is waiting for it.",
            "You may return them at any library of the network, or renew them "
            "from your account if no one is waiting for them.",
            count,
        )
    else:
        closing = ngettext(
            "Please return it as soon as possible, at any library of the network.",
            "Please return them as soon as possible, at any library of the network.",
            count,
        )
    signature = "\n".join(part for part in (library.name, library.phone, library.email) if part)
    body = "\n".join(
        [
            greeting,
            "",
            intro % values,
            "",
            *_lines(kind, rows),
            "",
            closing,
            "",
            _("Best regards,"),
            signature,
            "",
        ]
    )
    return subject % values, body


def send_notices(today: dt.date | None = None, *, connection=None) -> NoticeReport:
    """Send every notice due on `today`; a notice already logged is never sent again.

    A message that cannot be sent is not logged, so the next run tries it again.
    """
    today = today_or(today)
    report = NoticeReport()
    groups = _pending(today)
    if not groups:
        return report
    patrons = Patron.objects.in_bulk({patron_id for _kind, patron_id, _lib in groups})
    libraries = Library.objects.in_bulk({library_id for _k, _p, library_id in groups})
    connection = connection or get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.exception("the mail server cannot be reached; no notice sent")
        report.failed = len(groups)
        return report
    try:
        _send_groups(groups, patrons, libraries, connection, report)
    finally:
        connection.close()
    return report


def _send_groups(groups, patrons, libraries, connection, report: NoticeReport) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        for (kind, patron_id, library_id), rows in groups.items():
            patron, library = patrons[patron_id], libraries[library_id]
            subject, body = compose(kind, patron, library, rows)
            message = EmailMessage(
                subject,
                body,
                to=[patron.email],
                connection=connection,
                reply_to=[library.email] if library.email else None,
            )
            try:
                with transaction.atomic():
                    now = timezone.now()
                    NoticeLog.objects.bulk_create(
                        [
                            NoticeLog(
                                patron=patron,
                                kind=kind,
                                sent_at=now,
                                to=patron.email,
                                subject=subject[:250],
                                loan=row if isinstance(row, Loan) else None,
                                hold=row if isinstance(row, Hold) else None,
                            )
                            for row in rows
                        ]
                    )
                    message.send()
            except IntegrityError:
                continue  # another run logged (and sent) it meanwhile
            except (smtplib.SMTPException, OSError):
                logger.exception("notice %s to patron %s not sent", kind, patron_id)
                report.failed += 1
                continue
            report.sent[kind] += 1
