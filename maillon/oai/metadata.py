"""The metadata formats harvesters may ask for, each written from a record and its copies.

- ``oai_dc``: simple Dublin Core from the record's columns (no MARC to read);
- ``marc21``: MARCXML, the copies in 852 ($a owner, $b home library, $c shelving location,
  $h call number, $p barcode);
- ``unimarc``: marcxchange (ISO 25577), the copies in 995 as the import reads them back.

A record is written in its own flavour from its stored MARC; in the other flavour (or when
nothing was stored) it is rebuilt from its columns, as the MARC export does. Copies gone from
the collection (withdrawn, lost, missing) are left out: harvesters show where to find a book.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pymarc import Field
from pymarc import Record as MarcRecord

from maillon.catalogue.marc import _build
from maillon.catalogue.marc.flavour import Flavour
from maillon.catalogue.marc.holdings import ITEM_TAG, ItemData
from maillon.catalogue.marc.marcxml import record_xml
from maillon.catalogue.marc.writer import build_record, set_items, utf8_fields, utf8_leader
from maillon.catalogue.models import Record
from maillon.catalogue.records import parse_marc, record_fields

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {chr(c): None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
)
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"} | {chr(c): None for c in range(0x20)}
)


# What the tables change: most values have none of it, and a search costs a tenth of a
# translation.
_TEXT_NEEDS = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_ATTR_NEEDS = re.compile(r'[&<>"\x00-\x1f]')


def text(value: str) -> str:
    return value.translate(_TEXT) if _TEXT_NEEDS.search(value) else value


def attr(value: str) -> str:
    return value.translate(_ATTR) if _ATTR_NEEDS.search(value) else value


@dataclass(frozen=True)
class Copy:
    """What harvesters see of a copy: codes, not ids."""

    barcode: str
    call_number: str
    owner: str
    home: str
    location: str
    item_type: str
    collection: str


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Record, list[Copy]], str]


# --- Dublin Core -----------------------------------------------------------------------------

# Our document types in the DCMI Type Vocabulary.
DCMI_TYPES = {
    "text": "Text",
    "periodical": "Text",
    "score": "Text",
    "video": "MovingImage",
    "sound": "Sound",
    "music": "Sound",
    "image": "StillImage",
    "game": "PhysicalObject",
    "kit": "PhysicalObject",
    "multimedia": "InteractiveResource",
}
DC_OPEN = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    f' xmlns:xsi="{XSI}"'
    ' xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/'
    ' http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
)


def dublin_core(
    record: Record, copies: list[Copy], root: tuple[str, str] = ("oai_dc:dc", DC_OPEN)
) -> str:
    """Simple Dublin Core; ``root`` is the wrapping element's name and opening tag (SRU wraps
    the same elements in its own)."""
    name, opening = root
    out = [opening]

    def dc(name: str, value: object) -> None:
        if value:
            out.append(f"<dc:{name}>{text(str(value))}</dc:{name}>")

    dc("title", f"{record.title} : {record.subtitle}" if record.subtitle else record.title)
    for author in record.authors:
        dc("creator" if author.get("role", "auteur") == "auteur" else "contributor", author["name"])
    for subject in record.subjects:
        dc("subject", subject)
    dc("description", record.summary)
    dc("publisher", record.publisher)
    dc("date", record.year)
    dc("type", DCMI_TYPES.get(record.doc_type, ""))
    if record.isbn:
        dc("identifier", f"urn:isbn:{record.isbn}")
    dc("language", record.language)
    for series in record.series:
        number = series.get("number", "")
        dc("relation", f"{series['title']} ; {number}" if number else series["title"])
    out.append(f"</{name}>")
    return "".join(out)


# --- MARC ------------------------------------------------------------------------------------


def marc_record(record: Record, flavour: Flavour) -> MarcRecord:
    """The record in ``flavour`` without copies: its stored MARC when it is that flavour."""
    if record.flavour == flavour and record.marc:
        return parse_marc(record.marc)
    # Dated by the record's creation, so that the same record is written the same each time.
    return build_record(record_fields(record), flavour, today=record.created_at.date())


def _holding_852(copy: Copy) -> Field:
    pairs = [
        ("a", copy.owner),
        ("b", copy.home),
        ("c", copy.location),
        ("h", copy.call_number),
        ("p", copy.barcode),
    ]
    subfields = [_build.subfield(code, value) for code, value in pairs if value]
    return _build.data_field("852", _build.BLANK_INDICATORS, subfields)


def with_copies(marc: MarcRecord, copies: list[Copy], flavour: Flavour) -> MarcRecord:
    if flavour == "unimarc":
        items = [
            ItemData(
                barcode=c.barcode,
                call_number=c.call_number,
                owner=c.owner,
                home=c.home,
                current=c.home,
                location=c.location,
                item_type=c.item_type,
                collection=c.collection,
            )
            for c in copies
        ]
        set_items(marc, items, "unimarc")
        return marc
    # 852 is MARC21's holdings field; Koha's 952 is for moving catalogues, not for portals.
    kept = [f for f in marc.fields if f.tag not in ("852", ITEM_TAG["marc21"])]
    new = [_holding_852(c) for c in copies]
    position = next((i for i, f in enumerate(kept) if f.tag > "852"), len(kept))
    marc.fields = kept[:position] + new + kept[position:]
    return marc


def marc_xml(record: Record, copies: list[Copy], flavour: Flavour, opening: str) -> str:
    marc = with_copies(marc_record(record, flavour), copies, flavour)
    xml = record_xml(utf8_fields(marc, flavour), utf8_leader(marc, flavour))
    return opening + xml.removeprefix("<record>")


MARC21_OPEN = (
    '<record xmlns="http://www.loc.gov/MARC21/slim"'
    f' xmlns:xsi="{XSI}"'
    ' xsi:schemaLocation="http://www.loc.gov/MARC21/slim'
    ' http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">'
)
MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v2"
UNIMARC_OPEN = f'<record xmlns="{MARCXCHANGE_NS}" format="UNIMARC" type="Bibliographic">'


FORMATS: dict[str, Format] = {
    f.prefix: f
    for f in (
        Format(
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            dublin_core,
        ),
        Format(
            "marc21",
            "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
            "http://www.loc.gov/MARC21/slim",
            lambda record, copies: marc_xml(record, copies, "marc21", MARC21_OPEN),
        ),
        Format(
            "unimarc",
            "https://www.loc.gov/standards/iso25577/marcxchange-2-0.xsd",
            MARCXCHANGE_NS,
            lambda record, copies: marc_xml(record, copies, "unimarc", UNIMARC_OPEN),
        ),
    )
}
