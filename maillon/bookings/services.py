"""Animation resources and their bookings: every change is here, checked, locked and audited.

Locks: a booking request locks the library it is for, then the resource (in that order, always),
before reading the bookings it checks against: two libraries asking for the same dates of one
resource wait for each other and the second sees the first's booking; two requests of one
library racing its quota do the same. A status change locks the booking row.

Statuses: requested → approved (or refused, with a reason) → delivered → returned → checked;
cancelled by the requesting library before delivery. A booking holds its resource from its start
to its end plus the rule's checking days (`blocked_until`); the check ends the hold that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.audit.services import record as audit
from maillon.bookings import documents, mail
from maillon.bookings.dates import Planner, Proposal
from maillon.bookings.models import (
    AT_LIBRARY,
    HOLDING,
    Booking,
    BookingRule,
    BookingStatus,
    DocumentKind,
    LibraryDocument,
    Resource,
    SeasonalLimit,
    Waiting,
    taking,
)
from maillon.core.dates import day
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require

# Further ahead than this, a date is a typing mistake rather than a plan.
MAX_ADVANCE_DAYS = 2 * 366
RESOURCE_FIELDS = [
    "kind",
    "title",
    "description",
    "contents",
    "audience",
    "space_needed",
    "insurance_value",
    "crates",
    "owner",
    "state",
    "bookable",
]


class BookingError(DomainError):
    """A refused booking or resource operation."""


def _d(value: dt.date) -> str:
    """« 1er mars 2027 »."""
    return day(value, with_year=True, weekday=False)


def may_read(user, booking: Booking) -> bool:
    """May `user` read `booking` in full (its page, its loans on to the library's partners)?
    It is in the files of the library that booked it and of the owner that lends it
    (Action.VIEW_PRIVATE): a volunteer of a third library sees only the resource's calendar."""
    return can(user, Action.VIEW_PRIVATE, booking.library_id) or can(
        user, Action.VIEW_PRIVATE, booking.resource.owner_id
    )


# Resources ---------------------------------------------------------------------------------


def _clean_resource(data: dict[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise BookingError(
            "title_missing", _("Give the resource a title."), field="title", kind=Kind.INVALID
        )


def create_resource(actor, **data: Any) -> Resource:
    """A new resource of `data["owner"]`: its staff (or the coordinator) describe it."""
    require(actor, Action.MANAGE, data["owner"])
    _clean_resource(data)
    with transaction.atomic():
        resource = Resource.objects.create(
            **{k: v for k, v in data.items() if k in RESOURCE_FIELDS}
        )
        audit(
            "resource_created",
            resource,
            actor=actor,
            library=resource.owner,
            details={"resource": resource.title},
        )
    return resource


def update_resource(actor, resource: Resource, **data: Any) -> Resource:
    """Change the description, state or owner of a resource (the owner's staff, and the new
    owner's when it moves)."""
    require(actor, Action.MANAGE, resource.owner_id)
    if "owner" in data and data["owner"].pk != resource.owner_id:
        require(actor, Action.MANAGE, data["owner"])
    _clean_resource({"title": resource.title, **data})
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        changes = {}
        for name, value in data.items():
            if name not in RESOURCE_FIELDS:
                continue
            before = getattr(resource, name)
            if before != value:
                changes[name] = [str(before), str(value)]
                setattr(resource, name, value)
        if changes:
            resource.save()
            audit(
                "resource_changed",
                resource,
                actor=actor,
                library=resource.owner,
                details={"resource_changes": changes},
            )
    return resource


# Rules -------------------------------------------------------------------------------------


def rule_for(resource: Resource) -> BookingRule:
    """The most specific rule for the resource's kind and owner; the network default otherwise
    (an unsaved row with the model's defaults if even that is missing)."""
    candidates = BookingRule.objects.filter(
        Q(kind_id=resource.kind_id) | Q(kind__isnull=True),
        Q(owner_id=resource.owner_id) | Q(owner__isnull=True),
    )
    best = max(
        candidates,
        key=lambda r: (r.kind_id is not None, r.owner_id is not None),
        default=None,
    )
    return best or BookingRule()


# Booking requests --------------------------------------------------------------------------


def _lock_library(library: Library) -> Library:
    return Library.objects.select_for_update().get(pk=library.pk)


def _lock_resource(resource: Resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def holding(resource: Resource) -> QuerySet[Booking]:
    return Booking.objects.filter(resource=resource, status__in=HOLDING)


def _conflict(resource: Resource, start: dt.date, until: dt.date, today: dt.date) -> Booking | None:
    """The first booking of `resource` whose days (with its checking days, and a resource not
    back yet) meet start..until."""
    return (
        holding(resource)
        .filter(taking(start, today), start__lte=until)
        .select_related("library")
        .order_by("start", "pk")
        .first()
    )


def _check_dates(library: Library, start, end, today: dt.date) -> None:
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise BookingError(
            "dates_missing", _("Give the first and last days."), field="start", kind=Kind.INVALID
        )
    if end < start:
        raise BookingError(
            "end_before_start",
            _("The last day (%(end)s) comes before the first (%(start)s).")
            % {"end": _d(end), "start": _d(start)},
            field="end",
            kind=Kind.INVALID,
        )
    if start < today:
        raise BookingError(
            "in_the_past",
            _("The first day (%(start)s) is in the past.") % {"start": _d(start)},
            field="start",
            kind=Kind.INVALID,
        )
    if end > today + dt.timedelta(days=MAX_ADVANCE_DAYS):
        raise BookingError(
            "too_far",
            _("%(date)s is too far ahead: bookings are made at most two years in advance.")
            % {"date": _d(end)},
            field="end",
            kind=Kind.INVALID,
        )
    if not library.is_active:
        raise BookingError(
            "library_inactive",
            _("%(library)s has left the network: it cannot book resources.")
            % {"library": library.name},
        )


def _check_rule(rule: BookingRule, resource: Resource, start, end, today: dt.date) -> None:
    earliest = today + dt.timedelta(days=rule.lead_days)
    if start < earliest:
        raise BookingError(
            "too_late",
            _("Book at least %(days)d days ahead: the earliest start is %(date)s.")
            % {"days": rule.lead_days, "date": _d(earliest)},
            field="start",
            details={"earliest": earliest.isoformat()},
        )
    days = (end - start).days + 1
    if days < rule.min_days:
        raise BookingError(
            "too_short",
            _("%(resource)s is lent for %(min)d days at least: end on %(date)s or later.")
            % {
                "resource": resource.title,
                "min": rule.min_days,
                "date": _d(start + dt.timedelta(days=rule.min_days - 1)),
            },
            field="end",
        )
    if days > rule.max_days:
        raise BookingError(
            "too_long",
            _("%(resource)s is lent for %(max)d days at most: end on %(date)s at the latest.")
            % {
                "resource": resource.title,
                "max": rule.max_days,
                "date": _d(start + dt.timedelta(days=rule.max_days - 1)),
            },
            field="end",
        )


def _check_free(rule: BookingRule, resource: Resource, start, end, today: dt.date) -> None:
    until = end + dt.timedelta(days=rule.buffer_days)
    other = _conflict(resource, start, until, today)
    if other is None:
        return
    if other.is_overdue(today):
        free = other.taken_until(today) + dt.timedelta(days=1)
        raise BookingError(
            "not_returned",
            _(
                "The resource has not come back %(from_library)s (due on %(end)s): once back "
                "it needs %(buffer)d days of checking, so it is free on %(free)s at the earliest."
            )
            % {
                "from_library": other.library.of_name,
                "end": _d(other.end),
                "buffer": other.buffer_days,
                "free": _d(free),
            },
            field="start",
            kind=Kind.CONFLICT,
            details={"booking": other.pk, "free_from": free.isoformat()},
        )
    if other.start > end:  # only this loan's checking days run into the next booking
        latest = other.start - dt.timedelta(days=rule.buffer_days + 1)
        raise BookingError(
            "overlaps_buffer",
            _(
                "The resource is booked from %(start)s and needs %(buffer)d days of checking "
                "before: end on %(latest)s at the latest."
            )
            % {"start": _d(other.start), "buffer": rule.buffer_days, "latest": _d(latest)},
            field="end",
            kind=Kind.CONFLICT,
            details={"booking": other.pk},
        )
    free = other.taken_until(today) + dt.timedelta(days=1)
    raise BookingError(
        "taken",
        _(
            "The resource is taken from %(start)s to %(until)s (lent %(at_library)s, then "
            "checked): it is free from %(free)s."
        )
        % {
            "start": _d(other.start),
            "until": _d(other.taken_until(today)),
            "at_library": other.library.to_name,
            "free": _d(free),
        },
        field="start",
        kind=Kind.CONFLICT,
        details={"booking": other.pk, "free_from": free.isoformat()},
    )


def _check_quota(rule: BookingRule, library: Library, resource: Resource, start, end) -> None:
    at_once = Booking.objects.filter(
        library=library, status__in=AT_LIBRARY, start__lte=end, end__gte=start
    )
    if rule.max_per_library is not None and at_once.count() >= rule.max_per_library:
        raise BookingError(
            "quota_reached",
            _(
                "%(library)s already has %(count)d resources booked over these dates: "
                "%(max)d at most at once."
            )
            % {"library": library.name, "count": at_once.count(), "max": rule.max_per_library},
        )
    if rule.max_per_library_kind is not None:
        same = list(
            at_once.filter(resource__kind_id=resource.kind_id).select_related("resource")[:5]
        )
        if len(same) >= rule.max_per_library_kind:
            raise BookingError(
                "kind_quota_reached",
                _(
                    "%(library)s already has a resource of the kind “%(kind)s” over these "
                    "dates (%(titles)s): %(max)d at most at once."
                )
                % {
                    "library": library.name,
                    "kind": resource.kind.name,
                    "titles": ", ".join(b.resource.title for b in same),
                    "max": rule.max_per_library_kind,
                },
            )


def _check_seasons(library: Library, resource: Resource, start, end) -> None:
    """The seasonal limits (e.g. one kit per library in December), counted under the
    library's lock like the other quotas."""
    limits = SeasonalLimit.objects.filter(
        Q(kind_id=resource.kind_id) | Q(kind__isnull=True),
        Q(owner_id=resource.owner_id) | Q(owner__isnull=True),
    ).select_related("kind")
    for limit in limits:
        same = Booking.objects.filter(library=library, status__in=HOLDING)
        if limit.kind_id:
            same = same.filter(resource__kind_id=limit.kind_id)
        if limit.owner_id:
            same = same.filter(resource__owner_id=limit.owner_id)
        for first, last in limit.seasons(start, end):
            count = same.filter(start__lte=last, end__gte=first).count()
            if count >= limit.max_per_library:
                raise BookingError(
                    "season_quota_reached",
                    ngettext(
                        "%(library)s already has %(count)d booking %(what)s between "
                        "%(first)s and %(last)s: %(max)d at most in that season.",
                        "%(library)s already has %(count)d bookings %(what)s between "
                        "%(first)s and %(last)s: %(max)d at most in that season.",
                        count,
                    )
                    % {
                        "library": library.name,
                        "count": count,
                        "what": _("of the kind “%(kind)s”") % {"kind": limit.kind.name}
                        if limit.kind
                        else _("of resources"),
                        "first": _d(first),
                        "last": _d(last),
                        "max": limit.max_per_library,
                    },
                    details={"season": [first.isoformat(), last.isoformat()]},
                )


def request_booking(
    actor,
    library: Library,
    resource: Resource,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
) -> Booking:
    """Book `resource` for `library` from `start` to `end` (both included). Checks every rule
    under the library's then the resource's lock. Codes: dates_missing, end_before_start,
    in_the_past, too_far, library_inactive, not_bookable, too_late, too_short, too_long, taken,
    not_returned, overlaps_buffer, quota_reached, kind_quota_reached, season_quota_reached.
    Approved at once when the rule needs no approval and the documents are on file. Refused
    for its dates, the error says the first dates that would work (details["proposal"])."""
    require(actor, Action.CIRCULATE, library)
    today = today or timezone.localdate()
    _check_dates(library, start, end, today)
    try:
        return _book(actor, library, resource, start, end, today)
    except BookingError as error:
        if error.code in WOULD_WORK_AFTER:
            _say_what_would_work(error, resource, library, start, end, today)
        raise


# Refusals because another booking has the dates (a library may wait for them), and those
# after which other dates of the same resource may work.
TAKEN = {"taken", "not_returned", "overlaps_buffer"}
WOULD_WORK_AFTER = {"too_late", *TAKEN}


def _say_what_would_work(
    error: BookingError, resource: Resource, library: Library, start, end, today: dt.date
) -> None:
    found = Planner(rule_for(resource), resource, library, today).first_free(start, end)
    if found is None:
        return
    error.details["proposal"] = {"start": found.start.isoformat(), "end": found.end.isoformat()}
    error.message += " " + _("These dates would work: %(start)s to %(end)s.") % {
        "start": day(found.start, with_year=True),
        "end": day(found.end, with_year=True),
    }


def propose(
    resource: Resource, library: Library, start: dt.date, end: dt.date, *, today=None
) -> Proposal | None:
    """The dates nearest to start..end the resource's delivery allows (shuttle days of its
    owner and the library, or the owner's collection days); None when any day will do."""
    today = today or timezone.localdate()
    return Planner(rule_for(resource), resource, library, today).propose(start, end)


def _book(actor, library: Library, resource: Resource, start, end, today: dt.date) -> Booking:
    with transaction.atomic():
        library = _lock_library(library)
        resource = _lock_resource(resource)
        if not resource.bookable:
            raise BookingError(
                "not_bookable",
                _("%(resource)s cannot be booked at the moment.") % {"resource": resource.title},
            )
        rule = rule_for(resource)
        _check_rule(rule, resource, start, end, today)
        _check_free(rule, resource, start, end, today)
        _check_quota(rule, library, resource, start, end)
        _check_seasons(library, resource, start, end)
        confirmed = not rule.approval_needed and not documents.missing(rule, library, start, end)
        booking = Booking.objects.create(
            resource=resource,
            library=library,
            start=start,
            end=end,
            blocked_until=end + dt.timedelta(days=rule.buffer_days),
            buffer_days=rule.buffer_days,
            status=BookingStatus.APPROVED if confirmed else BookingStatus.REQUESTED,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        details = {
            "resource": resource.title,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "for_library": library.pk,
        }
        audit("booking_requested", booking, actor=actor, library=library, details=details)
        if confirmed:
            booking.decided_at = timezone.now()
            booking.save(update_fields=["decided_at"])
            audit("booking_approved", booking, actor=actor, library=resource.owner_id)
        else:
            mail.requested(booking)
    return booking


# Documents on file ---------------------------------------------------------------------------

DOCUMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def add_document(
    actor,
    library: Library,
    kind: DocumentKind,
    file,
    valid_from: dt.date,
    valid_until: dt.date,
    *,
    today: dt.date | None = None,
) -> LibraryDocument:
    """File a library's document (PDF or image), valid from one day to another. Its bookings
    waiting only for documents (their rule needs no approval) are then confirmed."""
    require(actor, Action.MANAGE, library)
    today = today or timezone.localdate()
    if valid_until < valid_from:
        raise BookingError(
            "valid_until_before_from",
            _("The document must be valid until a day after %(start)s.")
            % {"start": _d(valid_from)},
            field="valid_until",
            kind=Kind.INVALID,
        )
    name = getattr(file, "name", "") or ""
    if not any(name.lower().endswith(ext) for ext in DOCUMENT_EXTENSIONS):
        raise BookingError(
            "document_format",
            _("Send the document as a PDF or a photo (JPEG, PNG)."),
            field="file",
            kind=Kind.INVALID,
        )
    if file.size > DOCUMENT_MAX_BYTES:
        raise BookingError(
            "document_too_big",
            _("The file is larger than 10 MB: send a lighter scan."),
            field="file",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        library = _lock_library(library)
        document = LibraryDocument.objects.create(
            library=library,
            kind=kind,
            file=file,
            valid_from=valid_from,
            valid_until=valid_until,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "booking_document_added",
            document,
            actor=actor,
            library=library,
            details={
                "booking_document": kind.name,
                "start": valid_from.isoformat(),
                "end": valid_until.isoformat(),
            },
        )
        waiting = Booking.objects.select_for_update(of=("self",)).filter(
            library=library, status=BookingStatus.REQUESTED, end__gte=today
        )
        for booking in waiting.select_related("resource"):
            rule = rule_for(booking.resource)
            if rule.approval_needed or documents.missing(rule, library, booking.start, booking.end):
                continue
            booking.status = BookingStatus.APPROVED
            booking.decided_at = timezone.now()
            booking.save(update_fields=["status", "decided_at"])
            audit("booking_approved", booking, actor=actor, library=booking.resource.owner_id)
    return document


# Status changes ----------------------------------------------------------------------------


def _wrong_status(booking: Booking, wanted: str) -> BookingError:
    return BookingError(
        "wrong_status",
        _("This booking is %(status)s: it cannot be %(wanted)s.")
        % {"status": booking.get_status_display(), "wanted": wanted},
        kind=Kind.CONFLICT,
    )


def _locked(booking: Booking, allowed: list[str], wanted: str) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in allowed:
        raise _wrong_status(booking, wanted)
    return booking


def _owner_id(booking: Booking) -> int:
    return Resource.objects.values_list("owner_id", flat=True).get(pk=booking.resource_id)


def approve(actor, booking: Booking) -> Booking:
    """The owner confirms the booking: only once the documents its rule requires are on file
    and valid over its dates (documents_missing says which are not)."""
    require(actor, Action.MANAGE, _owner_id(booking))
    with transaction.atomic():
        booking = _locked(booking, [BookingStatus.REQUESTED], _("approved"))
        _check_documents(booking)
        booking.status = BookingStatus.APPROVED
        booking.decided_at = timezone.now()
        booking.save(update_fields=["status", "decided_at"])
        audit("booking_approved", booking, actor=actor, library=_owner_id(booking))
        mail.decided(booking)
    return booking


def _check_documents(booking: Booking) -> None:
    library = Library.objects.get(pk=booking.library_id)
    rule = rule_for(Resource.objects.get(pk=booking.resource_id))
    lacking = documents.missing(rule, library, booking.start, booking.end)
    if lacking:
        raise BookingError(
            "documents_missing",
            documents.missing_message(lacking, library, booking.start, booking.end),
            details={"documents": [kind.code for kind in lacking]},
        )


def refuse(actor, booking: Booking, reason: str) -> Booking:
    require(actor, Action.MANAGE, _owner_id(booking))
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(
            "reason_missing",
            _("Say why the booking is refused: the library will read it."),
            field="reason",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        resource = _lock_resource(booking.resource)
        booking = _locked(booking, [BookingStatus.REQUESTED, BookingStatus.APPROVED], _("refused"))
        booking.status = BookingStatus.REFUSED
        booking.reason = reason[:300]
        booking.decided_at = timezone.now()
        booking.save(update_fields=["status", "reason", "decided_at"])
        audit(
            "booking_refused",
            booking,
            actor=actor,
            library=_owner_id(booking),
            details={"refusal_reason": booking.reason},
        )
        mail.decided(booking)
        _offer_freed(resource, booking)
    return booking


def deliver(actor, booking: Booking) -> Booking:
    """The owner hands the resource over (by the shuttle or at its desk)."""
    require(actor, Action.CIRCULATE, _owner_id(booking))
    with transaction.atomic():
        booking = _locked(booking, [BookingStatus.APPROVED], _("delivered"))
        booking.status = BookingStatus.DELIVERED
        booking.save(update_fields=["status"])
        audit("booking_delivered", booking, actor=actor, library=_owner_id(booking))
    return booking


def mark_returned(actor, booking: Booking, *, today: dt.date | None = None) -> Booking:
    """The resource is back at its owner's; its checking days run (from today when it came
    back late)."""
    require(actor, Action.CIRCULATE, _owner_id(booking))
    today = today or timezone.localdate()
    with transaction.atomic():
        booking = _locked(booking, [BookingStatus.DELIVERED], _("returned"))
        booking.blocked_until = booking.taken_until(today)
        booking.status = BookingStatus.RETURNED
        booking.save(update_fields=["status", "blocked_until"])
        audit("booking_returned", booking, actor=actor, library=_owner_id(booking))
    return booking


def check(
    actor,
    booking: Booking,
    *,
    damaged: bool = False,
    notes: str = "",
    today: dt.date | None = None,
) -> Booking:
    """The returned resource is checked: complete, or damaged with notes (the resource is then
    marked damaged). The checking days end today: the resource is free from tomorrow."""
    require(actor, Action.CIRCULATE, _owner_id(booking))
    today = today or timezone.localdate()
    notes = (notes or "").strip()
    if damaged and not notes:
        raise BookingError(
            "notes_missing",
            _("Describe the damage for the next borrowers and the repair."),
            field="notes",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        booking = _locked(booking, [BookingStatus.RETURNED], _("checked"))
        booking.status = BookingStatus.CHECKED
        booking.damaged = damaged
        booking.check_notes = notes
        booking.blocked_until = max(today, booking.start)
        booking.save(update_fields=["status", "damaged", "check_notes", "blocked_until"])
        if damaged:
            Resource.objects.filter(pk=booking.resource_id).update(state=Resource.State.DAMAGED)
        audit(
            "booking_checked",
            booking,
            actor=actor,
            library=_owner_id(booking),
            details={"damaged": damaged, "check_notes": notes},
        )
    return booking


def renew(actor, booking: Booking, *, today: dt.date | None = None) -> Booking:
    """The library keeps the resource longer: its rule's renewal days added to the end, as many
    times as the rule allows, if the next booking (with the checking days) leaves room. Locks
    as a request does (library, resource), then the booking."""
    require(actor, Action.CIRCULATE, booking.library_id)
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock_library(booking.library)
        resource = _lock_resource(booking.resource)
        booking = _locked(booking, [BookingStatus.APPROVED, BookingStatus.DELIVERED], _("renewed"))
        rule = rule_for(resource)
        if booking.renewed >= rule.renewals or not rule.renewal_days:
            raise BookingError(
                "no_renewal",
                ngettext(
                    "%(resource)s can be renewed %(count)d time only.",
                    "%(resource)s can be renewed %(count)d times only.",
                    rule.renewals,
                )
                % {"resource": resource.title, "count": rule.renewals}
                if rule.renewals and rule.renewal_days
                else _("%(resource)s cannot be renewed.") % {"resource": resource.title},
            )
        if booking.end < today:
            raise BookingError(
                "renewal_too_late",
                _("The loan ended on %(end)s: it can no longer be renewed.")
                % {"end": _d(booking.end)},
            )
        end = booking.end + dt.timedelta(days=rule.renewal_days)
        until = end + dt.timedelta(days=booking.buffer_days)
        following = (
            holding(resource)
            .exclude(pk=booking.pk)
            .filter(start__gt=booking.end, start__lte=until)
            .select_related("library")
            .order_by("start")
            .first()
        )
        if following is not None:
            raise BookingError(
                "renewal_taken",
                _(
                    "%(resource)s is booked %(at_library)s from %(start)s and needs %(buffer)d "
                    "days of checking before: it cannot be kept until %(end)s."
                )
                % {
                    "resource": resource.title,
                    "at_library": following.library.at_name,
                    "start": _d(following.start),
                    "buffer": booking.buffer_days,
                    "end": _d(end),
                },
                kind=Kind.CONFLICT,
                details={"booking": following.pk},
            )
        before = booking.end
        booking.end, booking.blocked_until = end, until
        booking.renewed += 1
        booking.save(update_fields=["end", "blocked_until", "renewed"])
        audit(
            "booking_renewed",
            booking,
            actor=actor,
            library=booking.library_id,
            details={"start": before.isoformat(), "end": end.isoformat()},
        )
    return booking


def cancel(actor, booking: Booking) -> Booking:
    """The requesting library withdraws its booking before the resource is delivered."""
    require(actor, Action.CIRCULATE, booking.library_id)
    with transaction.atomic():
        resource = _lock_resource(booking.resource)
        booking = _locked(
            booking, [BookingStatus.REQUESTED, BookingStatus.APPROVED], _("cancelled")
        )
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        audit("booking_cancelled", booking, actor=actor, library=booking.library_id)
        _offer_freed(resource, booking)
    return booking


def _offer_freed(resource: Resource, freed: Booking, today: dt.date | None = None) -> None:
    """Dates freed by `freed` go to the first library waiting for dates that are now free
    (told by e-mail). The caller holds the resource's lock: two cancellations do not tell the
    same library twice, and a booking made meanwhile is seen."""
    today = today or timezone.localdate()
    rule = rule_for(resource)
    line = (
        Waiting.objects.select_for_update(of=("self",))
        .filter(
            resource=resource,
            status=Waiting.Status.WAITING,
            start__lte=freed.blocked_until,
            end__gte=freed.start,
            start__gte=today,
        )
        .select_related("library", "resource", "requested_by")
        .order_by("created_at", "pk")
    )
    for wait in line:
        until = wait.end + dt.timedelta(days=rule.buffer_days)
        if _conflict(resource, wait.start, until, today) is not None:
            continue
        wait.status = Waiting.Status.OFFERED
        wait.offered_at = timezone.now()
        wait.save(update_fields=["status", "offered_at"])
        audit(
            "booking_dates_offered",
            wait,
            library=wait.library,
            details={"start": wait.start.isoformat(), "end": wait.end.isoformat()},
        )
        mail.dates_free(wait, wait.start, wait.end)
        return


# Calendar ----------------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    state: str  # "free", "booked", "requested", "late", "buffer"
    booking: Booking | None = None


def _state_on(booking: Booking, date: dt.date, today: dt.date) -> str | None:
    if booking.start <= date <= min(booking.end, booking.blocked_until):
        return "requested" if booking.status == BookingStatus.REQUESTED else "booked"
    if booking.is_overdue(today) and booking.end < date <= today:
        return "late"
    if booking.end < date <= booking.taken_until(today):
        return "buffer"
    return None


def month_grid(
    resource: Resource, year: int, month: int, today: dt.date | None = None
) -> list[list[Day]]:
    """The weeks (Monday first) covering the month, each day free, booked (or only requested),
    still away after its loan's end, or kept for checking, with the booking that takes it."""
    today = today or timezone.localdate()
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    begin = first - dt.timedelta(days=first.weekday())
    finish = following + dt.timedelta(days=(7 - following.weekday()) % 7)
    bookings = list(
        holding(resource)
        .filter(taking(begin, today), start__lt=finish)
        .select_related("library")
        .order_by("start", "pk")
    )
    weeks: list[list[Day]] = []
    current = begin
    while current < finish:
        week = []
        for _n in range(7):
            cell = Day(current, current.month == month, "free")
            for booking in bookings:
                state = _state_on(booking, current, today)
                if state is not None:
                    cell.state, cell.booking = state, booking
                    if state != "buffer":
                        break
            week.append(cell)
            current += dt.timedelta(days=1)
        weeks.append(week)
    return weeks
