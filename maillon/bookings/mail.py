"""The e-mails of bookings, in the network's language: a late resource (daily work), a request
to its owner, the decision to the library, dates freed for the first library waiting."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from maillon.bookings.models import Booking, BookingStatus
from maillon.core.dates import day
from maillon.network.models import Library

logger = logging.getLogger(__name__)
# A resource still late is recalled to both sides once a week.
LATE_REMINDER_DAYS = 7


def _addresses(*libraries: Library) -> list[str]:
    return sorted({library.email for library in libraries if library.email})


def _late(booking: Booking, today: dt.date) -> EmailMessage | None:
    to = _addresses(booking.library, booking.resource.owner)
    if not to:
        return None
    values = {
        "resource": booking.resource.title,
        "to_library": booking.library.to_name,
        "owner": booking.resource.owner.name,
        "end": day(booking.end, with_year=True),
        "days": (today - booking.end).days,
    }
    subject = _("Late: %(resource)s was due back on %(end)s") % values
    body = (
        _(
            "%(resource)s (owner: %(owner)s), lent %(to_library)s, was due back on %(end)s "
            "(%(days)d days ago). Until it is back and checked, nobody else can book it.\n\n"
            "Please agree on the day it travels back."
        )
        % values
    )
    return EmailMessage(subject, body, to=to)


def late_notices(today: dt.date) -> int:
    """Tell the borrowing library and the owner about each resource late, then again weekly.
    Each booking is marked in the same transaction its message is sent: a second run the same
    day sends nothing, and a message that failed is tried again tomorrow."""
    due = Booking.objects.filter(status=BookingStatus.DELIVERED, end__lt=today).exclude(
        overdue_notice_on__gt=today - dt.timedelta(days=LATE_REMINDER_DAYS)
    )
    sent = 0
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for pk in due.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    booking = (
                        due.select_for_update(of=("self",))
                        .select_related("library", "resource__owner")
                        .filter(pk=pk)
                        .first()
                    )
                    if booking is None:  # back meanwhile, or told by another run
                        continue
                    booking.overdue_notice_on = today
                    booking.save(update_fields=["overdue_notice_on"])
                    message = _late(booking, today)
                    if message is not None:
                        message.connection = connection
                        message.send()
                        sent += 1
            except (smtplib.SMTPException, OSError):
                logger.exception("late notice of booking %s not sent", pk)
    return sent
