"""The loan ticket (ticket de prêt): what a patron took home today at one library, printed on
the desk's receipt printer or sent by e-mail, as the patron chose on their card.

"Today at this library" is the desk session: a volunteer prints the ticket at the end of a
checkout, and a patron who comes back in the afternoon gets one ticket with everything. The
ticket names the patron by card and initials only (it may be left on a table) and never lists
what was lent at another library.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.audit.services import record
from maillon.circulation.common import initials
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.core.dates import day
from maillon.network.models import Library
from maillon.patrons.models import Patron


@dataclass
class Receipt:
    library: Library
    patron: Patron
    at: dt.datetime
    lent: list[Loan]  # today, at this library, still out
    other_loans: int  # the patron's other open loans, anywhere in the network
    overdue: int  # of all the open loans
    ready: list[Hold]  # holds waiting on a hold shelf

    @property
    def patron_initials(self) -> str:
        return initials(self.patron)


def receipt_for(patron: Patron, library: Library, today: dt.date | None = None) -> Receipt:
    today = today or timezone.localdate()
    open_loans = list(
        Loan.objects.filter(patron=patron, returned_at__isnull=True)
        .select_related("item", "item__record")
        .order_by("due_on", "pk")
    )
    lent = [
        loan
        for loan in open_loans
        if loan.library_id == library.pk and timezone.localdate(loan.checked_out_at) == today
    ]
    ready = list(
        Hold.objects.filter(patron=patron, status=HoldStatus.READY)
        .select_related("record", "pickup_library")
        .order_by("ready_until", "pk")
    )
    return Receipt(
        library=library,
        patron=patron,
        at=timezone.now(),
        lent=lent,
        other_loans=len(open_loans) - len(lent),
        overdue=sum(1 for loan in open_loans if loan.due_on < today),
        ready=ready,
    )


def compose(receipt: Receipt) -> tuple[str, str]:
    """The e-mail's subject and plain-text body, in the network's language."""
    library = receipt.library
    subject = _("Your loans %(at)s") % {"at": library.at_name}
    lines = [
        _("Hello,"),
        "",
        _("Here are the documents you borrowed %(at)s on %(day)s:")
        % {"at": library.at_name, "day": day(receipt.at, with_year=True)},
        "",
    ]
    for loan in receipt.lent:
        lines.append(
            _("- %(title)s (%(barcode)s), to return by %(day)s")
            % {
                "title": loan.item.record.title,
                "barcode": loan.item.barcode,
                "day": day(loan.due_on, with_year=True),
            }
        )
    lines.append("")
    if receipt.other_loans:
        lines.append(
            ngettext(
                "You also have %(n)d other document on loan.",
                "You also have %(n)d other documents on loan.",
                receipt.other_loans,
            )
            % {"n": receipt.other_loans}
        )
    if receipt.overdue:
        lines.append(
            ngettext(
                "%(n)d document is overdue: please bring it back.",
                "%(n)d documents are overdue: please bring them back.",
                receipt.overdue,
            )
            % {"n": receipt.overdue}
        )
    for hold in receipt.ready:
        lines.append(
            _("Waiting for you %(at)s until %(day)s: %(title)s")
            % {
                "at": hold.pickup_library.at_name,
                "day": day(hold.ready_until, with_year=False) if hold.ready_until else "—",
                "title": hold.record.title,
            }
        )
    lines += ["", _("Happy reading!"), library.name]
    if library.phone:
        lines.append(library.phone)
    return subject, "\n".join(lines) + "\n"


def email_receipt(actor, library: Library, patron: Patron, today: dt.date | None = None) -> str:
    """Send today's ticket to the patron's address; the address it went to. Recorded in the
    audit log (no address or title in it: the log outlives the privacy delays)."""
    if not patron.email:
        raise CirculationError("no_email", _("This card has no e-mail address."))
    receipt = receipt_for(patron, library, today)
    if not receipt.lent:
        raise CirculationError(
            "nothing_lent_today",
            _("Nothing was lent on this card here today: there is no ticket to send."),
        )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = compose(receipt)
    message = EmailMessage(
        subject, body, to=[patron.email], reply_to=[library.email] if library.email else None
    )
    with transaction.atomic():
        record(
            "receipt_emailed",
            patron,
            actor=actor,
            library=library,
            patron=patron,
            details={"loans": [loan.pk for loan in receipt.lent]},
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            raise CirculationError(
                "mail_failed",
                _("The e-mail could not be sent (the mail server did not answer): print it."),
            ) from error
    return patron.email
