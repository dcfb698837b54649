"""Offline operations: recorded once, applied through the circulation services, reviewed.

``record_desk`` takes what the offline desk page queued (desk id, sequence number, card,
barcode, time) and ``import_file`` the lines of a Koha or PMB file; both go through
``_record``, which claims the (desk, seq) pair first. A pair already claimed answers what
was decided then: sending a queue twice changes nothing (a concurrent twin waits on the unique
index until the first commits, then reads its answer).

Each operation is applied by ``circulation.services`` with the time it happened. A refusal
(an item on loan to someone else, a blocked card, an unknown barcode, a withdrawn item…) leaves
the operation in the review list, where a librarian applies it (correcting the card or the
barcode, overriding what may be overridden, or checking the other loan in first) or dismisses
it with a reason. Everything is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.circulation import services as circulation
from maillon.circulation.errors import CirculationError
from maillon.core.errors import DomainError
from maillon.core.errors import Kind as ErrorKind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.offline.files import Line, parse
from maillon.offline.models import Kind, OfflineFile, OfflineOperation, Source, Status

# A desk page's own id (a random UUID it keeps): file operations use "koc:…" and "pmb:…".
DESK_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_FILE_BYTES = 5_000_000
# Before this, a desk's clock is wrong (a reset battery dates a loan in 1970 or year 1).
CLOCK_FLOOR = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class OfflineError(DomainError):
    default_kind = ErrorKind.INVALID


@dataclass
class Operation:
    """One operation as a desk page queued it."""

    seq: int
    kind: str  # checkout or checkin
    barcode: str
    at: dt.datetime
    card: str = ""


@dataclass
class Outcome:
    operation: OfflineOperation
    replayed: bool  # recorded by an earlier sending: nothing was done this time


def record_desk(actor, library: Library, desk: str, operations: list[Operation]) -> list[Outcome]:
    """Record and apply a desk page's queue, in sequence order."""
    require(actor, Action.CIRCULATE, library)
    if not DESK_ID.match(desk or ""):
        raise OfflineError("invalid_desk", _("This desk id is not valid."))
    for op in operations:
        _check_time(op)
    return [
        _record(
            actor,
            library,
            desk=desk,
            seq=op.seq,
            source=Source.DESK,
            kind=op.kind,
            card=op.card.strip(),
            barcode=op.barcode.strip(),
            at=op.at.astimezone(dt.UTC),
        )
        for op in sorted(operations, key=lambda op: op.seq)
    ]


def _check_time(op: Operation) -> None:
    """An operation without a time zone, or dated before 2000, comes from a broken clock: it
    cannot be replayed at its time (and PostgreSQL refuses some of those dates outright)."""
    if timezone.is_naive(op.at) or op.at < CLOCK_FLOOR:
        raise OfflineError(
            "implausible_time",
            _("Operation %(seq)d is dated %(at)s: the desk's clock must be wrong.")
            % {"seq": op.seq, "at": op.at.isoformat(timespec="minutes")},
            field="at",
        )


def _record(
    actor,
    library: Library,
    *,
    desk: str,
    seq: int,
    source: str,
    kind: str,
    card: str = "",
    barcode: str = "",
    at: dt.datetime | None = None,
    file: OfflineFile | None = None,
    line: str = "",
    error: str = "",
) -> Outcome:
    fields = {
        "source": source,
        "kind": kind,
        "library": library,
        "card": card,
        "barcode": barcode,
        "happened_at": at,
    }
    try:
        with transaction.atomic():
            # Claims the pair first: a twin sending the same operation waits here.
            op = OfflineOperation.objects.create(
                desk=desk,
                seq=seq,
                file=file,
                line=line,
                sent_by=actor,
                status=Status.CONFLICT,
                **fields,
            )
            if error:
                op.code, op.message = "unreadable_line", error
            else:
                _settle(actor, op)
            op.save()
            _log(
                op, actor, "offline_applied" if op.status == Status.APPLIED else "offline_conflict"
            )
    except IntegrityError:
        stored = OfflineOperation.objects.filter(desk=desk, seq=seq).first()
        if stored is None:  # another failure than the pair being taken
            raise
        kept = card if stored.anonymised_at else stored.card  # a forgotten card cannot differ
        sent = (kind, library.pk, card, barcode, at)
        if (stored.kind, stored.library_id, kept, stored.barcode, stored.happened_at) != sent:
            raise OfflineError(
                "sequence_reused",
                _(
                    "Operation %(seq)d of this desk was already received with other content: "
                    "nothing was applied from it."
                )
                % {"seq": seq},
                kind=ErrorKind.CONFLICT,
            ) from None
        return Outcome(stored, replayed=True)
    return Outcome(op, replayed=False)


def _settle(actor, op: OfflineOperation, *, override_reason: str = "", return_first: bool = False):
    """Apply `op` through the circulation services; a refusal leaves it a conflict."""
    at = op.happened_at
    if at is not None:  # a desk whose clock ran ahead: it cannot have happened later than now
        at = min(at, timezone.now())
    try:
        with transaction.atomic():
            if op.kind == Kind.CHECKOUT:
                if return_first:
                    circulation.checkin(actor, op.library, op.barcode, at=at)
                loan = circulation.checkout(
                    actor,
                    op.library,
                    op.card,
                    op.barcode,
                    at=at,
                    override_reason=override_reason or None,
                )
                op.loan, op.message = loan, ""
            elif op.kind == Kind.CHECKIN:
                result = circulation.checkin(actor, op.library, op.barcode, at=at)
                op.loan, op.message = result.loan, result.message
            else:
                raise CirculationError(
                    "unreadable_line", _("Say whether this was a checkout or a check-in.")
                )
    except CirculationError as error:
        op.code, op.message = error.code, error.message
        # Already lent to this very patron (recorded online too): the loan is there.
        op.status = Status.APPLIED if error.code == "already_yours" else Status.CONFLICT
        return
    op.code, op.status = "", Status.APPLIED


def _log(op: OfflineOperation, actor, action: str, **details) -> None:
    record(
        action,
        op,
        actor=actor,
        library=op.library_id,
        details={
            "offline_desk": op.desk,
            "offline_seq": str(op.seq),
            **({"offline_at": op.happened_at.isoformat()} if op.happened_at else {}),
            **({"offline_code": op.code} if op.code else {}),
            **details,
        },
    )


# Files ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    file: OfflineFile
    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # French, one per unreadable line
    already: bool = False  # the same file was imported before

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.operation.status == status)


def import_file(
    actor, library: Library, name: str, content: bytes, *, day: dt.date | None = None
) -> ImportReport:
    """Import a Koha .koc or PMB prêt secouru file at `library`. `day`: when a PMB file's
    operations happened (the format has no time); they count from noon that day, or from
    the import without it. Importing the same file again applies nothing twice, and finishes
    an import that was interrupted."""
    require(actor, Action.CIRCULATE, library)
    if len(content) > MAX_FILE_BYTES:
        raise OfflineError(
            "file_too_big", _("The file is too big (5 MB at most): split it in several files.")
        )
    parsed = parse(content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        file, created = OfflineFile.objects.get_or_create(
            sha256=digest,
            defaults={
                "source": parsed.source,
                "name": name[:255],
                "library": library,
                "uploaded_by": actor,
                "lines": len(parsed.lines),
            },
        )
        if created:
            record(
                "offline_file_imported",
                file,
                actor=actor,
                library=library,
                details={"offline_file": file.name},
            )
    noon = (
        timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        if day and parsed.source == Source.PMB
        else None
    )
    if not created and parsed.source == Source.PMB:  # the day said the first time stays
        noon = file.operations.values_list("happened_at", flat=True).first()
    report = ImportReport(file, parsed.source, errors=parsed.errors, already=not created)
    for line in parsed.lines:
        report.outcomes.append(_record_line(actor, file, line, noon))
    return report


def _record_line(actor, file: OfflineFile, line: Line, noon: dt.datetime | None) -> Outcome:
    return _record(
        actor,
        file.library,
        desk=f"{file.source}:{file.sha256}",
        seq=line.number,
        source=file.source,
        kind=line.kind,
        card=line.card,
        barcode=line.barcode,
        at=line.at or noon,
        file=file,
        line=line.raw[:500],
        error=line.error,
    )


# Review --------------------------------------------------------------------------------------


def conflicts(library: Library | int) -> QuerySet[OfflineOperation]:
    """The operations waiting for a librarian at `library`, oldest first."""
    return (
        OfflineOperation.objects.filter(library=library, status=Status.CONFLICT)
        .select_related("file", "sent_by")
        .order_by("happened_at", "received_at", "pk")
    )


def _lock_conflict(pk: int) -> OfflineOperation:
    """The operation's row, locked: of two librarians settling it at once, one decides."""
    op = OfflineOperation.objects.select_for_update().select_related("library").get(pk=pk)
    if op.status != Status.CONFLICT:
        raise OfflineError(
            "already_settled",
            _("This operation was settled already (%(status)s).")
            % {"status": op.get_status_display()},
            kind=ErrorKind.CONFLICT,
        )
    return op


def resolve(
    actor,
    op: OfflineOperation | int,
    *,
    kind: str | None = None,
    card: str | None = None,
    barcode: str | None = None,
    override_reason: str = "",
    return_first: bool = False,
) -> OfflineOperation:
    """Apply a conflict again, as corrected: `kind`, `card`, `barcode` replace what was
    recorded; `override_reason` forces what a librarian may force (an expired or blocked card,
    a loan limit); `return_first` checks the item in (closing someone else's loan) at the
    operation's time before lending it. The answer's status says whether it was applied; if
    not, its message says why, and the corrections are kept."""
    pk = op.pk if isinstance(op, OfflineOperation) else op
    library_id = OfflineOperation.objects.values_list("library_id", flat=True).get(pk=pk)
    require(actor, Action.MANAGE, library_id)
    reason = override_reason.strip()
    with transaction.atomic():
        op = _lock_conflict(pk)
        if kind in (Kind.CHECKOUT, Kind.CHECKIN):
            op.kind = kind
        if card is not None:
            op.card = card.strip()[:40]
        if barcode is not None:
            op.barcode = barcode.strip()[:40]
        _settle(actor, op, override_reason=reason, return_first=return_first)
        if op.status == Status.APPLIED:
            op.status = Status.RESOLVED
            op.resolved_by, op.resolved_at, op.resolution = actor, timezone.now(), reason
            if op.kind == Kind.CHECKOUT:
                _close_if_returned_later(actor, op)
            _log(op, actor, "offline_resolved", **({"offline_reason": reason} if reason else {}))
        op.save()
    return op


def _close_if_returned_later(actor, op: OfflineOperation) -> None:
    """A loan applied late whose item came back later at an offline desk (that return was
    applied while the loan was still in review, to an item not on loan): closed then."""
    if op.happened_at is None or op.loan is None:
        return
    later = (
        OfflineOperation.objects.filter(
            barcode=op.barcode,
            kind=Kind.CHECKIN,
            status__in=(Status.APPLIED, Status.RESOLVED),
            happened_at__gt=op.happened_at,
        )
        .order_by("happened_at")
        .first()
    )
    if later is not None:
        circulation.checkin(actor, later.library, op.barcode, at=later.happened_at)
        op.message = _("Returned on %(date)s (offline operation %(seq)d).") % {
            "date": date_format(timezone.localtime(later.happened_at), "j F Y H:i"),
            "seq": later.seq,
        }


def dismiss(actor, op: OfflineOperation | int, reason: str) -> OfflineOperation:
    """Leave a conflict unapplied, saying why (kept in the log)."""
    pk = op.pk if isinstance(op, OfflineOperation) else op
    library_id = OfflineOperation.objects.values_list("library_id", flat=True).get(pk=pk)
    require(actor, Action.MANAGE, library_id)
    reason = (reason or "").strip()
    if not reason:
        raise OfflineError(
            "reason_required", _("Say why this operation is dismissed."), field="reason"
        )
    with transaction.atomic():
        op = _lock_conflict(pk)
        op.status = Status.DISMISSED
        op.resolved_by, op.resolved_at, op.resolution = actor, timezone.now(), reason[:500]
        op.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
        _log(op, actor, "offline_dismissed", offline_reason=op.resolution)
    return op


def forget_cards(today: dt.date | None = None) -> int:
    """Settled operations lose their card number and line as read after the loan history's
    delay (the network's policy), as loans lose their patron (invariant 7). Returns how many."""
    today = today or timezone.localdate()
    days = circulation.policy().anonymise_after_days
    limit = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    return (
        OfflineOperation.objects.filter(received_at__lt=limit, anonymised_at__isnull=True)
        .exclude(status=Status.CONFLICT)
        .update(card="", line="", anonymised_at=timezone.now())
    )
