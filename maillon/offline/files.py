"""Reading the offline circulation files of the systems libraries come from.

* Koha's `.koc`: a header line of tab-separated `key=value` (`Version=1.0`, `Generator=…`),
  then one line per operation, `YYYY-MM-DD HH:MM:SS ms<TAB>command<TAB>arguments`:
  `issue` (card, barcode), `return` (barcode), `payment` (card, amount).
* PMB's "prêt secouru": blocks. `PRET SECOURU`, the reader's barcode, then the items lent to
  them one per line; `RETOUR SECOURU`, then the items returned. No times at all.

Nothing is dropped: a line that cannot be read comes back as an `unreadable` operation with a
French message naming its line, so that the review list shows it beside the others. Only a file
that is neither format (or empty) is refused as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.errors import DomainError, Kind

KOC_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: (\d{1,3}))?$")
# What a card or a barcode may look like in a file: no blanks, no control characters.
CODE = re.compile(r"^[^\s\x00-\x1f]{1,40}$")
PMB_LOAN = {"PRET SECOURU", "PRÊT SECOURU"}
PMB_RETURN = {"RETOUR SECOURU"}


class OfflineFileError(DomainError):
    default_kind = Kind.INVALID


@dataclass
class Line:
    number: int  # in the file, from 1
    kind: str  # checkout, checkin, unreadable
    raw: str
    card: str = ""
    barcode: str = ""
    at: dt.datetime | None = None
    error: str = ""  # French, naming the line, for an unreadable one


@dataclass
class Parsed:
    source: str  # "koc" or "pmb"
    lines: list[Line]

    @property
    def errors(self) -> list[str]:
        return [line.error for line in self.lines if line.error]


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, as older PMB installs
    write."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def parse(content: bytes) -> Parsed:
    """The operations of a Koha or PMB file, recognised by its first line."""
    text = decode(content)
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first:
        raise OfflineFileError("empty_file", _("The file is empty."))
    if first.startswith("Version="):
        return Parsed("koc", parse_koc(lines))
    if _marker(first):
        return Parsed("pmb", parse_pmb(lines))
    raise OfflineFileError(
        "unknown_format",
        _(
            "Line 1: this file is neither a Koha offline circulation file (.koc, first line "
            "“Version=1.0…”) nor a PMB prêt secouru file (first line “PRET SECOURU” or "
            "“RETOUR SECOURU”)."
        ),
    )


def _unreadable(number: int, raw: str, reason: str) -> Line:
    return Line(
        number,
        "unreadable",
        raw,
        error=_("Line %(number)d: %(reason)s") % {"number": number, "reason": reason},
    )


def _code(value: str) -> bool:
    return bool(CODE.match(value))


def parse_koc(lines: list[str]) -> list[Line]:
    header = dict(part.split("=", 1) for part in lines[0].strip().split("\t") if "=" in part)
    if header.get("Version") != "1.0":
        raise OfflineFileError(
            "unknown_version",
            _("Line 1: version %(version)s of the .koc format is not known (only 1.0 is).")
            % {"version": header.get("Version") or "—"},
        )
    found: list[Line] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        found.append(_koc_line(number, raw))
    return found


def _koc_line(number: int, raw: str) -> Line:
    fields = [field.strip() for field in raw.rstrip("\r\n").split("\t")]
    if len(fields) < 2:
        return _unreadable(
            number,
            raw,
            _("expected a date and time, a command and its arguments separated by tabs."),
        )
    stamp, command, args = fields[0], fields[1], fields[2:]
    when = KOC_TIME.match(stamp)
    at = None
    if when:
        try:
            naive = dt.datetime.fromisoformat(f"{when[1]} {when[2]}")
        except ValueError:
            when = None
        else:
            at = timezone.make_aware(naive.replace(microsecond=int(when[3] or 0) * 1000))
    if at is None:
        return _unreadable(
            number, raw, _("“%(value)s” is not a date and time.") % {"value": stamp[:40]}
        )
    if command == "issue" and len(args) == 2 and all(_code(a) for a in args):
        return Line(number, "checkout", raw, card=args[0], barcode=args[1], at=at)
    if command == "return" and len(args) == 1 and _code(args[0]):
        return Line(number, "checkin", raw, barcode=args[0], at=at)
    if command == "payment":
        return _unreadable(number, raw, _("payments are not handled by Maillon (no fines)."))
    if command in ("issue", "return"):
        return _unreadable(
            number,
            raw,
            _("the arguments of “%(command)s” are missing or are not barcodes.")
            % {"command": command},
        )
    return _unreadable(number, raw, _("unknown command “%(command)s”.") % {"command": command[:40]})


def _marker(line: str) -> str:
    """'checkout' or 'checkin' for a block's heading line, else ''."""
    heading = " ".join(line.strip().upper().split())
    if heading in PMB_LOAN:
        return "checkout"
    if heading in PMB_RETURN:
        return "checkin"
    return ""


def parse_pmb(lines: list[str]) -> list[Line]:
    found: list[Line] = []
    block = ""  # checkout or checkin
    reader = ""
    heading = 0  # the line of the current block's heading
    for number, raw in enumerate(lines, start=1):
        value = raw.strip()
        if not value:
            continue
        marker = _marker(value)
        if marker:
            if block == "checkout" and not reader:
                found.append(
                    _unreadable(heading, "PRET SECOURU", _("a loan block without its reader."))
                )
            block, reader, heading = marker, "", number
            continue
        if not _code(value):
            found.append(
                _unreadable(number, raw, _("“%(value)s” is not a barcode.") % {"value": value[:40]})
            )
            continue
        if block == "checkout" and not reader:
            reader = value
        elif block == "checkout":
            found.append(Line(number, "checkout", raw, card=reader, barcode=value))
        else:
            found.append(Line(number, "checkin", raw, barcode=value))
    if block == "checkout" and not reader:
        found.append(_unreadable(heading, "PRET SECOURU", _("a loan block without its reader.")))
    return found
