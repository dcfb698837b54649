"""What happens to a published event: full, postponed, moved to new dates, cancelled. Each change
is one service (invariant 4) that locks the event, checks the move is allowed, records it in the
audit log and e-mails everyone registered or on the waiting list once the change is saved.

The registrations stay as they were: a postponed or rescheduled event keeps its people (each may
cancel from the e-mail's link), a cancelled one keeps who had registered for the history, and
refuses new registrations (registrations.register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.errors import Kind
from maillon.network.permissions import Action, require
from maillon.programme import dates
from maillon.programme.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Room,
    Session,
)
from maillon.programme.registrations import message_to, send
from maillon.programme.services import (
    ProgrammeError,
    _check_in_programme,
    _lock_room,
    _room_clash,
    check_no_visit,
)

REASON_MAX = 300
# Which statuses each change may start from.
ALLOWED_FROM = {
    EventStatus.CANCELLED: {
        EventStatus.PUBLISHED,
        EventStatus.FULL,
        EventStatus.POSTPONED,
        EventStatus.RESCHEDULED,
    },
    EventStatus.POSTPONED: {EventStatus.PUBLISHED, EventStatus.FULL, EventStatus.RESCHEDULED},
    EventStatus.RESCHEDULED: {
        EventStatus.PUBLISHED,
        EventStatus.FULL,
        EventStatus.POSTPONED,
        EventStatus.RESCHEDULED,
    },
    EventStatus.FULL: {EventStatus.PUBLISHED, EventStatus.RESCHEDULED},
    EventStatus.PUBLISHED: {EventStatus.FULL},
}
AUDIT = {
    EventStatus.CANCELLED: "event_cancelled",
    EventStatus.POSTPONED: "event_postponed",
    EventStatus.RESCHEDULED: "event_rescheduled",
    EventStatus.FULL: "event_full",
    EventStatus.PUBLISHED: "event_reopened",
}


def _locked(actor: Any, event: Event, to: str, now: dt.datetime) -> Event:
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("library", "programme")
        .get(pk=event.pk)
    )
    require(actor, Action.MANAGE, event.library)
    if event.status == to and to != EventStatus.RESCHEDULED:
        raise ProgrammeError(
            "status_unchanged",
            _("The event is already %(status)s.") % {"status": event.get_status_display()},
        )
    if event.status == EventStatus.DRAFT:
        raise ProgrammeError("not_published", _("This event is not published yet."))
    if event.status == EventStatus.CANCELLED:
        raise ProgrammeError("event_cancelled", _("This event is cancelled."))
    if event.status not in ALLOWED_FROM[EventStatus(to)]:
        raise ProgrammeError(
            "status_not_allowed",
            _("A %(from)s event cannot become %(to)s.")
            % {"from": event.get_status_display(), "to": EventStatus(to).label},
        )
    if to != EventStatus.RESCHEDULED and not event.sessions.filter(ends_at__gt=now).exists():
        raise ProgrammeError("event_over", _("This event is over."))
    return event


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise ProgrammeError(
            "reason_too_long",
            _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX},
            field="reason",
            kind=Kind.INVALID,
        )
    return reason


def _people(event: Event) -> list[Registration]:
    """Everyone to tell: registered or waiting, for the whole event or one of its dates."""
    people = list(
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .select_related("session")
        .order_by("created_at", "pk")
    )
    for person in people:
        person.event = event
    return people


def _when(event: Event, person: Registration) -> str:
    """The person's date (their session) or every date of the event still to come."""
    if person.session is not None:
        return dates.span(person.session.starts_at, person.session.ends_at)
    sessions = event.sessions.order_by("starts_at")
    upcoming = [s for s in sessions if s.ends_at > timezone.now()] or list(sessions)
    return "; ".join(dates.span(s.starts_at, s.ends_at) for s in upcoming)


Lines = Callable[[Registration, dict[str, str]], tuple[str, list[str], bool]]


def _tell(event: Event, people: list[Registration], lines: Lines, base_url: str) -> int:
    """Queue one e-mail per person with an address, sent once the change is committed;
    returns how many are queued. A bounce is logged by send() and undoes nothing."""
    messages: list[EmailMessage | None] = []
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            values = {"event": event.title, "when": _when(event, person), "reason": ""}
            if event.status_note:
                values["reason"] = _("Reason: %(reason)s") % {"reason": event.status_note}
            subject, body, with_link = lines(person, values)
            messages.append(message_to(person, subject, body, base_url, with_link=with_link))
    queued = [m for m in messages if m is not None]
    transaction.on_commit(lambda: send(list(queued)))
    return len(queued)


def _save(actor: Any, event: Event, status: str, told: int, **details: Any) -> None:
    event.save(update_fields=["status", "status_note"])
    record(
        AUDIT[EventStatus(status)],
        event,
        actor=actor,
        library=event.library,
        details={"event": event.pk, "told": told, **details},
    )


def _cancelled_lines(person: Registration, values: dict[str, str]) -> tuple[str, list[str], bool]:
    body = [
        _("We are sorry: “%(event)s”, planned %(when)s, is cancelled.") % values,
        *([values["reason"]] if values["reason"] else []),
        _("Your registration is cancelled with it: there is nothing for you to do."),
    ]
    return _("Cancelled: %(event)s") % values, body, False


@transaction.atomic
def cancel_event(
    actor: Any,
    event: Event,
    *,
    reason: str = "",
    base_url: str = "",
    now: dt.datetime | None = None,
) -> Event:
    """Cancel a published event: everyone registered or waiting is told by e-mail."""
    reason = _reason(reason)
    event = _locked(actor, event, EventStatus.CANCELLED, now or timezone.now())
    people = _people(event)
    event.status, event.status_note = EventStatus.CANCELLED, reason
    told = _tell(event, people, _cancelled_lines, base_url)
    _save(actor, event, EventStatus.CANCELLED, told)
    return event


def _postponed_lines(person: Registration, values: dict[str, str]) -> tuple[str, list[str], bool]:
    body = [
        _("“%(event)s”, planned %(when)s, is postponed.") % values,
        *([values["reason"]] if values["reason"] else []),
        _("Your place is kept: you will receive the new dates by e-mail."),
    ]
    return _("Postponed: %(event)s") % values, body, True


@transaction.atomic
def postpone_event(
    actor: Any,
    event: Event,
    *,
    reason: str = "",
    base_url: str = "",
    now: dt.datetime | None = None,
) -> Event:
    """Postpone to dates not known yet: registrations stay and are closed to newcomers until
    the event is given its new dates (reschedule_event)."""
    reason = _reason(reason)
    event = _locked(actor, event, EventStatus.POSTPONED, now or timezone.now())
    people = _people(event)
    event.status, event.status_note = EventStatus.POSTPONED, reason
    told = _tell(event, people, _postponed_lines, base_url)
    _save(actor, event, EventStatus.POSTPONED, told)
    return event


def _rescheduled_lines(person: Registration, values: dict[str, str]) -> tuple[str, list[str], bool]:
    body = [
        _("“%(event)s” moves to new dates: %(when)s.") % values,
        *([values["reason"]] if values["reason"] else []),
        _(
            "Your place is kept. If you cannot come, please cancel it: someone on the waiting "
            "list will get it."
        )
        if person.status == RegistrationStatus.CONFIRMED
        else _("You stay on the waiting list."),
    ]
    return _("New dates: %(event)s") % values, body, True


def _check_moves(
    event: Event, moves: dict[int, tuple[dt.datetime, dt.datetime]], now: dt.datetime
) -> dict[int, Session]:
    if not moves:
        raise ProgrammeError(
            "no_date", _("Give at least one date."), field="starts_at", kind=Kind.INVALID
        )
    sessions = Session.objects.filter(event=event).in_bulk(list(moves))
    if len(sessions) != len(moves):
        raise ProgrammeError("session_elsewhere", _("This date is not one of the event's."))
    for starts_at, ends_at in moves.values():
        if ends_at <= starts_at:
            raise ProgrammeError(
                "ends_before_start",
                _("The session ends before it starts."),
                field="ends_at",
                kind=Kind.INVALID,
            )
        if starts_at <= now:
            raise ProgrammeError(
                "date_past", _("A new date must be in the future."), field="starts_at"
            )
    _check_in_programme(event, list(moves.values()))
    return sessions


def _check_rooms(
    sessions: dict[int, Session], moves: dict[int, tuple[dt.datetime, dt.datetime]]
) -> None:
    """Each room keeps one event at a time: rooms locked in id order, then checked."""
    by_room: dict[int, list[int]] = {}
    for pk, session in sessions.items():
        if session.room_id is not None:
            by_room.setdefault(session.room_id, []).append(pk)
    for room_id in sorted(by_room):
        room = _lock_room(Room(pk=room_id))
        spans = sorted(moves[pk] for pk in by_room[room_id])
        if any(s2 < e1 for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False)):
            raise ProgrammeError(
                "sessions_overlap", _("Two of these sessions overlap."), field="starts_at"
            )
        for pk in by_room[room_id]:
            clash = _room_clash(room, *moves[pk], exclude=list(moves))
            if clash is not None:
                raise ProgrammeError(
                    "room_taken",
                    _("%(room)s is already taken by “%(event)s” at that time.")
                    % {"room": room.name, "event": clash.event.title},
                    field="room",
                    kind=Kind.CONFLICT,
                    details={"session": clash.pk},
                )
            check_no_visit(room, *moves[pk])


@transaction.atomic
def reschedule_event(
    actor: Any,
    event: Event,
    moves: dict[int, tuple[dt.datetime, dt.datetime]],
    *,
    reason: str = "",
    base_url: str = "",
) -> Event:
    """Move sessions (id → new start and end), in their rooms: the registrations follow their
    session, and everyone registered or waiting gets the new dates by e-mail."""
    now = timezone.now()
    reason = _reason(reason)
    event = _locked(actor, event, EventStatus.RESCHEDULED, now)
    sessions = _check_moves(event, moves, now)
    _check_rooms(sessions, moves)
    for pk, (starts_at, ends_at) in moves.items():
        session = sessions[pk]
        session.starts_at, session.ends_at = starts_at, ends_at
    Session.objects.bulk_update(list(sessions.values()), ["starts_at", "ends_at"])
    people = _people(event)
    event.status, event.status_note = EventStatus.RESCHEDULED, reason
    told = _tell(event, people, _rescheduled_lines, base_url)
    _save(actor, event, EventStatus.RESCHEDULED, told, sessions=len(moves))
    return event


def _full_lines(person: Registration, values: dict[str, str]) -> tuple[str, list[str], bool]:
    if person.status == RegistrationStatus.CONFIRMED:
        body = [
            _("“%(event)s”, %(when)s, is now full.") % values,
            _(
                "Your place is kept. If you cannot come, please cancel it: someone on the "
                "waiting list will get it."
            ),
        ]
        return _("Full: %(event)s") % values, body, True
    body = [
        _("“%(event)s”, %(when)s, is full.") % values,
        _("You stay on the waiting list: if a place frees up, you will be registered and told.")
        % values,
    ]
    return _("Full: %(event)s") % values, body, True


@transaction.atomic
def mark_full(actor: Any, event: Event, *, base_url: str = "") -> Event:
    """No more places (even if some seem free: a group registered at the desk): newcomers go
    on the waiting list, and those registered are asked to free their place if they cannot come."""
    event = _locked(actor, event, EventStatus.FULL, timezone.now())
    people = _people(event)
    event.status = EventStatus.FULL
    told = _tell(event, people, _full_lines, base_url)
    _save(actor, event, EventStatus.FULL, told)
    return event


@transaction.atomic
def reopen(actor: Any, event: Event) -> Event:
    """A full event takes registrations again (nobody is told: nothing changes for them)."""
    event = _locked(actor, event, EventStatus.PUBLISHED, timezone.now())
    event.status = EventStatus.PUBLISHED
    _save(actor, event, EventStatus.PUBLISHED, 0)
    return event
