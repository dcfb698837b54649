"""MARC in and out for the catalogue (UNIMARC and MARC21), with pymarc kept behind this API.

Pure Python: no Django, no database. Imports, exports, copy cataloguing and the cataloguing form
use only the names below; user-facing reasons and warnings are in French.

Reading (``reader``)
    read_marc(source, fmt="auto", encoding=None) -> Iterator[ReadResult]
        source: path (str | Path), the file's bytes, or a binary file object.
        fmt: "auto" (sniffed), "iso2709", "marcxml" (MARCXML, marcxchange v1/v2, SRU responses
        wrapping them). Raises ValueError at call time only for an unknown fmt or encoding;
        never raises on bad data: each ReadResult has ``index`` (0-based),
        ``record`` (pymarc.Record) or ``error`` (French reason), ``raw`` (bytes for the reject
        file), ``warnings`` (what had to be guessed, e.g. the encoding).
        ISO 2709 encodings are guessed per record (UTF-8, MARC-8, Latin-1; UNIMARC 100$a/26-29)
        unless ``encoding`` forces one ("cp1252", "marc8"…).

Understanding (``flavour``, ``extract``)
    detect_flavour(record, default="unimarc") -> "unimarc" | "marc21"
    extract(record, flavour=None) -> RecordData
        title, subtitle, other_titles, authors [Contributor(name, role)], publisher, year,
        isbns (ISBN-13), invalid_isbns, identifiers ("ean:…"), language, classification (Dewey),
        subjects, series [Series(title, number)], summary, doc_type (vocab.DOC_TYPES),
        audience ("adult" | "youth" | "unknown"), source_ids ("bnf:FRBNF…", "ctrl:003:001"…),
        items [ItemData], warnings. ``title == ""`` means the caller must reject the record.
        Properties: display_title ("title : subtitle"), first_author, title_key.
    ItemData: barcode, call_number, owner, home, current, location, status, audience,
        item_type, collection, price, acquired, notes — from UNIMARC 995 or Koha MARC21 952
        (see ``holdings`` for the subfield mapping and the ``status`` codes).

Writing (``writer``)
    RecordFields: the cataloguing form's fields; build_record(fields, flavour) -> Record
        (round-trips: extract(build_record(x)) gives back x's values).
    set_items(record, items, flavour): replaces the 995/952 fields.
    write_iso2709(records, fp, flavour=None, on_error=None) -> int
    write_marcxml(records, fp, flavour=None) -> int
        UTF-8 output marked as such (leader/09 "a"; UNIMARC 100$a/26-29 "50").

Keys (``keys``)
    normalise_isbn(value) -> str | None   ISBN-13 digits, or None when invalid
    title_key(title, first_author, year) -> str   dedup key "title|surname|year"
    fold(text) -> str   accent/case folding for search and sort (œ→oe, æ→ae, ß→ss)

Measuring (``bench``)
    parse_rate(path, mode="extract", min_records=0) -> (records, seconds)
"""

from .extract import Contributor, RecordData, Series, extract
from .flavour import FLAVOURS, Flavour, detect_flavour
from .holdings import ItemData
from .iso2709 import MarcError
from .keys import fold, normalise_isbn, title_key
from .reader import ReadResult, read_marc
from .writer import RecordFields, build_record, set_items, write_iso2709, write_marcxml

__all__ = [
    "FLAVOURS",
    "Contributor",
    "Flavour",
    "ItemData",
    "MarcError",
    "ReadResult",
    "RecordData",
    "RecordFields",
    "Series",
    "build_record",
    "detect_flavour",
    "extract",
    "fold",
    "normalise_isbn",
    "read_marc",
    "set_items",
    "title_key",
    "write_iso2709",
    "write_marcxml",
]
