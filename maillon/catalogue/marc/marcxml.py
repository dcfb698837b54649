"""MARCXML in and out: MARC21 slim collections, marcxchange (v1/v2) and SRU responses.

Reading streams with ``iterparse``: each finished record is detached from its parent so memory
stays flat whatever the file size. A record is recognised by its shape (an element named "record"
holding leader/controlfield/datafield children) rather than by namespace, which covers MARCXML,
marcxchange, records without namespace and records wrapped in SRU or OAI-PMH envelopes.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO
from xml.parsers import expat
from xml.parsers.expat import errors as expat_errors

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pymarc import Field, Record

from . import _build

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
_INNER = frozenset({"leader", "controlfield", "datafield", "subfield"})
_MARC_CHILDREN = frozenset({"leader", "controlfield", "datafield"})

_XML_REASONS = {
    expat_errors.codes[expat_errors.XML_ERROR_SYNTAX]: _("syntax error"),
    expat_errors.codes[expat_errors.XML_ERROR_NO_ELEMENTS]: _("empty or incomplete document"),
    expat_errors.codes[expat_errors.XML_ERROR_INVALID_TOKEN]: _("invalid character or tag"),
    expat_errors.codes[expat_errors.XML_ERROR_UNCLOSED_TOKEN]: _("unfinished tag"),
    expat_errors.codes[expat_errors.XML_ERROR_TAG_MISMATCH]: _(
        "closing tag without an opening one"
    ),
    expat_errors.codes[expat_errors.XML_ERROR_UNDEFINED_ENTITY]: _("undefined entity"),
    expat_errors.codes[expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: _("content after the end"),
    expat_errors.codes[expat_errors.XML_ERROR_UNBOUND_PREFIX]: _("unknown namespace prefix"),
    expat_errors.codes[expat_errors.XML_ERROR_UNKNOWN_ENCODING]: _("unreadable encoding"),
    expat_errors.codes[expat_errors.XML_ERROR_INCORRECT_ENCODING]: _("unreadable encoding"),
}


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


def _is_marc_record(elem: ET.Element) -> bool:
    return any(_local(child.tag) in _MARC_CHILDREN for child in elem)


class XmlFailure:
    """Records lost to a parse error: ``count`` MARC records in ``raw`` (the bytes from the
    broken record to where reading resumed), all refused for ``reason``."""

    __slots__ = ("reason", "raw", "count")

    def __init__(self, reason: str, raw: bytes, count: int) -> None:
        self.reason, self.raw, self.count = reason, raw, count

    def __repr__(self) -> str:
        return f"<XmlFailure {self.count} {self.reason!r}>"


_BLOCK = 1 << 16
_RAW_LIMIT = 1 << 20  # a reject file keeps at most this much of a broken stretch
# A tag that may open a record or one of its fields, whatever its prefix.
_TOKEN = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?(record|leader|controlfield|datafield)(?=[\s>/])")
_RECORD_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?record(?=[\s>/])")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _document_encoding(head: bytes) -> str:
    """The encoding the parser will read ``head`` with: BOM, then declaration, then UTF-8."""
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    if head.startswith((b"<\x00", b"\x00<")):
        return "utf-16-le" if head[0] == 0x3C else "utf-16-be"
    match = _DECLARED.match(head.removeprefix(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii", "replace") if match else "utf-8"


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


_EXPAT_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
_NO_CONTROLS = str.maketrans({chr(c): None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})


def _comment(text: str) -> bytes:
    """A broken stretch of XML, kept in the reject file as a comment the file stays valid with."""
    body = text[:_RAW_LIMIT].translate(_NO_CONTROLS).replace("--", "- -").rstrip("-")
    return f"<!-- {body} -->".encode()


def _reject_rest(stream: _Stream, start: int, codec: str, reason: str) -> Iterator[XmlFailure]:
    """The records from ``start`` to the end of the file, counted, all refused for ``reason``."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    head, count, pending, carry = "", 0, False, ""

    def blocks() -> Iterator[bytes]:
        yield stream.get(start, stream.end)
        stream.forget_before(stream.end)
        while stream.more():
            yield stream.get(stream.base, stream.end)
            stream.forget_before(stream.end)
        yield b""

    for data in blocks():
        text = carry + decoder.decode(data, final=not data)
        cut = text.rfind("<") if data else -1  # a tag cut by the block ends in the next one
        if cut < 0:
            cut = len(text)
        found, pending = _count_records(text[:cut], pending)
        count += found
        if len(head) < _RAW_LIMIT:
            head += text[:cut]
        carry = text[cut:]
    if count:
        yield XmlFailure(reason, _comment(head), count)


def _count_records(text: str, pending: bool = False) -> tuple[int, bool]:
    """MARC records that start in ``text``: a record tag followed by a field tag before the
    next record tag (an SRU or OAI envelope named "record" holds no field of its own).
    ``pending``: a record tag seen earlier still waits for its first field."""
    count = 0
    for match in _TOKEN.finditer(text):
        if match.group(1) == "record":
            pending = True
        elif pending:
            count += 1
            pending = False
    return count, pending


class _Stream:
    """The file's bytes from ``base`` on, read block by block as the parser asks for them."""

    def __init__(self, fp: BinaryIO) -> None:
        self.fp = fp
        self.buf = bytearray()
        self.base = 0
        self.lines = 0  # line breaks in the bytes already forgotten
        self.eof = False

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def more(self) -> bool:
        if self.eof:
            return False
        block = self.fp.read(_BLOCK)
        if not block:
            self.eof = True
            return False
        self.buf += block
        return True

    def get(self, start: int, stop: int) -> bytes:
        return bytes(self.buf[max(start - self.base, 0) : max(stop - self.base, 0)])

    def forget_before(self, offset: int) -> None:
        cut = offset - self.base
        if cut > 0:
            self.lines += self.buf.count(b"\n", 0, cut)
            del self.buf[:cut]
            self.base = offset

    def line_of(self, offset: int) -> int:
        return self.lines + self.buf.count(b"\n", 0, max(offset - self.base, 0)) + 1

    def find_record(self, start: int) -> int | None:
        """Offset of the next record start tag at or after ``start`` (reading on as needed)."""
        while True:
            found = _RECORD_START.search(self.buf, max(start - self.base, 0))
            if found:
                return self.base + found.start()
            if not self.more():
                return None


class _Session:
    """One expat parser over the file from ``origin``, building elements with a TreeBuilder.

    A session after a parse error starts at a record's start tag, inside a made-up root element
    that declares every namespace prefix seen so far."""

    def __init__(self, origin: int, encoding: str | None, namespaces: dict[str, str]) -> None:
        self.origin = origin
        self.namespaces = namespaces
        parser = expat.ParserCreate(
            encoding=_EXPAT_NAMES.get(encoding or "", encoding), namespace_separator="}"
        )
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartNamespaceDeclHandler = self._ns
        self.builder = ET.TreeBuilder()
        parser.CharacterDataHandler = self.builder.data
        self.parser = parser
        self.stack: list[ET.Element] = []
        self.starts: list[int] = []  # offsets (in the file) of the record tags still open
        self.done: list[ET.Element] = []
        self.last_end = origin
        self.tags: dict[str, tuple[str, str]] = {}
        self.prefix = b""
        if origin:
            decls = "".join(
                f' xmlns{":" + p if p else ""}="{uri.translate(_XML_ATTR)}"'
                for p, uri in namespaces.items()
            )
            self.prefix = f"<maillon-recovery{decls}>".encode(encoding or "utf-8")
            parser.Parse(self.prefix, False)

    def _tag(self, name: str) -> tuple[str, str]:
        found = self.tags.get(name)
        if found is None:
            uri, sep, local = name.rpartition("}")
            found = self.tags[name] = ("{" + name if sep else name, local)
        return found

    def _ns(self, prefix: str | None, uri: str | None) -> None:
        self.namespaces[prefix or ""] = uri or ""

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag, local = self._tag(name)
        if attrs and any("}" in key for key in attrs):  # xsi:schemaLocation and the like
            attrs = {self._tag(key)[0]: value for key, value in attrs.items()}
        self.stack.append(self.builder.start(tag, attrs))
        if local == "record":
            self.starts.append(self.at(self.parser.CurrentByteIndex))

    def _end(self, name: str) -> None:
        tag, local = self._tag(name)
        elem = self.builder.end(tag)
        self.stack.pop()
        if local in _INNER:
            return  # part of a record still being read
        if self.stack:
            self.stack[-1].remove(elem)
        if local == "record":
            self.starts.pop()
            self.last_end = self.at(self.parser.CurrentByteIndex)
            if _is_marc_record(elem):
                self.done.append(elem)

    def at(self, index: int) -> int:
        """The file offset of a byte index of this parser's input."""
        return self.origin + max(index - len(self.prefix), 0)

    def keep_from(self) -> int:
        """Where the bytes still needed start: the first record open, or the end of the last."""
        return self.starts[0] if self.starts else self.last_end


def iter_elements(fp: BinaryIO) -> Iterator[ET.Element | XmlFailure]:
    """Yield each MARC record element, detached, and an XmlFailure for each stretch of records
    lost to a syntax error: reading resumes at the next record tag, so one broken record costs
    that record only. Never raises on bad data."""
    stream = _Stream(fp)
    stream.more()
    encoding = _document_encoding(stream.get(0, 200))
    if not _known_encoding(encoding):
        reason = gettext("unknown encoding “%(encoding)s”") % {"encoding": encoding[:40]}
        yield from _reject_rest(stream, 0, "latin-1", reason)
        return
    codec = codecs.lookup(encoding).name
    namespaces: dict[str, str] = {}
    origin = 0
    while True:
        try:
            session = _Session(origin, codec if origin else None, namespaces)
        except (LookupError, ValueError, expat.ExpatError):
            reason = gettext("unreadable encoding “%(encoding)s”") % {"encoding": encoding[:40]}
            yield from _reject_rest(stream, origin, codec, reason)
            return
        fed = origin
        try:
            while True:
                if fed >= stream.end and not stream.more():
                    session.parser.Parse(b"", True)
                    break
                block = stream.get(fed, stream.end)
                fed += len(block)
                session.parser.Parse(block, False)
                yield from session.done
                session.done.clear()
                stream.forget_before(session.keep_from())
            yield from session.done
            return
        except expat.ExpatError as exc:
            yield from session.done
            error_at = session.at(session.parser.ErrorByteIndex)
            reason = gettext("invalid XML: %(reason)s (line %(line)d, column %(column)d)") % {
                "reason": _XML_REASONS.get(exc.code) or gettext("malformed document"),
                "line": stream.line_of(error_at),
                "column": exc.offset,
            }
        except (LookupError, ValueError):  # an encoding expat cannot read after all
            yield from session.done
            reason = gettext("unreadable encoding “%(encoding)s”") % {"encoding": encoding[:40]}
            yield from _reject_rest(stream, session.keep_from(), codec, reason)
            return
        broken = session.starts[-1] if session.starts else error_at
        resume = stream.find_record(max(error_at, broken) + 1)
        stop = stream.end if resume is None else resume
        text = stream.get(broken, stop).decode(codec, "replace")
        lost, _pending = _count_records(text)
        if lost:
            yield XmlFailure(reason, _comment(text), lost)
        if resume is None:
            return
        stream.forget_before(resume)
        origin = resume


def element_to_record(elem: ET.Element) -> tuple[Record, list[str]]:
    """Build a pymarc record from a record element; odd content becomes warnings, not errors."""
    tag = elem.tag
    ns = tag[: tag.rfind("}") + 1]
    leader_tag, control_tag, data_tag = ns + "leader", ns + "controlfield", ns + "datafield"
    make_data, make_control = _build.data_field, _build.control_field
    subfield, indicators = _build.subfield, _build.indicators
    warnings: list[str] = []
    leader = None
    fields: list[Field] = []
    append = fields.append
    for child in elem:
        ctag = child.tag
        if ctag == data_tag:
            get = child.get
            field_tag = get("tag")
            if not field_tag:
                warnings.append(gettext("field without a tag ignored"))
                continue
            subs = [subfield(sf.get("code") or " ", sf.text or "") for sf in child]
            ind1 = get("ind1") or " "
            ind2 = get("ind2") or " "
            append(make_data(field_tag, indicators(ind1[:1], ind2[:1]), subs))
        elif ctag == control_tag:
            field_tag = child.get("tag")
            if not field_tag:
                warnings.append(gettext("control field without a tag ignored"))
                continue
            append(make_control(field_tag, child.text or ""))
        elif ctag == leader_tag:
            leader = child.text or ""
    if leader is None:
        warnings.append(gettext("record leader missing: default leader"))
    elif len(leader) != 24:
        warnings.append(
            gettext("record leader of %(count)d characters instead of 24: completed")
            % {"count": len(leader)}
        )
    return _build.record(leader or "", fields), warnings


def element_bytes(elem: ET.Element) -> bytes:
    """The record element serialised on its own (for reject files), with its namespace declared
    as the default one: ElementTree would invent "ns0:" prefixes and drop nothing useful."""
    out: list[str] = []
    _serialise(elem, "", out)
    return "".join(out).encode("utf-8")


def _serialise(elem: ET.Element, parent_ns: str, out: list[str]) -> None:
    tag = elem.tag
    ns, local = (tag[1:].split("}", 1)) if tag.startswith("{") else ("", tag)
    attrs = "".join(
        f' {key}="{value.translate(_XML_ATTR)}"'
        for key, value in elem.attrib.items()
        if not key.startswith("{")  # qualified attributes (xsi:…) would need their prefixes
    )
    if ns != parent_ns:
        attrs = f' xmlns="{ns.translate(_XML_ATTR)}"{attrs}'
    out.append(f"<{local}{attrs}>")
    if elem.text:
        out.append(elem.text.translate(_XML_TEXT))
    for child in elem:
        _serialise(child, ns, out)
        if child.tail:
            out.append(child.tail.translate(_XML_TEXT))
    out.append(f"</{local}>")


# --- writing ---------------------------------------------------------------------------------

# XML 1.0 forbids most C0 controls; MARC data sometimes carries them (stray MARC-8 escapes).
_XML_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {chr(c): None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
)
_XML_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"} | {chr(c): None for c in range(0x20)}
)

HEADER = f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'.encode()
FOOTER = b"</collection>\n"


# What _XML_TEXT changes: most values have none of it, and a search is ten times cheaper than
# a translation (a harvest writes a million records).
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
# The markup opening a data field (by tag and indicators) or a subfield (by code): a few
# hundred in a catalogue, made once (the caches stop growing at _MARKUP_MAX, for odd files).
_DATAFIELDS: dict[tuple[str, str, str], str] = {}
_SUBFIELDS: dict[str, str] = {}
_MARKUP_MAX = 10_000


def _escaped(value: str) -> str:
    return value.translate(_XML_TEXT) if _NEEDS_ESCAPE.search(value) else value


def _datafield(key: tuple[str, str, str]) -> str:
    tag, ind1, ind2 = (part.translate(_XML_ATTR) for part in key)
    found = f'  <datafield tag="{tag}" ind1="{ind1 or " "}" ind2="{ind2 or " "}">\n'
    if len(_DATAFIELDS) < _MARKUP_MAX:
        _DATAFIELDS[key] = found
    return found


def _subfield(code: str) -> str:
    found = f'    <subfield code="{code.translate(_XML_ATTR) or " "}">'
    if len(_SUBFIELDS) < _MARKUP_MAX:
        _SUBFIELDS[code] = found
    return found


def record_xml(record: Record, leader: str) -> str:
    """One <record> element (no namespace declaration: it inherits the collection's)."""
    out = ["<record>\n  <leader>", _escaped(leader), "</leader>\n"]
    append = out.append
    needs_escape = _NEEDS_ESCAPE.search
    datafields, subfields = _DATAFIELDS, _SUBFIELDS
    for field in record.fields:
        if field.control_field:
            tag = field.tag.translate(_XML_ATTR)
            append(f'  <controlfield tag="{tag}">{_escaped(field.data or "")}</controlfield>\n')
            continue
        inds = field.indicators or _build.BLANK_INDICATORS
        key = (field.tag, inds[0], inds[1])
        append(datafields.get(key) or _datafield(key))
        for code, value in field.subfields:
            if needs_escape(value):
                value = value.translate(_XML_TEXT)
            append(f"{subfields.get(code) or _subfield(code)}{value}</subfield>\n")
        append("  </datafield>\n")
    append("</record>\n")
    return "".join(out)
