"""Read MARC files (ISO 2709 or XML) record by record, never raising on bad data."""

from __future__ import annotations

import codecs
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, Literal, cast

from django.utils.translation import gettext as _
from pymarc import Record

from . import iso2709, marcxml
from .iso2709 import MarcError

Format = Literal["auto", "iso2709", "marcxml"]
Source = str | Path | bytes | BinaryIO
_SNIFF = 4096


class ReadResult:
    """One record of a file: either ``record`` or ``error`` is set.

    ``raw`` gives the bytes to write to a reject file: the exact chunk for ISO 2709, the record
    element re-serialised for XML (computed on first access only, since it is rarely needed).
    ``warnings`` are French notes on what the reader had to guess (encoding, lengths…).
    ``encoding`` is the character set an ISO 2709 record was decoded with (None for XML).
    """

    __slots__ = ("index", "record", "error", "warnings", "encoding", "_raw", "_element")

    def __init__(
        self,
        index: int,
        record: Record | None = None,
        error: str | None = None,
        raw: bytes | None = b"",
        warnings: list[str] | None = None,
        element: ET.Element | None = None,
        encoding: str | None = None,
    ) -> None:
        self.index = index
        self.encoding = encoding
        self.record = record
        self.error = error
        self.warnings = warnings if warnings is not None else []
        self._raw = raw
        self._element = element

    @property
    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = marcxml.element_bytes(self._element) if self._element is not None else b""
            self._element = None
        return self._raw

    @property
    def ok(self) -> bool:
        return self.record is not None

    def __repr__(self) -> str:
        state = f"error={self.error!r}" if self.error else "ok"
        return f"<ReadResult #{self.index} {state}>"


def read_marc(
    source: Source, fmt: Format = "auto", encoding: str | None = None
) -> Iterator[ReadResult]:
    """Yield one ReadResult per record of ``source``.

    ``source`` is a path (str or Path), the file's bytes, or a binary file object (left open).
    ``fmt`` "auto" sniffs the first bytes: "<" (after a BOM or blanks) means XML, anything else
    ISO 2709. ``encoding`` forces the character set of ISO 2709 records (e.g. "cp1252",
    "marc8") instead of guessing it; XML declares its own.
    """
    if fmt not in ("auto", "iso2709", "marcxml"):
        raise ValueError(_("unknown format: %(format)r") % {"format": fmt})
    # Checked here rather than in the generator so that a wrong call fails at once.
    return _read(source, fmt, _check_encoding(encoding))


def _read(source: Source, fmt: Format, encoding: str | None) -> Iterator[ReadResult]:
    with ExitStack() as stack:
        if isinstance(source, str | Path):
            fp: BinaryIO = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        elif isinstance(source, bytes | bytearray | memoryview):
            fp = io.BytesIO(bytes(source))
        else:
            fp = source
        if fmt == "auto":
            head = fp.read(_SNIFF)
            fmt = sniff_format(head)
            fp = cast(BinaryIO, _Prefixed(head, fp))  # only read() is used
        if fmt == "marcxml":
            yield from _read_xml(fp)
        else:
            yield from _read_iso(fp, encoding)


def _check_encoding(encoding: str | None) -> str | None:
    if not encoding:
        return None
    if encoding.lower().replace("-", "").replace("_", "") == "marc8":
        return "marc8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(_("unknown encoding: %(encoding)r") % {"encoding": encoding}) from None


def sniff_format(head: bytes) -> Literal["iso2709", "marcxml"]:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "marcxml"  # UTF-16 with BOM: only XML is written that way
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return "marcxml" if text.startswith(b"<") else "iso2709"


class _Prefixed:
    """A read-only stream that first replays the bytes consumed by sniffing."""

    def __init__(self, head: bytes, fp: BinaryIO) -> None:
        self._head = head
        self._fp = fp

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._fp.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._fp.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def _read_xml(fp: BinaryIO) -> Iterator[ReadResult]:
    index = 0
    for item in marcxml.iter_elements(fp):
        if isinstance(item, marcxml.XmlFailure):
            # Each lost record is counted: the first carries the broken stretch of XML.
            for lost in range(item.count):
                yield ReadResult(index, error=item.reason, raw=b"" if lost else item.raw)
                index += 1
            continue
        record, warnings = marcxml.element_to_record(item)
        if record.fields:
            yield ReadResult(index, record=record, raw=None, warnings=warnings, element=item)
        else:
            yield ReadResult(index, error=_("record without fields"), raw=None, element=item)
        index += 1


def _read_iso(fp: BinaryIO, forced: str | None) -> Iterator[ReadResult]:
    index = 0
    for chunk in iso2709.iter_chunks(fp):
        chunk = chunk.lstrip(iso2709.JUNK)
        if not chunk.strip(iso2709.JUNK + iso2709.RT):
            continue  # separators or stray terminators, not a record
        declared = iso2709.declared_length(chunk)
        pieces = [chunk] if declared == len(chunk) else iso2709.split_glued(chunk)
        for piece in pieces:
            yield _decode_piece(index, piece, forced)
            index += 1


def _decode_piece(index: int, piece: bytes, forced: str | None) -> ReadResult:
    declared = iso2709.declared_length(piece)
    size = len(piece)
    warnings: list[str] = []
    terminated = piece.endswith(iso2709.RT)
    if declared is None:
        return ReadResult(index, error=_("invalid record length"), raw=piece)
    if not terminated:
        if declared != size + 1:
            return ReadResult(index, error=_("truncated record"), raw=piece)
        warnings.append(_("end of record missing"))
    elif declared != size:
        warnings.append(f"longueur déclarée ({declared}) différente de la longueur réelle ({size})")
    if forced:
        encoding, note = forced, None
    else:
        encoding, note = iso2709.choose_encoding(piece)
    try:
        record, notes = iso2709.decode(piece, encoding)
    except MarcError as exc:
        return ReadResult(index, error=str(exc), raw=piece)
    except Exception as exc:  # a case no rule foresaw must still cost one record, not the file
        return ReadResult(
            index,
            error=_("unreadable record (%(error)s)") % {"error": type(exc).__name__},
            raw=piece,
        )
    if note:
        warnings.append(note)
    warnings.extend(notes)
    return ReadResult(index, record=record, raw=piece, warnings=warnings, encoding=encoding)
