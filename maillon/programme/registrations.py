"""Registrations to events: places never exceed the capacity; a waiting list takes the rest and
moves up by itself when someone cancels (the event's row is locked for both)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.network.permissions import Action, require
from maillon.programme import dates
from maillon.programme.models import (
    OPEN_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from maillon.programme.services import ProgrammeError

logger = logging.getLogger(__name__)
MAX_PLACES = 10


def _lock_event(event: Event | int) -> Event:
    pk = event if isinstance(event, int) else event.pk
    return Event.objects.select_for_update(of=("self",)).select_related("library").get(pk=pk)


def taken(event: Event, session: Session | None) -> int:
    return (
        Registration.objects.filter(
            event=event, session=session, status=RegistrationStatus.CONFIRMED
        ).aggregate(n=Sum("places"))["n"]
        or 0
    )


def remaining(event: Event, session: Session | None = None) -> int | None:
    if not event.registration_required or not event.capacity:
        return None
    return max(event.capacity - taken(event, session), 0)


def _when(event: Event, session: Session | None) -> str:
    if session is not None:
        return dates.moment(session.starts_at)
    first = event.sessions.order_by("starts_at").first()
    return dates.moment(first.starts_at) if first else ""


def cancel_link(registration: Registration, base_url: str = "") -> str:
    """The public address that cancels `registration`: the public URL setting first, else the
    request's; empty when neither is known (a job without MAILLON_PUBLIC_URL)."""
    base = settings.MAILLON_PUBLIC_URL or base_url.rstrip("/")
    if not base:
        return ""
    return base + reverse("opac:registration_cancel", args=[registration.token])


def message_to(
    registration: Registration,
    subject: str,
    lines: list[str],
    base_url: str = "",
    *,
    with_link: bool = True,
) -> EmailMessage | None:
    if not registration.email:
        return None
    event = registration.event
    link = cancel_link(registration, base_url) if with_link else ""
    cancel = [_("To cancel: %(link)s") % {"link": link}] if link else []
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": registration.name},
            "",
            *lines,
            "",
            *cancel,
            "",
            event.library.name,
        ]
    )
    return EmailMessage(
        subject,
        body,
        to=[registration.email],
        reply_to=[event.library.email] if event.library.email else None,
    )


def send(messages: list[EmailMessage | None]) -> None:
    for message in messages:
        if message is None:
            continue
        try:
            message.send()
        except Exception:  # noqa: BLE001 — a bounced address must not undo the registration
            logger.exception("registration mail to %s not sent", message.to)


def _confirmation(registration: Registration, base_url: str) -> EmailMessage | None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "event": registration.event.title,
            "when": _when(registration.event, registration.session),
            "places": registration.places,
        }
        if registration.status == RegistrationStatus.CONFIRMED:
            return message_to(
                registration,
                _("Registered: %(event)s") % values,
                [_("You are registered for “%(event)s”, %(when)s (%(places)s place(s)).") % values],
                base_url,
            )
        return message_to(
            registration,
            _("Waiting list: %(event)s") % values,
            [
                _(
                    "“%(event)s”, %(when)s, is full: you are on the waiting list. If a place "
                    "frees up, you will be registered and told by e-mail."
                )
                % values
            ],
            base_url,
        )


def _promoted(registration: Registration, base_url: str) -> EmailMessage | None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "event": registration.event.title,
            "when": _when(registration.event, registration.session),
        }
        return message_to(
            registration,
            _("A place for you: %(event)s") % values,
            [_("A place has freed up: you are now registered for “%(event)s”, %(when)s.") % values],
            base_url,
        )


def register(
    event: Event,
    *,
    session: Session | None = None,
    patron: Any = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    places: int = 1,
    now: dt.datetime | None = None,
    base_url: str = "",
) -> Registration:
    """Registered if there is room, else waiting-listed. The same person registering twice
    (a double submit) gets their first registration back."""
    now = now or timezone.now()
    if patron is not None:
        name = name or f"{patron.first_name} {patron.surname}".strip()
        email = email or patron.email
        phone = phone or patron.phone
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ProgrammeError("name_missing", _("Give your name."), field="name")
    if not email and not phone and patron is None:  # a patron is reached through their card
        raise ProgrammeError(
            "contact_missing", _("Give an e-mail address or a phone number."), field="email"
        )
    if not 1 <= places <= MAX_PLACES:
        raise ProgrammeError(
            "places_invalid",
            _("Register from 1 to %(max)d places.") % {"max": MAX_PLACES},
            field="places",
        )
    with transaction.atomic():
        event = _lock_event(event)
        if session is not None and session.event_id != event.pk:
            raise ProgrammeError("session_elsewhere", _("This date is not one of the event's."))
        if event.status == EventStatus.CANCELLED:
            raise ProgrammeError("event_cancelled", _("This event is cancelled."))
        if event.status == EventStatus.POSTPONED:
            raise ProgrammeError(
                "event_postponed",
                _("This event is postponed: registrations reopen with its new dates."),
            )
        if event.status not in OPEN_STATUSES:
            raise ProgrammeError("event_closed", _("Registrations are not open for this event."))
        if not event.registration_required or not event.capacity:
            raise ProgrammeError("no_registration", _("This event needs no registration."))
        start = (
            session.starts_at
            if session is not None
            else event.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
        )
        if start is None or start <= now:
            raise ProgrammeError("event_past", _("This event has already begun."))
        same = Registration.objects.filter(event=event, session=session).exclude(
            status=RegistrationStatus.CANCELLED
        )
        same = same.filter(Q(patron=patron) if patron is not None else Q(email=email, name=name))
        if email or patron is not None:
            existing = same.first()
            if existing is not None:
                return existing
        free = event.capacity - taken(event, session)
        waiting = Registration.objects.filter(
            event=event, session=session, status=RegistrationStatus.WAITING
        ).exists()
        # Marked full by staff: newcomers wait even if places look free (a group at the desk).
        status = (
            RegistrationStatus.CONFIRMED
            if places <= free and not waiting and event.status != EventStatus.FULL
            else RegistrationStatus.WAITING
        )
        registration = Registration.objects.create(
            event=event,
            session=session,
            patron=patron,
            name=name,
            email=email,
            phone=phone,
            places=places,
            status=status,
        )
        message = _confirmation(registration, base_url)
        transaction.on_commit(lambda: send([message]))
    return registration


def _promote(event: Event, session: Session | None) -> list[Registration]:
    """Confirm the waiting list in order while places are free (the event is locked)."""
    free = event.capacity - taken(event, session) if event.capacity else 0
    promoted = []
    for waiting in Registration.objects.filter(
        event=event, session=session, status=RegistrationStatus.WAITING
    ).order_by("created_at", "pk"):
        if waiting.places > free:
            break  # first come, first served: nobody jumps the queue
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.save(update_fields=["status"])
        free -= waiting.places
        promoted.append(waiting)
    return promoted


def cancel(registration: Registration, base_url: str = "") -> list[Registration]:
    """Cancel a registration (its link, the patron, or staff); returns who moved up."""
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = Registration.objects.select_related("session").get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(event, registration.session) if was_confirmed else []
        for person in promoted:
            person.event = event
        messages = [_promoted(person, base_url) for person in promoted]
        transaction.on_commit(lambda: send(messages))
    return promoted


@transaction.atomic
def record_attendance(actor: Any, event: Event, present: set[int]) -> int:
    """Who came, among the registered: the others are marked absent. Returns how many came."""
    event = _lock_event(event)
    require(actor, Action.MANAGE, event.library)
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    confirmed.filter(pk__in=present).update(attended=True)
    confirmed.exclude(pk__in=present).update(attended=False)
    return confirmed.filter(attended=True).count()


def send_reminders(today: dt.date) -> int:
    """The day before: a reminder to everyone registered for a session tomorrow (once a day)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(
        starts_at__gte=start,
        starts_at__lt=end,
        event__status__in=OPEN_STATUSES,
    ).select_related("event__library")
    for session in sessions:
        registrations = (
            Registration.objects.filter(
                Q(session=session) | Q(session__isnull=True, event=session.event),
                status=RegistrationStatus.CONFIRMED,
            )
            .exclude(reminded_on=today)
            .exclude(email="")
        )
        for registration in registrations:
            registration.event = session.event
            with translation.override(settings.LANGUAGE_CODE):
                values = {"event": session.event.title, "when": dates.moment(session.starts_at)}
                message = message_to(
                    registration,
                    _("Tomorrow: %(event)s") % values,
                    [
                        _("A reminder: “%(event)s” is %(when)s. We look forward to seeing you.")
                        % values
                    ],
                )
            updated = (
                Registration.objects.filter(pk=registration.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if updated:
                send([message])
                sent += 1
    return sent
