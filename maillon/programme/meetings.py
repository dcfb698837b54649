"""Meetings of the network's librarians (rencontres inter-bibliothécaires): reading committees,
trainings, working groups. The host library's librarians (or the coordinator) plan them, invite
staff by e-mail, write the minutes in place and record who came; each invited person answers.
A volunteer's trainings, with their hours, make their training record.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.catalogue.models import Record
from maillon.core.errors import Kind
from maillon.network.models import Library, StaffRole
from maillon.network.permissions import Action, can, require
from maillon.programme import dates
from maillon.programme.models import (
    CommitteeBook,
    Meeting,
    MeetingKind,
    Participant,
    Response,
    Verdict,
)
from maillon.programme.services import ProgrammeError

logger = logging.getLogger(__name__)
MINUTES_MAX = 50_000


def _check(meeting: Meeting) -> None:
    if not meeting.title.strip():
        raise ProgrammeError(
            "title_missing", _("Give the meeting a title."), field="title", kind=Kind.INVALID
        )
    if meeting.ends_at <= meeting.starts_at:
        raise ProgrammeError(
            "ends_before_start",
            _("The meeting ends before it starts."),
            field="ends_at",
            kind=Kind.INVALID,
        )
    if meeting.hours is not None and not Decimal("0") < meeting.hours <= Decimal("200"):
        raise ProgrammeError(
            "hours_invalid",
            _("Give from 0.25 to 200 hours."),
            field="hours",
            kind=Kind.INVALID,
        )


@transaction.atomic
def create_meeting(
    actor: Any,
    library: Library,
    *,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    agenda: str = "",
    trainer: str = "",
    hours: Decimal | None = None,
) -> Meeting:
    """A meeting held at `library` (its librarians or the coordinator plan it)."""
    require(actor, Action.MANAGE, library)
    meeting = Meeting(
        kind=MeetingKind(kind),
        title=title.strip(),
        library=library,
        starts_at=starts_at,
        ends_at=ends_at,
        agenda=agenda,
        trainer=trainer.strip(),
        hours=hours,
        created_by=actor,
    )
    _check(meeting)
    meeting.save()
    record(
        "meeting_created", meeting, actor=actor, library=library, details={"meeting": meeting.pk}
    )
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("library").get(pk=meeting.pk)
    )


def staff_users() -> QuerySet:
    """Everyone who may be invited: active users with a role somewhere in the network."""
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=StaffRole.objects.values("user"))
        .order_by("last_name", "first_name", "username")
    )


def _invitation(meeting: Meeting, user: Any, base_url: str) -> EmailMessage | None:
    if not user.email:
        return None
    base = settings.MAILLON_PUBLIC_URL or base_url.rstrip("/")
    link = base + reverse("programme:meeting", args=[meeting.pk]) if base else ""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "kind": meeting.get_kind_display(),
            "title": meeting.title,
            "when": dates.span(meeting.starts_at, meeting.ends_at),
            "where": meeting.library.at_name,
        }
        lines = [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
            "",
            _("You are invited to the %(kind)s “%(title)s”, %(when)s, %(where)s.") % values,
        ]
        if meeting.agenda:
            lines += ["", _("Agenda:"), meeting.agenda]
        if link:
            lines += ["", _("Say whether you are coming: %(link)s") % {"link": link}]
        return EmailMessage(
            _("Invitation: %(title)s") % values,
            "\n".join(lines),
            to=[user.email],
            reply_to=[meeting.library.email] if meeting.library.email else None,
        )


def _send(messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            message.send()
        except Exception:  # noqa: BLE001 — a bounced address must not undo the invitations
            logger.exception("meeting invitation to %s not sent", message.to)


@transaction.atomic
def invite(actor: Any, meeting: Meeting, users: Iterable[Any], base_url: str = "") -> int:
    """Invite staff members (each once) and e-mail them; returns how many were new."""
    meeting = _lock(meeting)
    require(actor, Action.MANAGE, meeting.library)
    wanted = {u.pk: u for u in users}
    allowed = set(staff_users().filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - allowed:
        raise ProgrammeError(
            "not_staff", _("Only the network's staff can be invited."), field="users"
        )
    already = set(meeting.participants.values_list("user_id", flat=True))
    new = [wanted[pk] for pk in sorted(allowed - already)]
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, user=u, response=Response.INVITED, invited=True) for u in new]
    )
    if not new:
        return 0
    messages = [m for u in new if (m := _invitation(meeting, u, base_url)) is not None]
    transaction.on_commit(lambda: _send(messages))
    record(
        "meeting_invited",
        meeting,
        actor=actor,
        library=meeting.library,
        details={"meeting": meeting.pk, "told": len(messages), "invited": len(new)},
    )
    return len(new)


@transaction.atomic
def answer(
    user: Any, meeting: Meeting, coming: bool, *, now: dt.datetime | None = None
) -> Participant:
    """A staff member says whether they come (invited or not: meetings are open to staff)."""
    meeting = _lock(meeting)
    if not can(user, Action.VIEW):
        raise ProgrammeError("not_staff", _("Only the network's staff can register."))
    if meeting.ends_at <= (now or timezone.now()):
        raise ProgrammeError("meeting_over", _("This meeting is over."))
    place, _created = Participant.objects.get_or_create(
        meeting=meeting, user=user, defaults={"response": Response.INVITED}
    )
    place.response = Response.COMING if coming else Response.DECLINED
    place.save(update_fields=["response"])
    record(
        "meeting_answered",
        meeting,
        actor=user,
        library=meeting.library,
        details={"meeting": meeting.pk, "coming": coming},
    )
    return place


@transaction.atomic
def record_attendance(actor: Any, meeting: Meeting, present: set[int]) -> int:
    """Who came among the participants (by user id); the others are marked absent."""
    meeting = _lock(meeting)
    require(actor, Action.MANAGE, meeting.library)
    places = Participant.objects.filter(meeting=meeting)
    places.filter(user_id__in=present).update(attended=True)
    places.exclude(user_id__in=present).update(attended=False)
    came = places.filter(attended=True).count()
    record(
        "meeting_attendance",
        meeting,
        actor=actor,
        library=meeting.library,
        details={"meeting": meeting.pk, "came": came},
    )
    return came


@transaction.atomic
def write_minutes(actor: Any, meeting: Meeting, text: str) -> Meeting:
    """The minutes (compte rendu), written in place by the host library's staff."""
    meeting = _lock(meeting)
    require(actor, Action.MANAGE, meeting.library)
    if len(text) > MINUTES_MAX:
        raise ProgrammeError(
            "minutes_too_long",
            _("The minutes are too long (%(max)d characters at most).") % {"max": MINUTES_MAX},
            field="minutes",
            kind=Kind.INVALID,
        )
    meeting.minutes, meeting.minutes_by = text.strip(), actor
    meeting.save(update_fields=["minutes", "minutes_by"])
    record(
        "meeting_minutes",
        meeting,
        actor=actor,
        library=meeting.library,
        details={"meeting": meeting.pk},
    )
    return meeting


@transaction.atomic
def add_book(
    actor: Any,
    meeting: Meeting,
    *,
    title: str,
    verdict: str,
    author: str = "",
    isbn: str = "",
    notes: str = "",
) -> CommitteeBook:
    """A book the committee read and its verdict; linked to the catalogue's record when its
    ISBN is known there. Any participant or the host library's staff may add one."""
    meeting = _lock(meeting)
    participant = Participant.objects.filter(meeting=meeting, user=actor).exists()
    if not participant:
        require(actor, Action.MANAGE, meeting.library)
    if meeting.kind != MeetingKind.READING_COMMITTEE:
        raise ProgrammeError("not_committee", _("Only a reading committee reads books."))
    if not title.strip():
        raise ProgrammeError(
            "title_missing", _("Give the book's title."), field="title", kind=Kind.INVALID
        )
    if verdict not in Verdict.values:
        raise ProgrammeError(
            "verdict_missing", _("Choose the committee's verdict."), field="verdict"
        )
    isbn = isbn.replace("-", "").replace(" ", "").upper()
    book = CommitteeBook.objects.create(
        meeting=meeting,
        title=title.strip(),
        author=author.strip(),
        isbn=isbn,
        record=Record.objects.filter(isbn=isbn).first() if isbn else None,
        presented_by=actor,
        verdict=verdict,
        notes=notes.strip(),
    )
    record(
        "meeting_book",
        meeting,
        actor=actor,
        library=meeting.library,
        details={"meeting": meeting.pk, "verdict": verdict},
    )
    return book


def picks() -> QuerySet[CommitteeBook]:
    """The network's list of picks (coups de cœur) from every reading committee, newest first."""
    return (
        CommitteeBook.objects.filter(verdict=Verdict.PICK)
        .select_related("meeting__library", "record", "presented_by")
        .order_by("-meeting__starts_at", "title")
    )


def trainings_of(user: Any) -> list[Meeting]:
    """The trainings a person attended, newest first (their training record)."""
    return list(
        Meeting.objects.filter(
            kind=MeetingKind.TRAINING, participants__user=user, participants__attended=True
        )
        .select_related("library")
        .order_by("-starts_at")
    )


def upcoming_for(user: Any, now: dt.datetime, days: int = 60) -> list[tuple[Meeting, str]]:
    """The person's meetings to come (invited or registered, not declined)."""
    places = (
        Participant.objects.filter(
            user=user,
            meeting__ends_at__gte=now,
            meeting__starts_at__lt=now + dt.timedelta(days=days),
        )
        .exclude(response=Response.DECLINED)
        .select_related("meeting__library")
        .order_by("meeting__starts_at")
    )
    return [(p.meeting, p.response) for p in places]
