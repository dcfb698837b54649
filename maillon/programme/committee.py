"""A reading committee's picks into the network's purchases: one click puts a pick on an open
selection list of `maillon.purchasing` (its service decides: list open, title not there yet),
and the minutes of any meeting attached as a file (PDF, ODT, DOCX)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.dates import day
from maillon.core.errors import DomainError, Kind
from maillon.network.permissions import Action, require
from maillon.programme.models import CommitteeBook, Meeting, Verdict
from maillon.programme.services import ProgrammeError
from maillon.purchasing import selection, titles
from maillon.purchasing.models import SelectionList, SelectionTitle

MINUTES_MAX_BYTES = 10 * 1024 * 1024
MINUTES_FORMATS = {".pdf": "PDF", ".odt": "ODT", ".docx": "DOCX"}


def open_lists() -> list[SelectionList]:
    """The selection lists still taking titles."""
    today = timezone.localdate()
    return list(SelectionList.objects.filter(Q(closed_at__isnull=True) & Q(closes_on__gte=today)))


def mark_lists(books: list[CommitteeBook]) -> None:
    """Set on each book `on_lists`: the selection lists it is already on (for the pages)."""
    holding = lists_holding(books)
    for book in books:
        book.on_lists = holding.get(book.pk, [])  # type: ignore[attr-defined]


def lists_holding(books: list[CommitteeBook]) -> dict[int, list[SelectionList]]:
    """book id → the selection lists its record is already on, in one query."""
    by_record: dict[int, list[CommitteeBook]] = {}
    for book in books:
        if book.record_id:
            by_record.setdefault(book.record_id, []).append(book)
    found: dict[int, list[SelectionList]] = {}
    for title in SelectionTitle.objects.filter(record_id__in=by_record).select_related("selection"):
        for book in by_record[title.record_id]:
            found.setdefault(book.pk, []).append(title.selection)
    return found


def _as_programme(error: DomainError) -> ProgrammeError:
    return ProgrammeError(error.code, error.message, field=error.field, kind=error.kind)


def propose_pick(
    actor: Any, book: CommitteeBook, chosen: SelectionList, *, today: dt.date | None = None
) -> SelectionTitle:
    """Put a committee's pick on a selection list: the catalogue's record of the book, else a
    short record from its title, author and ISBN (as purchasing makes one by hand), then the
    list's own service (`today`: the day the list must still be open on; now by default).
    Codes: not_pick, and purchasing's (list_closed, already_proposed, isbn_invalid…)."""
    require(actor, Action.MANAGE)
    if book.verdict != Verdict.PICK:
        raise ProgrammeError("not_pick", _("Only the committee's picks go on a selection list."))
    meeting = book.meeting
    try:
        with transaction.atomic():
            # The book row first: two clicks at once make one record, then one title.
            book = CommitteeBook.objects.select_for_update().get(pk=book.pk)
            found = book.record
            if found is None:
                found = titles.by_hand(actor, title=book.title, author=book.author, isbn=book.isbn)
                book.record = found
                book.save(update_fields=["record"])
            title = selection.propose(
                actor,
                chosen,
                found,
                note=_("Pick of the reading committee “%(meeting)s” of %(date)s")
                % {
                    "meeting": meeting.title,
                    "date": day(timezone.localtime(meeting.starts_at).date(), weekday=False),
                },
                today=today,
            )
            record(
                "committee_pick_proposed",
                meeting,
                actor=actor,
                library=meeting.library_id,
                details={"meeting": meeting.pk, "selection": chosen.pk, "record": found.pk},
            )
    except ProgrammeError:
        raise
    except DomainError as error:
        raise _as_programme(error) from error
    return title


def _minutes_format(name: str, head: bytes, data: Any) -> str | None:
    """The format the file really is (by its content, not only its name), or None."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == ".pdf":
        return "PDF" if head.startswith(b"%PDF-") else None
    if extension not in (".odt", ".docx") or not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
            if extension == ".odt":
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
                return "ODT" if mimetype == b"application/vnd.oasis.opendocument.text" else None
            return "DOCX" if "word/document.xml" in names else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None


def attach_minutes(actor: Any, meeting: Meeting, file: Any) -> Meeting:
    """Attach the minutes as a file (a PDF, or the ODT or DOCX they were written in), kept
    beside the minutes written in place. Codes: minutes_file_format, minutes_file_too_big."""
    require(actor, Action.MANAGE, meeting.library_id)
    if file.size > MINUTES_MAX_BYTES:
        raise ProgrammeError(
            "minutes_file_too_big",
            _("The file is larger than 10 MB: send a lighter one."),
            field="minutes_file",
            kind=Kind.INVALID,
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    found = _minutes_format(getattr(file, "name", "") or "", content[:8], io.BytesIO(content))
    if found is None:
        raise ProgrammeError(
            "minutes_file_format",
            _("Send the minutes as a PDF, an ODT or a DOCX document."),
            field="minutes_file",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        previous = meeting.minutes_file.name if meeting.minutes_file else ""
        meeting.minutes_file = file
        meeting.minutes_by = actor
        meeting.save(update_fields=["minutes_file", "minutes_by"])
        record(
            "meeting_minutes_file",
            meeting,
            actor=actor,
            library=meeting.library_id,
            details={"meeting": meeting.pk},
        )
        if previous:
            storage = meeting.minutes_file.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return meeting
