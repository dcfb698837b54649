"""Every change to the programme goes through here: events, their sessions, publication.

A room hosts one event at a time: scheduling a session locks the room's row first, then looks
for an overlapping session; two librarians booking the same room at once are served one after
the other, and the second is refused (tests/programme/test_programme_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.dates import day
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.programme.models import (
    CalendarRules,
    ClassVisit,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Room,
    Session,
)

EVENT_FIELDS = (
    "title",
    "description",
    "kind",
    "audience",
    "age_min",
    "age_max",
    "attendance_mode",
    "online_link",
    "capacity",
    "registration_required",
    "price_note",
    "hearing",
    "intellectual",
    "visual",
    "psychic",
    "motor",
    "accessibility_notes",
    "programme",
)


class ProgrammeError(DomainError):
    pass


def _check_event(event: Event) -> None:
    if not event.title.strip():
        raise ProgrammeError(
            "title_missing", _("Give the event a title."), field="title", kind=Kind.INVALID
        )
    if event.age_min is not None and event.age_max is not None and event.age_min > event.age_max:
        raise ProgrammeError(
            "ages_reversed",
            _("The minimum age is above the maximum age."),
            field="age_max",
            kind=Kind.INVALID,
        )
    if event.registration_required and not event.capacity:
        raise ProgrammeError(
            "capacity_missing",
            _("An event with registration needs a number of places."),
            field="capacity",
            kind=Kind.INVALID,
        )


@transaction.atomic
def create_event(
    actor: Any,
    library: Library,
    *,
    other_libraries: Iterable[Library] = (),
    partners: Iterable[Any] = (),
    **fields: Any,
) -> Event:
    """A draft event of `library` (the actor manages it); publish it once its sessions are set."""
    require(actor, Action.MANAGE, library)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(library=library, created_by=actor, **fields)
    _check_event(event)
    event.save()
    event.other_libraries.set(other_libraries)
    event.partners.set(partners)
    record("event_created", event, actor=actor, library=library, details={"event": event.pk})
    return event


def _check_in_programme(event: Event, spans: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """An event joins a festival only with dates inside the festival's."""
    programme = event.programme
    if programme is None:
        return
    for starts_at, ends_at in spans:
        if not programme.contains(starts_at, ends_at):
            raise ProgrammeError(
                "outside_programme",
                _("“%(programme)s” runs from %(start)s to %(end)s: %(when)s is outside it.")
                % {
                    "programme": programme.name,
                    "start": day(programme.starts_on, with_year=True, weekday=False),
                    "end": day(programme.ends_on, with_year=True, weekday=False),
                    "when": day(starts_at, with_year=True, weekday=False),
                },
                field="programme",
                kind=Kind.INVALID,
            )


def _check_capacity(event: Event) -> None:
    """Places never fall below those already given (the event is locked)."""
    if not event.capacity:
        return
    taken = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .values("session")
        .annotate(n=Sum("places"))
        .aggregate(most=Max("n"))["most"]
        or 0
    )
    if event.capacity < taken:
        raise ProgrammeError(
            "capacity_below_taken",
            _("%(taken)d places are already taken: the event cannot have fewer.")
            % {"taken": taken},
            field="capacity",
            kind=Kind.INVALID,
        )


@transaction.atomic
def update_event(
    actor: Any,
    event: Event,
    *,
    other_libraries: Iterable[Library] | None = None,
    partners: Iterable[Any] | None = None,
    **fields: Any,
) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, Action.MANAGE, event.library)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)
    _check_event(event)
    _check_capacity(event)
    if "programme" in fields:
        _check_in_programme(event, list(event.sessions.values_list("starts_at", "ends_at")))
    event.save()
    if other_libraries is not None:
        event.other_libraries.set(other_libraries)
    if partners is not None:
        event.partners.set(partners)
    record("event_changed", event, actor=actor, library=event.library, details={"event": event.pk})
    return event


def _lock_room(room: Room) -> Room:
    return Room.objects.select_for_update(of=("self",)).select_related("library").get(pk=room.pk)


def _room_clash(
    room: Room, starts_at: dt.datetime, ends_at: dt.datetime, exclude: Iterable[int] = ()
) -> Session | None:
    """A session of another live event in `room` at that time (`exclude`: sessions moving)."""
    return (
        Session.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(pk__in=list(exclude))
        .select_related("event")
        .first()
    )


def check_no_visit(
    room: Room, starts_at: dt.datetime, ends_at: dt.datetime, exclude: Iterable[int] = ()
) -> None:
    """A class visit holds the room too (the room is locked by the caller)."""
    visit = (
        ClassVisit.objects.filter(
            room=room, cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk__in=list(exclude))
        .first()
    )
    if visit is not None:
        raise ProgrammeError(
            "room_taken",
            _("%(room)s is already taken by a class visit (%(class)s) at that time.")
            % {"room": room.name, "class": visit.class_name},
            field="room",
            kind=Kind.CONFLICT,
        )


@transaction.atomic
def add_sessions(
    actor: Any,
    event: Event,
    spans: list[tuple[dt.datetime, dt.datetime]],
    room: Room | None = None,
) -> list[Session]:
    """One session per (start, end) span, all in `room` if given: all or none are added."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("library", "programme")
        .get(pk=event.pk)
    )
    require(actor, Action.MANAGE, event.library)
    if not spans:
        raise ProgrammeError(
            "no_date", _("Give at least one date."), field="starts_at", kind=Kind.INVALID
        )
    for starts_at, ends_at in spans:
        if ends_at <= starts_at:
            raise ProgrammeError(
                "ends_before_start",
                _("The session ends before it starts."),
                field="ends_at",
                kind=Kind.INVALID,
            )
    _check_in_programme(event, spans)
    if room is not None:
        room = _lock_room(room)
        allowed = {event.library_id, *event.other_libraries.values_list("pk", flat=True)}
        if room.library_id not in allowed:
            raise ProgrammeError(
                "room_elsewhere",
                _("This room is in a library the event does not take place in."),
                field="room",
            )
        if event.capacity and event.capacity > room.capacity:
            raise ProgrammeError(
                "room_too_small",
                _("%(room)s holds %(capacity)d people, fewer than the event's places.")
                % {"room": room.name, "capacity": room.capacity},
                field="room",
            )
        ordered = sorted(spans)
        for (_s1, e1), (s2, _e2) in zip(ordered, ordered[1:], strict=False):
            if s2 < e1:
                raise ProgrammeError(
                    "sessions_overlap", _("Two of these sessions overlap."), field="starts_at"
                )
        for starts_at, ends_at in spans:
            clash = _room_clash(room, starts_at, ends_at)
            if clash is not None:
                raise ProgrammeError(
                    "room_taken",
                    _("%(room)s is already taken by “%(event)s” at that time.")
                    % {"room": room.name, "event": clash.event.title},
                    field="room",
                    kind=Kind.CONFLICT,
                    details={"session": clash.pk},
                )
            check_no_visit(room, starts_at, ends_at)
    sessions = Session.objects.bulk_create(
        [Session(event=event, starts_at=s, ends_at=e, room=room) for s, e in spans]
    )
    record(
        "event_session_added",
        event,
        actor=actor,
        library=event.library,
        details={"event": event.pk, "sessions": len(sessions)},
    )
    return sessions


def weekly(
    starts_at: dt.datetime, ends_at: dt.datetime, count: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """A recurring series: the same hours every week, `count` times."""
    return [
        (starts_at + dt.timedelta(weeks=n), ends_at + dt.timedelta(weeks=n)) for n in range(count)
    ]


@transaction.atomic
def publish(actor: Any, event: Event) -> Event:
    event = Event.objects.select_for_update(of=("self",)).select_related("library").get(pk=event.pk)
    require(actor, Action.MANAGE, event.library)
    if event.status != EventStatus.DRAFT:
        raise ProgrammeError("not_draft", _("This event is already published."))
    if not event.sessions.exists():
        raise ProgrammeError("no_session", _("Give the event a date before publishing it."))
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    record(
        "event_published", event, actor=actor, library=event.library, details={"event": event.pk}
    )
    return event


@transaction.atomic
def set_calendar_rules(actor: Any, *, clash_km: int, gap_months: int) -> CalendarRules:
    """The coordinator says how close two libraries must be to compete, and how long a silence
    is a gap (the network calendar reads them)."""
    require(actor, Action.ADMINISTER)
    if not 0 <= clash_km <= 200:
        raise ProgrammeError(
            "clash_km_invalid",
            _("Give a distance from 0 to 200 km."),
            field="clash_km",
            kind=Kind.INVALID,
        )
    if not 1 <= gap_months <= 24:
        raise ProgrammeError(
            "gap_months_invalid",
            _("Give from 1 to 24 months."),
            field="gap_months",
            kind=Kind.INVALID,
        )
    rules = CalendarRules.objects.select_for_update().order_by("pk").first() or CalendarRules()
    before = {"clash_km": rules.clash_km, "gap_months": rules.gap_months}
    rules.clash_km, rules.gap_months = clash_km, gap_months
    rules.save()
    after = {"clash_km": clash_km, "gap_months": gap_months}
    record(
        "calendar_rules_changed",
        rules,
        actor=actor,
        details={"changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]}},
    )
    return rules
