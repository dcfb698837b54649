"""MARCXML in and out: MARC21 slim collections, marcxchange (v1/v2) and SRU responses.

Reading streams with ``iterparse``: each finished record is detached from its parent so memory
stays flat whatever the file size. A record is recognised by its shape (an element named "record"
holding leader/controlfield/datafield children) rather than by namespace, which covers MARCXML,
marcxchange, records without namespace and records wrapped in SRU or OAI-PMH envelopes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO
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


def iter_elements(fp: BinaryIO) -> Iterator[ET.Element | str]:
    """Yield each MARC record element, detached; a final str is the French reason of a parse
    error (records before it were good and have been yielded)."""
    stack: list[ET.Element] = []
    push, pop = stack.append, stack.pop
    local_names: dict[str, str] = {}  # a file uses few distinct tags: strip namespaces once
    try:
        for event, elem in ET.iterparse(fp, events=("start", "end")):
            if event == "start":
                push(elem)
                continue
            pop()
            tag = elem.tag
            local = local_names.get(tag)
            if local is None:
                local = local_names[tag] = _local(tag)
            if local in _INNER:
                continue  # part of a record still being read
            if stack:
                # Detach by identity: the parser may already have appended the next siblings.
                stack[-1].remove(elem)
            if local == "record" and _is_marc_record(elem):
                yield elem
    except ET.ParseError as exc:
        line, column = exc.position
        reason = _XML_REASONS.get(exc.code) or gettext("malformed document")
        yield gettext("invalid XML: %(reason)s (line %(line)d, column %(column)d)") % {
            "reason": reason,
            "line": line,
            "column": column,
        }


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


def record_xml(record: Record, leader: str) -> str:
    """One <record> element (no namespace declaration: it inherits the collection's)."""
    out = ["<record>\n  <leader>", leader.translate(_XML_TEXT), "</leader>\n"]
    append = out.append
    for field in record.fields:
        tag = field.tag.translate(_XML_ATTR)
        if field.control_field:
            append(f'  <controlfield tag="{tag}">{(field.data or "").translate(_XML_TEXT)}')
            append("</controlfield>\n")
            continue
        inds = field.indicators or _build.BLANK_INDICATORS
        append(
            f'  <datafield tag="{tag}" ind1="{inds[0].translate(_XML_ATTR) or " "}"'
            f' ind2="{inds[1].translate(_XML_ATTR) or " "}">\n'
        )
        for code, value in field.subfields:
            append(f'    <subfield code="{code.translate(_XML_ATTR) or " "}">')
            append(value.translate(_XML_TEXT))
            append("</subfield>\n")
        append("  </datafield>\n")
    append("</record>\n")
    return "".join(out)
