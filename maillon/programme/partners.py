"""Work with partners: their conventions, the classes a library welcomes (accueils de classe,
one visit or a series through the school year, never on the public agenda), and head counts by
age band for sessions without registration. Rooms stay one use at a time: a visit locks its
room and checks both events and other visits, as sessions do (services.add_sessions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.errors import Kind
from maillon.network.models import Library, Partner, PartnerKind
from maillon.network.permissions import Action, require
from maillon.programme.models import ClassVisit, Convention, Headcount, Room, Session
from maillon.programme.services import (
    ProgrammeError,
    _lock_room,
    _room_clash,
    check_no_visit,
)

MAX_PUPILS = 60
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = (".pdf", ".odt", ".doc", ".docx", ".jpg", ".jpeg", ".png")


@transaction.atomic
def add_convention(
    actor: Any,
    partner: Partner,
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    document: UploadedFile | None = None,
    notes: str = "",
) -> Convention:
    """A convention signed with `partner` (its library's staff)."""
    require(actor, Action.MANAGE, partner.library_id)
    if not title.strip():
        raise ProgrammeError(
            "title_missing", _("Give the convention a title."), field="title", kind=Kind.INVALID
        )
    if ends_on < starts_on:
        raise ProgrammeError(
            "ends_before_start",
            _("The convention ends before it starts."),
            field="ends_on",
            kind=Kind.INVALID,
        )
    if document is not None:
        name = (document.name or "").lower()
        if not name.endswith(DOCUMENT_TYPES) or (document.size or 0) > DOCUMENT_MAX_BYTES:
            raise ProgrammeError(
                "document_invalid",
                _("Attach a PDF, a text document or a photo of 10 MB at most."),
                field="document",
                kind=Kind.INVALID,
            )
    convention = Convention.objects.create(
        partner=partner,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        document=document or "",
        notes=notes.strip(),
    )
    record(
        "convention_added",
        convention,
        actor=actor,
        library=partner.library_id,
        details={"partner": partner.pk},
    )
    return convention


def _dates(
    starts_at: dt.datetime, ends_at: dt.datetime, every_weeks: int, until: dt.date | None
) -> list[tuple[dt.datetime, dt.datetime]]:
    if not every_weeks or until is None:
        return [(starts_at, ends_at)]
    if not 1 <= every_weeks <= 8:
        raise ProgrammeError(
            "every_invalid",
            _("Repeat every 1 to 8 weeks."),
            field="every_weeks",
            kind=Kind.INVALID,
        )
    if until > starts_at.date() + dt.timedelta(days=366):
        raise ProgrammeError(
            "until_too_far",
            _("A series lasts one school year at most."),
            field="until",
            kind=Kind.INVALID,
        )
    spans = []
    step = dt.timedelta(weeks=every_weeks)
    start, end = starts_at, ends_at
    while timezone.localtime(start).date() <= until:
        spans.append((start, end))
        start, end = start + step, end + step
    return spans


@transaction.atomic
def schedule_class_visits(
    actor: Any,
    library: Library,
    partner: Partner,
    *,
    class_name: str,
    teacher: str,
    pupils: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    theme: str = "",
    room: Room | None = None,
    every_weeks: int = 0,
    until: dt.date | None = None,
) -> list[ClassVisit]:
    """One visit, or one every `every_weeks` weeks until `until` (the school year), skipping
    the library's closures. All are scheduled or none."""
    require(actor, Action.MANAGE, library)
    if partner.kind != PartnerKind.SCHOOL:
        raise ProgrammeError("not_a_school", _("Choose a school."), field="partner")
    if not class_name.strip() or not teacher.strip():
        raise ProgrammeError(
            "class_missing",
            _("Give the class and its teacher."),
            field="class_name",
            kind=Kind.INVALID,
        )
    if not 1 <= pupils <= MAX_PUPILS:
        raise ProgrammeError(
            "pupils_invalid",
            _("Give from 1 to %(max)d pupils.") % {"max": MAX_PUPILS},
            field="pupils",
            kind=Kind.INVALID,
        )
    if ends_at <= starts_at:
        raise ProgrammeError(
            "ends_before_start",
            _("The visit ends before it starts."),
            field="ends_at",
            kind=Kind.INVALID,
        )
    spans = _dates(starts_at, ends_at, every_weeks, until)
    closures = list(library.closures.all())
    spans = [
        (s, e)
        for s, e in spans
        if not any(c.start <= timezone.localtime(s).date() <= c.end for c in closures)
    ]
    if room is not None:
        room = _lock_room(room)
        if room.library_id != library.pk:
            raise ProgrammeError(
                "room_elsewhere", _("This room is in another library."), field="room"
            )
        for s, e in spans:
            clash = _room_clash(room, s, e)
            if clash is not None:
                raise ProgrammeError(
                    "room_taken",
                    _("%(room)s is already taken by “%(event)s” at that time.")
                    % {"room": room.name, "event": clash.event.title},
                    field="room",
                    kind=Kind.CONFLICT,
                )
            check_no_visit(room, s, e)
    visits = ClassVisit.objects.bulk_create(
        [
            ClassVisit(
                library=library,
                partner=partner,
                class_name=class_name.strip(),
                teacher=teacher.strip(),
                pupils=pupils,
                theme=theme.strip(),
                starts_at=s,
                ends_at=e,
                room=room,
            )
            for s, e in spans
        ]
    )
    if len(visits) > 1:
        series = visits[0].pk
        ClassVisit.objects.filter(pk__in=[v.pk for v in visits]).update(series=series)
        for visit in visits:
            visit.series = series
    record(
        "class_visits_scheduled",
        visits[0] if visits else None,
        actor=actor,
        library=library,
        details={"partner": partner.pk, "visits": len(visits)},
    )
    return visits


@transaction.atomic
def record_visit(
    actor: Any, visit: ClassVisit, *, pupils_came: int | None, cancelled: bool = False
) -> ClassVisit:
    """After the visit: how many pupils came, or that it did not take place."""
    visit = ClassVisit.objects.select_for_update().get(pk=visit.pk)
    require(actor, Action.MANAGE, visit.library_id)
    if pupils_came is not None and not 0 <= pupils_came <= MAX_PUPILS:
        raise ProgrammeError(
            "pupils_invalid",
            _("Give from 0 to %(max)d pupils.") % {"max": MAX_PUPILS},
            field="pupils_came",
            kind=Kind.INVALID,
        )
    visit.pupils_came, visit.cancelled = (None if cancelled else pupils_came), cancelled
    visit.save(update_fields=["pupils_came", "cancelled"])
    record(
        "class_visit_recorded",
        visit,
        actor=actor,
        library=visit.library_id,
        details={"visits": 1, "cancelled_visit": cancelled},
    )
    return visit


@transaction.atomic
def record_headcount(actor: Any, session: Session, counts: dict[str, int]) -> Headcount:
    """Who came to a session, by age band (replaces an earlier count: each session counts
    once). Only once the session has begun."""
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    )
    require(actor, Action.MANAGE, session.event.library_id)
    if session.starts_at > timezone.now():
        raise ProgrammeError("session_to_come", _("Count the people once the session has begun."))
    if any(counts.get(band, 0) < 0 for band in Headcount.BANDS):
        raise ProgrammeError(
            "count_invalid", _("A head count cannot be negative."), kind=Kind.INVALID
        )
    count, _created = Headcount.objects.update_or_create(
        session=session, defaults={band: counts.get(band, 0) for band in Headcount.BANDS}
    )
    record(
        "event_headcount",
        session.event,
        actor=actor,
        library=session.event.library_id,
        details={"event": session.event_id, "came": count.total},
    )
    return count
