"""ISO 2709 transmission format: defensive splitting, decoding and encoding.

Real exports are messy: truncated files, records whose terminator is missing, lengths counted in
characters instead of bytes, encodings that contradict the leader. Splitting relies first on the
record terminator (0x1D) and uses the declared length only to find a record glued behind a broken
one, so one bad record never takes its neighbours down with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pymarc import Field, Record
from pymarc.marc8 import marc8_to_unicode
from pymarc.marc8_mapping import CODESETS

from . import _build

RT = b"\x1d"  # record terminator
FT = b"\x1e"  # field terminator
SF = "\x1f"  # subfield delimiter
MAX_RECORD = 99_999
MAX_FIELD = 9_999
_BLOCK = 1 << 20
# Bytes some tools put between records (newlines, DOS end-of-file, padding).
JUNK = b"\r\n\t \x00\x1a"
# A leader glued inside a chunk: five digits, "22" at 10-11, "45" at 20-21.
_LEADER_RE = re.compile(rb"(?=\d{5}.{5}22\d{5}.{3}45)", re.DOTALL)
# High bytes MARC-8's default sets (ANSEL + C1 controls, dropped by pymarc) can decode.
_ASCII = frozenset(range(0x80))
_MARC8_HIGH = frozenset(k for k in CODESETS[0x45] if k >= 0x80) | frozenset(range(0x81, 0xA0))


class MarcError(Exception):
    """A record that cannot be read; the message is the French reason for the reject file."""


def iter_chunks(fp: BinaryIO) -> Iterator[bytes]:
    """Yield raw records cut after each terminator; the last one may lack it (truncated file)."""
    buf = b""
    while True:
        block = fp.read(_BLOCK)
        if not block:
            break
        buf = buf + block if buf else block
        start = 0
        while (end := buf.find(RT, start)) != -1:
            yield buf[start : end + 1]
            start = end + 1
        buf = buf[start:]
    if buf:
        yield buf


def split_glued(chunk: bytes) -> list[bytes]:
    """Separate a broken record from a good one that follows it without a terminator between.

    Only called when the declared length disagrees with the chunk: the tail must be a leader whose
    own length runs exactly to the terminator, so an accidental match inside data is very unlikely.
    """
    size = len(chunk)
    for match in _LEADER_RE.finditer(chunk, 1):
        pos = match.start()
        if int(chunk[pos : pos + 5]) == size - pos:
            return [chunk[:pos], chunk[pos:]]
    return [chunk]


def declared_length(chunk: bytes) -> int | None:
    head = chunk[:5]
    return int(head) if len(head) == 5 and head.isdigit() else None


# --- encodings -------------------------------------------------------------------------------


def _is_utf8(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _raw_directory(chunk: bytes) -> list[tuple[str, int, int]] | None:
    base = chunk[12:17]
    if not base.isdigit():
        return None
    offset = int(base)
    try:
        text = chunk[24 : offset - 1].decode("ascii")
    except UnicodeDecodeError:
        return None
    entries = []
    for i in range(0, len(text) - 11, 12):
        entry = text[i : i + 12]
        if not entry[3:].isdigit():
            return None
        entries.append((entry[:3], offset + int(entry[7:]), int(entry[3:7])))
    return entries


def sniff_unimarc(chunk: bytes) -> tuple[bool, str | None]:
    """(looks like UNIMARC, character set code of 100$a/26-27) from the raw bytes."""
    entries = _raw_directory(chunk)
    if not entries:
        return False, None
    tags = {tag for tag, _, _ in entries}
    if "245" in tags:
        return False, None
    charset = None
    coded_data = False
    for tag, start, length in entries:
        if tag == "100":
            data = chunk[start : start + length]
            pos = data.find(b"\x1fa")
            coded = data[pos + 2 :] if pos != -1 else b""
            if len(coded) >= 28 and coded[:4].isdigit():
                coded_data = True
                charset = coded[26:28].decode("ascii", "replace")
            break
    return "200" in tags or coded_data, charset


def choose_encoding(chunk: bytes) -> tuple[str, str | None]:
    """Encoding of one raw record and an optional French warning.

    UTF-8 validity is checked first because it is self-proving: Latin-1 or MARC-8 text almost
    never forms valid multi-byte sequences, whereas labels (leader/09, UNIMARC 100$a) often lie.
    """
    if chunk.isascii():
        if b"\x1b" in chunk and chunk[9:10] != b"a":
            return "marc8", None  # MARC-8 escape sequences are plain ASCII bytes
        return "utf-8", None
    utf8 = _is_utf8(chunk)
    if chunk[9:10] == b"a":
        if utf8:
            return "utf-8", None
        return "latin-1", _("record declared as UTF-8 but unreadable as UTF-8: read as Latin-1")
    unimarc, charset = sniff_unimarc(chunk)
    if unimarc:
        if utf8:
            if charset in ("50", None):
                return "utf-8", None
            return "utf-8", _("character set “%(charset)s” declared (100$a) but text in UTF-8") % {
                "charset": charset
            }
        if charset == "50":
            return (
                "latin-1",
                _("record declared as UTF-8 (100$a) but unreadable as UTF-8: read as Latin-1"),
            )
        label = (
            charset.strip() if charset and charset.strip() else pgettext("character set", "missing")
        )
        return (
            "latin-1",
            _("character set “%(charset)s” (100$a) read as Latin-1: check the accents")
            % {"charset": label},
        )
    if utf8 and b"\x1b" not in chunk:
        return "utf-8", _("record declared as MARC-8 but encoded in UTF-8: read as UTF-8")
    if b"\x1b" in chunk or set(chunk) - _ASCII <= _MARC8_HIGH:
        return "marc8", None
    return "latin-1", _("characters unknown in MARC-8: record read as Latin-1, check the encoding")


# --- decoding --------------------------------------------------------------------------------


def decode(chunk: bytes, encoding: str) -> tuple[Record, list[str]]:
    """Decode one raw record (terminator included or not). Raises MarcError with a reason."""
    warnings: list[str] = []
    size = len(chunk)
    end = size - 1 if chunk.endswith(RT) else size
    if size < 26:
        raise MarcError(_("truncated record") if size < 24 else _("record without fields"))
    try:
        leader = chunk[:24].decode("ascii")
    except UnicodeDecodeError:
        raise MarcError(_("unreadable record leader (non-ASCII characters)")) from None
    base_text = chunk[12:17]
    if not base_text.isdigit():
        raise MarcError(_("invalid base address of data in the leader"))
    base = int(base_text)
    if base <= 24:
        raise MarcError(_("missing base address of data"))
    if base > end:
        raise MarcError(_("base address of data beyond the end of the record"))
    try:
        directory = chunk[24 : base - 1].decode("ascii")
    except UnicodeDecodeError:
        raise MarcError(_("unreadable record directory (non-ASCII characters)")) from None
    if len(directory) % 12:
        raise MarcError(_("invalid record directory (length not a multiple of 12)"))
    count = len(directory) // 12
    if not count:
        raise MarcError(_("record without fields"))

    fields = _decode_fields(chunk, directory, base, end, encoding)
    if isinstance(fields, UnicodeDecodeError):
        encoding = "latin-1"  # decodes any byte: the record is kept, the warning says why
        warnings.append(_("characters unreadable in the declared encoding: record read as Latin-1"))
        fields = _decode_fields(chunk, directory, base, end, encoding)
    if fields is None or isinstance(fields, UnicodeDecodeError):
        # The directory does not match the bytes. A common exporter bug counts lengths and
        # offsets in characters: accept the record only if they match the decoded text exactly;
        # otherwise bytes are missing and the record goes to the reject file untouched.
        fields = _char_fields(chunk, directory, base, end, encoding)
        if fields is None:
            declared = declared_length(chunk)
            if declared is not None and declared > size:
                raise MarcError(_("truncated record"))
            raise MarcError(_("directory inconsistent with the record's data"))
        warnings.append(_("directory lengths counted in characters, not bytes"))
    return _build.record(leader, fields), warnings


def _decode_fields(
    chunk: bytes, directory: str, base: int, end: int, encoding: str
) -> list[Field] | UnicodeDecodeError | None:
    """The hot path, pymarc objects built inline. None when the directory does not match the
    data, the exception when the data does not decode."""
    if encoding == "marc8":
        spans = _spans(chunk, directory, base, end)
        try:
            return None if spans is None else _fields_from(spans, encoding)
        except UnicodeDecodeError as exc:  # pymarc's MARC-8 table lookups failed
            return exc
    try:
        texts = _split_texts(chunk, directory, base, end, encoding)
        if texts is None:
            texts = _span_texts(chunk, directory, base, end, encoding)
    except UnicodeDecodeError as exc:
        return exc
    if texts is None:
        return None
    new, tuple_new = object.__new__, tuple.__new__
    fast = _build.FAST
    field_cls, subfield_cls, indicators = Field, _build.Subfield, _build.indicators
    fields: list[Field] = []
    append = fields.append
    for i, text in zip(range(0, len(directory), 12), texts, strict=True):
        tag = directory[i : i + 3]
        if tag < "010" and tag.isdigit():
            append(_build.control_field(tag, text))
            continue
        parts = text.split(SF)
        head = parts[0]
        subs = [tuple_new(subfield_cls, (p[0], p[1:])) for p in parts[1:] if p]
        if len(head) == 2:
            inds = indicators(head[0], head[1])
        else:  # missing or extra indicators are common; keep what is there
            inds = indicators(head[:1] or " ", head[1:2] or " ")
        if fast:
            fld = new(field_cls)
            fld.tag = tag
            fld.data = None
            fld._indicators = inds
            fld.subfields = subs
            fld.control_field = False
            append(fld)
        else:  # pragma: no cover - unknown pymarc layout
            append(_build.data_field(tag, inds, subs))
    return fields


def _split_texts(
    chunk: bytes, directory: str, base: int, end: int, encoding: str
) -> list[str] | None:
    """Fields cut at the field terminators, when the directory lists them in data order and
    covers the data exactly (nearly always): one decode call for the whole record."""
    if directory[7:12] != "00000":
        return None
    offsets_list = [directory[i + 7 : i + 12] for i in range(0, len(directory), 12)]
    if offsets_list != sorted(offsets_list):
        return None
    last = directory[-12:]
    if not (last[3:].isdigit() and int(last[3:7]) + int(last[7:]) == end - base):
        return None
    texts = chunk[base:end].decode(encoding).split("\x1e")
    if len(texts) != len(offsets_list) + 1 or texts[-1]:
        return None
    texts.pop()
    return texts


def _char_fields(
    chunk: bytes, directory: str, base: int, end: int, encoding: str
) -> list[Field] | None:
    if encoding == "marc8":
        return None
    try:
        text = chunk[base:end].decode(encoding)
    except UnicodeDecodeError:
        return None
    raw = []
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        if not entry[3:].isdigit():
            return None
        start = int(entry[7:])
        stop = start + int(entry[3:7])
        if stop > len(text) or stop <= start or text[stop - 1] != "\x1e":
            return None
        raw.append((entry[:3], text[start : stop - 1].encode(encoding)))
    return _fields_from(raw, encoding)


def _span_texts(
    chunk: bytes, directory: str, base: int, end: int, encoding: str
) -> list[str] | None:
    spans = _spans(chunk, directory, base, end)
    return None if spans is None else [data.decode(encoding) for _, data in spans]


def _spans(chunk: bytes, directory: str, base: int, end: int) -> list[tuple[str, bytes]] | None:
    out = []
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        try:
            start = base + int(entry[7:12])
            stop = start + int(entry[3:7])
        except ValueError:
            raise MarcError(
                _("invalid record directory (entry “%(entry)s”)") % {"entry": entry}
            ) from None
        if stop > end or stop <= start or chunk[stop - 1] != 0x1E:
            return None
        out.append((entry[:3], chunk[start : stop - 1]))
    return out


def _fields_from(raw_fields: list[tuple[str, bytes]], encoding: str) -> list[Field]:
    """Slow, tolerant path: MARC-8, Latin-1 retries and separator-split records."""
    make_data, make_control = _build.data_field, _build.control_field
    subfield, indicators = _build.subfield, _build.indicators
    marc8 = encoding == "marc8"
    fields: list[Field] = []
    for tag, data in raw_fields:
        if tag < "010" and tag.isdigit():
            fields.append(make_control(tag, data.decode("latin-1" if marc8 else encoding)))
            continue
        if marc8:
            parts = data.split(b"\x1f")
            head = parts[0].decode("latin-1")
            subs = [subfield(chr(p[0]), marc8_to_unicode(p[1:], True)) for p in parts[1:] if p]
        else:
            texts = data.decode(encoding).split(SF)
            head = texts[0]
            subs = [subfield(t[0], t[1:]) for t in texts[1:] if t]
        inds = indicators(head[:1] or " ", head[1:2] or " ")
        fields.append(make_data(tag, inds, subs))
    return fields


# --- encoding --------------------------------------------------------------------------------


def encode(record: Record, leader9: str, leader20: str) -> bytes:
    """Serialise a record as UTF-8 ISO 2709 with a recomputed directory.

    pymarc's ``as_marc`` concatenates bytes field by field and forces leader/09 to "a"; here the
    caller decides leader/09 and 20-23 (UNIMARC keeps them blank and "450 ").
    """
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for field in record.fields:
        if field.control_field:
            text = field.data or ""
        else:
            inds = field.indicators or _build.BLANK_INDICATORS
            text = inds[0] + inds[1] + "".join([SF + c + v for c, v in field.subfields])
        data = text.encode("utf-8") + FT
        if len(data) > MAX_FIELD:
            raise MarcError(
                _("field %(tag)s too long for ISO 2709 (%(size)d bytes)")
                % {"tag": field.tag, "size": len(data)}
            )
        tag = field.tag.encode("ascii", "replace")[:3].rjust(3, b"0")
        directory.append(b"%s%04d%05d" % (tag, len(data), offset))
        parts.append(data)
        offset += len(data)
    base = 24 + 12 * len(directory) + 1
    total = base + offset + 1
    if total > MAX_RECORD:
        raise MarcError(
            _("record too long for ISO 2709 (%(size)d bytes): export as MARCXML") % {"size": total}
        )
    old = _build.fix_leader(str(record.leader))
    leader = f"{total:05d}{old[5:9]}{leader9}22{base:05d}{old[17:20]}{leader20}"
    return leader.encode("ascii", "replace") + b"".join(directory) + FT + b"".join(parts) + RT


def without_fields(chunk: bytes, tag: str, leader: str) -> bytes | None:
    """``chunk`` without its ``tag`` fields and under ``leader`` (length and base address
    recomputed): a UTF-8 record stored as it came, cut instead of decoded and re-encoded.
    None when the directory is not the plain kind (fields in data order, covering the data
    exactly, each ending with a field terminator): the caller then re-encodes."""
    end = len(chunk) - 1 if chunk.endswith(RT) else len(chunk)
    if not chunk[12:17].isdigit():
        return None
    base = int(chunk[12:17])
    directory = chunk[24 : base - 1]
    if len(directory) % 12 or end > len(chunk) or base > end:
        return None
    drop = tag.encode("ascii")
    entries: list[bytes] = []
    parts: list[bytes] = []
    expected = offset = 0
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        if not entry[3:].isdigit():
            return None
        length, start = int(entry[3:7]), int(entry[7:12])
        if start != expected or not length or chunk[base + start + length - 1] != FT[0]:
            return None
        expected = start + length
        if entry[:3] == drop:
            continue
        entries.append(b"%s%04d%05d" % (entry[:3], length, offset))
        parts.append(chunk[base + start : base + expected])
        offset += length
    if expected != end - base or not entries:
        return None
    new_base = 24 + 12 * len(entries) + 1
    head = f"{new_base + offset + 1:05d}{leader[5:12]}{new_base:05d}{leader[17:24]}"
    return head.encode("ascii", "replace") + b"".join(entries) + FT + b"".join(parts) + RT
