"""SIP2 messages as text: parsing requests, building responses, checksums and dates.

A message is a two-digit code, fixed-length fields, then variable fields (two-letter id, value,
"|"), optionally ending with "AY<n>AZ<checksum>". Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Fixed-field layout of each request: (name, length), in order.
REQUEST_FIXED: dict[str, list[tuple[str, int]]] = {
    "93": [("uid_algorithm", 1), ("pwd_algorithm", 1)],
    "99": [("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)],
    "23": [("language", 3), ("transaction_date", 18)],
    "63": [("language", 3), ("transaction_date", 18), ("summary", 10)],
    "11": [
        ("sc_renewal_policy", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ],
    "09": [("no_block", 1), ("transaction_date", 18), ("return_date", 18)],
    "17": [("transaction_date", 18)],
    "29": [
        ("third_party_allowed", 1),
        ("no_block", 1),
        ("transaction_date", 18),
        ("nb_due_date", 18),
    ],
    "65": [("transaction_date", 18)],
    "35": [("transaction_date", 18)],
    "97": [],
}


class ParseError(ValueError):
    """A message that cannot be read (too short, unknown code, bad checksum)."""


@dataclass
class Message:
    code: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: str | None = None  # AY, when the terminal uses error detection

    def get(self, field_id: str, default: str = "") -> str:
        values = self.fields.get(field_id)
        return values[0] if values else default


def checksum(text: str) -> str:
    """The four hex digits of SIP2's checksum of `text` (everything up to and including "AZ")."""
    return f"{(-sum(text.encode('utf-8'))) & 0xFFFF:04X}"


def verify_checksum(line: str) -> bool:
    position = line.rfind("AZ")
    if position < 0 or len(line) < position + 6:
        return False
    return checksum(line[: position + 2]) == line[position + 2 : position + 6].upper()


def parse(line: str) -> Message:
    """Read one request (without its trailing CR). A wrong checksum raises ParseError."""
    # NUL is no character of any field (PostgreSQL refuses it in text); it adds nothing to
    # the checksum either, so dropping it keeps a well-summed message valid.
    line = line.rstrip("\r\n").replace("\x00", "")
    if len(line) < 2 or line[:2] not in REQUEST_FIXED:
        raise ParseError(f"unknown message {line[:2]!r}")
    code = line[:2]
    sequence = None
    body = line
    ay = _trailer_start(line)
    if ay is not None:
        if "AZ" in line[ay:] and not verify_checksum(line):
            raise ParseError("bad checksum")
        trailer = line[ay:]
        if trailer.startswith("AY") and len(trailer) >= 3:
            sequence = trailer[2]
        body = line[:ay]
    position = 2
    fixed = {}
    for name, length in REQUEST_FIXED[code]:
        value = body[position : position + length]
        if len(value) < length:
            raise ParseError(f"message {code} too short")
        fixed[name] = value
        position += length
    fields: dict[str, list[str]] = {}
    for part in body[position:].split("|"):
        if len(part) >= 2:
            fields.setdefault(part[:2], []).append(part[2:])
    return Message(code, fixed, fields, sequence)


def _trailer_start(line: str) -> int | None:
    """Where "AY<n>AZxxxx" or a bare "AZxxxx" starts at the end of `line`, if it is there."""
    if len(line) >= 9 and line[-9:-7] == "AY" and line[-6:-4] == "AZ":
        return len(line) - 9
    bare = len(line) >= 8 and line[-6:-4] == "AZ" and _is_hex(line[-4:])
    if bare and (line[-7] == "|" or len(line) == 8 or verify_checksum(line)):
        return len(line) - 6
    return None


def _is_hex(text: str) -> bool:
    return all(c in "0123456789ABCDEFabcdef" for c in text)


def sip_date(moment: dt.datetime | dt.date) -> str:
    """The 18-character date: YYYYMMDD, four spaces (local time), HHMMSS."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(23, 59, 59))
    return moment.strftime("%Y%m%d    %H%M%S")


def flag(value: bool) -> str:
    return "Y" if value else "N"


def build(code: str, fixed: str, fields: list[tuple[str, str | None]]) -> str:
    """A response without its trailer: `fields` with a None value are left out. A "|" inside a
    value would end the field early: it is replaced by "/"."""
    parts = [code, fixed]
    for field_id, value in fields:
        if value is None:
            continue
        parts.append(f"{field_id}{str(value).replace('|', '/')}|")
    return "".join(parts)


def with_trailer(text: str, sequence: str | None) -> str:
    """Add "AY<n>AZ<checksum>" when the request carried a sequence number."""
    if sequence is None:
        return text
    text = f"{text}AY{sequence}AZ"
    return text + checksum(text)
