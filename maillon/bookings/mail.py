"""The e-mails of bookings, in the network's language: a late resource (daily work), a request
to its owner, the decision to the library, dates freed for the first library waiting. The
messages of a change leave once it is committed, on the mail thread (maillon.core.mail)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from maillon.bookings.models import Booking, BookingStatus, Waiting
from maillon.core.dates import day
from maillon.core.mail import send_after_response
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


# Messages sent when a booking changes: after the commit, on the mail thread -----------------


def _send_on_commit(message: EmailMessage | None) -> None:
    if message is not None:
        transaction.on_commit(lambda: send_after_response([message]))


def _values(booking: Booking) -> dict[str, str]:
    return {
        "resource": booking.resource.title,
        "library": booking.library.name,
        "owner": booking.resource.owner.name,
        "start": day(booking.start, with_year=True),
        "end": day(booking.end, with_year=True),
    }


def _in_french(build):
    with translation.override(settings.LANGUAGE_CODE):
        return build()


def requested(booking: Booking) -> None:
    """The owner is asked to approve or refuse."""
    to = _addresses(booking.resource.owner)
    if not to:
        return

    def build() -> EmailMessage:
        values = _values(booking)
        subject = _("Booking request: %(resource)s") % values
        body = (
            _(
                "%(library)s asks to book %(resource)s from %(start)s to %(end)s.\n\n"
                "Approve or refuse it on the requests page of the animation resources."
            )
            % values
        )
        return EmailMessage(subject, body, to=to, reply_to=_addresses(booking.library) or None)

    _send_on_commit(_in_french(build))


def decided(booking: Booking) -> None:
    """The library is told the owner's decision (and the reason of a refusal)."""
    to = _addresses(booking.library)
    if booking.requested_by is not None and booking.requested_by.email:
        to = sorted({*to, booking.requested_by.email})
    if not to:
        return

    def build() -> EmailMessage:
        values = {**_values(booking), "reason": booking.reason}
        if booking.status == BookingStatus.REFUSED:
            subject = _("Booking refused: %(resource)s") % values
            body = (
                _(
                    "%(owner)s cannot lend %(resource)s from %(start)s to %(end)s.\n\n"
                    "Reason: %(reason)s"
                )
                % values
            )
        else:
            subject = _("Booking confirmed: %(resource)s") % values
            body = (
                _("%(owner)s confirms the loan of %(resource)s from %(start)s to %(end)s.") % values
            )
        return EmailMessage(
            subject, body, to=to, reply_to=_addresses(booking.resource.owner) or None
        )

    _send_on_commit(_in_french(build))


def dates_free(wait: Waiting, start: dt.date, end: dt.date) -> None:
    """The first library waiting for dates hears they are free."""
    to = _addresses(wait.library)
    if wait.requested_by is not None and wait.requested_by.email:
        to = sorted({*to, wait.requested_by.email})
    if not to:
        return

    def build() -> EmailMessage:
        values = {
            "resource": wait.resource.title,
            "start": day(start, with_year=True),
            "end": day(end, with_year=True),
        }
        subject = _("Dates free: %(resource)s") % values
        body = (
            _(
                "%(resource)s is free again from %(start)s to %(end)s, the dates you were "
                "waiting for. Book them soon: the first library to book them gets them."
            )
            % values
        )
        return EmailMessage(subject, body, to=to)

    _send_on_commit(_in_french(build))
