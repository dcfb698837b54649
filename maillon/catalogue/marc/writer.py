"""Build, modify and write MARC records.

Exports are always UTF-8 and say so where each flavour looks: leader/09 = "a" (MARC21, and
UNIMARC too for readers that only check there), 100$a/26-29 = "50" for UNIMARC, so that any
reader (ours included) decodes them without guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from pymarc import Field, Record
from stdnum import isbn as _isbn

from . import _build, iso2709, marcxml, vocab
from .extract import Contributor, Series
from .flavour import Flavour, detect_flavour
from .holdings import ITEM_TAG, ItemData, item_field
from .iso2709 import MarcError
from .keys import normalise_isbn

OnError = Callable[[int, str], None]


@dataclass(slots=True)
class RecordFields:
    """The common fields of the cataloguing form; ``extract(build_record(x))`` gives them back."""

    title: str
    subtitle: str = ""
    authors: list[Contributor] = field(default_factory=list)
    publisher: str = ""
    year: int | None = None
    isbns: list[str] = field(default_factory=list)
    language: str = ""
    classification: str = ""
    subjects: list[str] = field(default_factory=list)  # "Heading -- subdivision -- …"
    series: list[Series] = field(default_factory=list)
    summary: str = ""
    doc_type: str = "text"
    audience: str = "unknown"
    record_id: str = ""  # 001, when the catalogue already numbered the record
    edition: str = ""
    place: str = ""  # of publication
    extent: str = ""  # physical description: "212 p. : ill. ; 24 cm"
    notes: list[str] = field(default_factory=list)


# --- items -----------------------------------------------------------------------------------


def set_items(record: Record, items: Iterable[ItemData], flavour: Flavour) -> None:
    """Replace the record's item fields (995 or 952) by ``items``, keeping tag order."""
    tag = ITEM_TAG[flavour]
    kept = [f for f in record.fields if f.tag != tag]
    new = [item_field(item, flavour) for item in items]
    position = next((i for i, f in enumerate(kept) if f.tag > tag), len(kept))
    record.fields = kept[:position] + new + kept[position:]


# --- building --------------------------------------------------------------------------------


def build_record(fields: RecordFields, flavour: Flavour, today: dt.date | None = None) -> Record:
    """A minimal valid record holding ``fields``; ``today`` dates the coded data (tests)."""
    today = today or dt.date.today()
    if flavour == "unimarc":
        return _build_unimarc(fields, today)
    return _build_marc21(fields, today)


def _df(tag: str, ind: str, *pairs: tuple[str, str]) -> Field:
    subs = [_build.subfield(code, value) for code, value in pairs if value]
    return _build.data_field(tag, _build.indicators(ind[0], ind[1]), subs)


def _split_name(name: str) -> tuple[str, str]:
    surname, _, forename = name.partition(",")
    return surname.strip(), forename.strip()


def _subject_pairs(subject: str) -> list[tuple[str, str]]:
    head, *subdivisions = [part.strip() for part in subject.split("--")]
    return [("a", head), *(("x", sub) for sub in subdivisions)]


def _isbn_values(values: list[str], hyphens: bool) -> list[str]:
    out = []
    for value in values:
        number = normalise_isbn(value)
        if number is None:
            out.append(value)  # keep what the user typed; extraction will flag it
        else:
            out.append(hyphenated(number) if hyphens else number)
    return out


# Where an ISBN's hyphens go (stdnum's ranges, searched level by level: dearer than writing
# the rest of the record) depends only on its digits up to the registrant's: the split found
# for one number holds for every number that starts with the same prefix, group and
# registrant. Those starts, each with the ends of its three parts.
_SPLITS: dict[str, tuple[int, int, int]] = {}
_SPLITS_MAX = 100_000


def hyphenated(number: str) -> str:
    """The ISBN-13 ``number`` (digits) with its hyphens, as ``stdnum.isbn.format`` puts them."""
    if len(number) != 13 or not number.isdigit():
        return _isbn.format(number)
    for end in range(6, 13):
        found = _SPLITS.get(number[:end])
        if found is not None:
            group, registrant, item = found
            parts = (number[:group], number[group:registrant], number[registrant:item])
            return "-".join(part for part in (*parts, number[item:12], number[12]) if part)
    prefix, group_part, registrant_part, item_part, check = _isbn.split(number)
    if group_part and registrant_part and len(_SPLITS) < _SPLITS_MAX:
        ends = (len(prefix), len(prefix) + len(group_part))
        start = ends[1] + len(registrant_part)
        _SPLITS[number[:start]] = (*ends, start)
    return "-".join(p for p in (prefix, group_part, registrant_part, item_part, check) if p)


def _build_unimarc(f: RecordFields, today: dt.date) -> Record:
    out: list[Field] = []
    if f.record_id:
        out.append(_build.control_field("001", f.record_id))
    for number in _isbn_values(f.isbns, hyphens=True):
        out.append(_df("010", "  ", ("a", number)))
    dates = f"d{f.year:04d}    " if f.year else "u        "
    audience = vocab.AUDIENCE_UNIMARC.get(f.audience, "u")
    # 100$a: entry date, dates, audience, not a government publication, not modified,
    # catalogued in French, no transliteration, Unicode (50), Latin script title (ba).
    coded = f"{today:%Y%m%d}{dates}{audience}  y0frey50      ba"
    out.append(_df("100", "  ", ("a", coded)))
    if f.language:
        out.append(_df("101", "0 ", ("a", f.language)))
    out.append(_df("200", "1 ", ("a", f.title), ("e", f.subtitle)))
    if f.edition:
        out.append(_df("205", "  ", ("a", f.edition)))
    if f.place or f.publisher or f.year:
        out.append(_df("210", "  ", ("a", f.place), ("c", f.publisher), ("d", str(f.year or ""))))
    if f.extent:
        out.append(_df("215", "  ", ("a", f.extent)))
    for series in f.series:
        out.append(_df("225", "1 ", ("a", series.title), ("v", series.number)))
    for note in f.notes:
        out.append(_df("300", "  ", ("a", note)))
    if f.summary:
        out.append(_df("330", "  ", ("a", f.summary)))
    for subject in f.subjects:
        out.append(_df("606", "  ", *_subject_pairs(subject)))
    if f.classification:
        out.append(_df("676", "  ", ("a", f.classification)))
    main_done = False
    for author in f.authors:
        surname, forename = _split_name(author.name)
        code = vocab.ROLE_UNIMARC.get(author.role, "")
        if author.role == "auteur":
            tag = "701" if main_done else "700"
            main_done = True
        else:
            tag = "702"  # secondary responsibility; no $4 when the role is unstated
        out.append(_df(tag, " 1", ("a", surname), ("b", forename), ("4", code)))
    leader = f"00000n{vocab.TYPE_UNIMARC.get(f.doc_type, 'am')}  2200000   450 "
    return _build.record(leader, out)


def _build_marc21(f: RecordFields, today: dt.date) -> Record:
    out: list[Field] = []
    if f.record_id:
        out.append(_build.control_field("001", f.record_id))
    language = (f.language or "und")[:3].ljust(3)
    dates = f"s{f.year:04d}    " if f.year else "nuuuuuuuu"
    audience = vocab.AUDIENCE_MARC21.get(f.audience, " ")
    # 008: entry date, dates, unknown place, audience at 22, language at 35-37, source "d".
    fixed = f"{today:%y%m%d}{dates}xx     {audience}{' ' * 10}| {language} d"
    out.append(_build.control_field("008", fixed))
    for number in _isbn_values(f.isbns, hyphens=False):
        out.append(_df("020", "  ", ("a", number)))
    if f.language:
        out.append(_df("041", "0 ", ("a", f.language)))
    if f.classification:
        out.append(_df("082", "04", ("a", f.classification)))
    authors = list(f.authors)
    main = next((a for a in authors if a.role == "auteur"), None)
    if main is not None:
        authors.remove(main)
        out.append(_df("100", "1 ", ("a", main.name), ("4", "aut")))
    out.append(_df("245", ("1" if main else "0") + "0", ("a", f.title), ("b", f.subtitle)))
    if f.edition:
        out.append(_df("250", "  ", ("a", f.edition)))
    if f.place or f.publisher or f.year:
        out.append(_df("264", " 1", ("a", f.place), ("b", f.publisher), ("c", str(f.year or ""))))
    if f.extent:
        out.append(_df("300", "  ", ("a", f.extent)))
    for series in f.series:
        out.append(_df("490", "0 ", ("a", series.title), ("v", series.number)))
    for note in f.notes:
        out.append(_df("500", "  ", ("a", note)))
    if f.summary:
        out.append(_df("520", "  ", ("a", f.summary)))
    for subject in f.subjects:
        out.append(_df("650", " 4", *_subject_pairs(subject)))
    for author in authors:
        code = vocab.ROLE_MARC21.get(author.role, "")
        term = "" if code or not author.role else author.role
        out.append(_df("700", "1 ", ("a", author.name), ("e", term), ("4", code)))
    leader = f"00000n{vocab.TYPE_MARC21.get(f.doc_type, 'am')} a2200000 c 4500"
    return _build.record(leader, out)


# --- writing files ---------------------------------------------------------------------------


def utf8_leader(record: Record, flavour: Flavour) -> str:
    """Leader for a UTF-8 export. UNIMARC leaves leader/09 undefined, but readers that only look
    there (pymarc among them) would take a blank for MARC-8, so "a" is written in both flavours."""
    leader = _build.fix_leader(str(record.leader))
    tail = "4500" if flavour == "marc21" else "450 "
    return f"{leader[:9]}a22{leader[12:20]}{tail}"


def utf8_fields(record: Record, flavour: Flavour) -> Record:
    """The record with UNIMARC 100$a/26-29 set to "50" (Unicode); other fields shared."""
    if flavour != "unimarc":
        return record
    fields = list(record.fields)
    for i, fld in enumerate(fields):
        if fld.tag == "100" and fld.indicators is not None:
            subs = list(fld.subfields)
            for j, (code, value) in enumerate(subs):
                if code == "a" and len(value) >= 26:
                    value = value.ljust(30)
                    subs[j] = _build.subfield("a", f"{value[:26]}50  {value[30:]}")
                    fields[i] = _build.data_field("100", fld.indicators, subs)
                    break
            break
    copy = Record()
    copy.leader = record.leader
    copy.fields = fields
    return copy


def _write(
    records: Iterable[Record],
    fp: BinaryIO,
    flavour: Flavour | None,
    encode: Callable[[Record, Flavour], bytes],
    on_error: OnError | None,
) -> int:
    written = 0
    for position, record in enumerate(records):
        flv = flavour or detect_flavour(record)
        try:
            data = encode(utf8_fields(record, flv), flv)
        except MarcError as exc:
            if on_error is None:
                raise
            on_error(position, str(exc))
            continue
        fp.write(data)
        written += 1
    return written


def write_iso2709(
    records: Iterable[Record],
    fp: BinaryIO,
    flavour: Flavour | None = None,
    on_error: OnError | None = None,
) -> int:
    """Write records as UTF-8 ISO 2709; returns how many were written.

    A record too long for the format (over 99,999 bytes or a field over 9,999) raises MarcError,
    or is skipped and reported to ``on_error(position, reason)`` when given.
    ``flavour`` None means detected per record.
    """

    def encode(record: Record, flv: Flavour) -> bytes:
        leader = utf8_leader(record, flv)
        return iso2709.encode(record, leader[9], leader[20:24])

    return _write(records, fp, flavour, encode, on_error)


def write_marcxml(
    records: Iterable[Record],
    fp: BinaryIO,
    flavour: Flavour | None = None,
) -> int:
    """Stream records into one MARCXML collection (UTF-8); returns how many were written."""
    fp.write(marcxml.HEADER)

    def encode(record: Record, flv: Flavour) -> bytes:
        return marcxml.record_xml(record, utf8_leader(record, flv)).encode("utf-8")

    written = _write(records, fp, flavour, encode, None)
    fp.write(marcxml.FOOTER)
    return written
