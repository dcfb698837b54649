"""Pull the catalogue's common fields out of a UNIMARC or MARC21 record.

One pass builds a tag → fields index; every getter then reads only the fields it needs. Values
are cleaned of ISBD punctuation and non-sorting markers; codes become the small vocabularies of
``vocab``. Nothing here raises on odd data: doubts end up in ``RecordData.warnings``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _
from pymarc import Field, Record

from . import vocab
from .flavour import Flavour, flavour_of, index_fields
from .holdings import ItemData, read_items
from .keys import fold, normalise_isbn, title_key
from .text import clean, coded_year, first_year, tidy

Index = Mapping[str, Sequence[Field]]
_NONE: tuple[Field, ...] = ()
_PAREN_ID = re.compile(r"\((.+?)\)\s*(.+)")
_NUMBER = re.compile(r"\d[\dXx \-]*[\dXx]")


class Contributor(NamedTuple):
    name: str  # "Surname, Forename" for persons
    role: str  # French word from vocab.RELATORS, the raw code when unknown, "" when unstated


class Series(NamedTuple):
    title: str
    number: str


@dataclass(slots=True)
class RecordData:
    flavour: Flavour
    title: str = ""
    subtitle: str = ""
    other_titles: list[str] = field(default_factory=list)
    authors: list[Contributor] = field(default_factory=list)
    publisher: str = ""
    year: int | None = None
    isbns: list[str] = field(default_factory=list)  # valid, as ISBN-13 digits
    invalid_isbns: list[str] = field(default_factory=list)  # raw values, also in warnings
    identifiers: list[str] = field(default_factory=list)  # "ean:…", "issn:…", "ismn:…"
    language: str = ""
    classification: str = ""  # Dewey
    subjects: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    summary: str = ""
    doc_type: str = "other"  # one of vocab.DOC_TYPES
    audience: str = "unknown"  # one of vocab.AUDIENCES
    source_ids: list[str] = field(default_factory=list)  # "bnf:FRBNF…", "ctrl:003:001"…
    items: list[ItemData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        return f"{self.title} : {self.subtitle}" if self.subtitle else self.title

    @property
    def first_author(self) -> str:
        return self.authors[0].name if self.authors else ""

    @property
    def title_key(self) -> str:
        return title_key(self.title, self.first_author, self.year)


def extract(record: Record, flavour: Flavour | None = None) -> RecordData:
    """Common fields of ``record``; ``flavour`` is detected when not given."""
    index = index_fields(record)
    flavour = flavour or flavour_of(index)
    data = RecordData(flavour=flavour)
    leader = str(record.leader)
    if flavour == "unimarc":
        _unimarc(index, leader, data)
    else:
        _marc21(index, leader, data)
    data.items = read_items(index, flavour, data.warnings)
    if not data.title:
        data.warnings.append(_("no title"))
    return data


# --- helpers ---------------------------------------------------------------------------------


def _first(fld: Field, code: str) -> str:
    for c, value in fld.subfields:
        if c == code:
            return value
    return ""


def _all(fld: Field, code: str) -> list[str]:
    return [value for c, value in fld.subfields if c == code]


def _control(index: Index, tag: str) -> str:
    fields = index.get(tag)
    return (fields[0].data or "").strip() if fields else ""


def _fixed(index: Index, tag: str) -> str:
    """A fixed-length control field, unstripped: its positions matter."""
    fields = index.get(tag)
    return (fields[0].data or "") if fields else ""


def _first_in(index: Index, tags: Iterable[str], code: str) -> str:
    for tag in tags:
        for fld in index.get(tag, _NONE):
            value = clean(_first(fld, code))
            if value:
                return value
    return ""


def _unique(values: Iterable[str], exclude: str = "") -> list[str]:
    seen = {exclude} if exclude else set()
    out = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _heading(fld: Field, subdivisions: str, person: bool = False) -> str:
    """The heading then its subdivisions, joined with " -- ", in one pass over the subfields."""
    head = forename = ""
    parts = []
    for code, value in fld.subfields:
        if code == "a":
            head = head or value
        elif code == "b" and person:
            forename = forename or value
        elif code in subdivisions:
            value = clean(value)
            if value:
                parts.append(value)
    head = _person(head, forename) if person else clean(head)
    if not head:
        return ""
    return " -- ".join([head, *parts]) if parts else head


def _isbns(index: Index, tag: str, data: RecordData) -> None:
    for fld in index.get(tag, _NONE):
        for raw in _all(fld, "a"):
            number = normalise_isbn(raw)
            if number:
                if number not in data.isbns:
                    data.isbns.append(number)
            elif raw.strip():
                data.invalid_isbns.append(raw.strip())
                data.warnings.append(_("invalid ISBN: %(isbn)s") % {"isbn": raw.strip()})


def _add_identifier(data: RecordData, scheme: str, raw: str) -> None:
    if scheme == "editeur":  # publisher numbers are free text ("Arbiter 142")
        value = " ".join(raw.split())
    elif match := _NUMBER.match(raw.strip()):  # "0 12345 67890 5 (coffret)" → digits only
        value = match.group().replace("-", "").replace(" ", "")
    else:  # URIs and other identifiers: first word
        value = raw.strip().split(" ", 1)[0]
    if not value:
        return
    ident = f"{scheme}:{value}"
    if ident not in data.identifiers:
        data.identifiers.append(ident)
    if scheme == "ean" and value[:3] in ("978", "979"):
        # A book's EAN is its ISBN-13: records carrying only 073/024 still match on ISBN.
        number = normalise_isbn(value)
        if number and number not in data.isbns:
            data.isbns.append(number)


def _series(data: RecordData, title: str, number: str) -> None:
    title, number = clean(title), clean(number)
    if not title:
        return
    key = fold(title)
    for known in data.series:
        if fold(known.title) == key and known.number == number:
            return
    data.series.append(Series(title, number))


def _035(index: Index) -> list[str]:
    ids = []
    for fld in index.get("035", _NONE):
        for value in _all(fld, "a"):
            value = value.strip()
            if not value:
                continue
            match = _PAREN_ID.match(value)
            ids.append(f"{match.group(1).lower()}:{match.group(2)}" if match else f"035:{value}")
    return ids


def _linked_title(fld: Field) -> tuple[str, str]:
    """(title, number) of a UNIMARC 4XX link, in either technique: standard subfields ($t, $v)
    or embedded fields ($1 followed by a whole 200 field)."""
    title, number = _first(fld, "t"), _first(fld, "v")
    if not title:
        embedded = ""
        for code, value in fld.subfields:
            if code == "1":
                embedded = value[:3]
            elif code == "a" and embedded == "200":
                title = value
                break
    return title, number


def _person(a: str, b: str) -> str:
    a, b = clean(a), clean(b.lstrip(", "))
    return f"{a}, {b}" if a and b else a or b


# --- UNIMARC ---------------------------------------------------------------------------------

_UNI_OTHER_TITLES = ("500", "510", "512", "513", "514", "515", "516", "517", "518", "520",
                     "530", "531", "532", "540", "541")  # fmt: skip
_UNI_AUTHORS = (("700", "auteur"), ("701", "auteur"), ("702", ""),
                ("710", "auteur"), ("711", "auteur"), ("712", ""))  # fmt: skip
_UNI_SUBJECTS = ("600", "601", "602", "604", "605", "606", "607", "608")


def _unimarc(index: Index, leader: str, data: RecordData) -> None:
    titles = index.get("200")
    others: list[str] = []
    if titles:
        t = titles[0]
        a_values = _all(t, "a")
        title = clean(a_values[0]) if a_values else ""
        number, part = clean(_first(t, "h")), clean(_first(t, "i"))
        if number:
            title = f"{title}. {number}" if title else number
        if part:
            title = f"{title}{', ' if number else '. '}{part}" if title else part
        data.title = title
        data.subtitle = clean(_first(t, "e"))
        others.extend(clean(v) for v in a_values[1:])
        others.extend(clean(v) for c, v in t.subfields if c in "cd")
    for tag in _UNI_OTHER_TITLES:
        for fld in index.get(tag, _NONE):
            others.append(clean(_first(fld, "a")))
    for fld in index.get("454", _NONE):  # original title of a translation
        others.append(clean(_linked_title(fld)[0]))
    data.other_titles = _unique(others, exclude=data.title)

    for tag, default_role in _UNI_AUTHORS:
        for fld in index.get(tag, _NONE):
            if tag[1] == "0":
                name = _person(_first(fld, "a"), _first(fld, "b"))
            else:
                name = ". ".join(p for p in (clean(v) for c, v in fld.subfields if c in "ab") if p)
            if not name:
                continue
            code = _first(fld, "4").strip()
            role = vocab.UNIMARC_ROLE.get(code, code) if code else default_role
            if (name, role) not in data.authors:
                data.authors.append(Contributor(name, role))

    data.publisher = _first_in(index, ("210", "214"), "c")
    year = None
    for tag in ("210", "214"):
        for fld in index.get(tag, _NONE):
            year = year or first_year(_first(fld, "d"))
    coded = ""
    if "100" in index:
        coded = _first(index["100"][0], "a")
    data.year = year or coded_year(coded[9:13])

    _isbns(index, "010", data)
    for tag, scheme in vocab.UNIMARC_IDENTIFIERS.items():
        for fld in index.get(tag, _NONE):
            _add_identifier(data, scheme, _first(fld, "a"))

    data.language = _first_in(index, ("101",), "a").lower()[:3]
    data.classification = _first_in(index, ("676",), "a")

    data.subjects = _unique(
        _heading(fld, "jxyz", tag == "600")
        for tag in _UNI_SUBJECTS
        for fld in index.get(tag, _NONE)
    )

    for fld in index.get("225", _NONE):
        _series(data, _first(fld, "a"), _first(fld, "v"))
    for fld in index.get("410", _NONE):
        _series(data, *_linked_title(fld))

    data.summary = "\n".join(_unique(tidy(_first(fld, "a")) for fld in index.get("330", _NONE)))

    kind, level = leader[6:7], leader[7:8]
    if level == "s" and kind in ("a", "b"):
        data.doc_type = "periodical"
    else:
        data.doc_type = vocab.UNIMARC_TYPE.get(kind, "other")
    audience = coded[17:20].strip(" |")
    data.audience = vocab.UNIMARC_AUDIENCE.get(audience[:1], "unknown")

    ids = []
    id001, id003 = _control(index, "001"), _control(index, "003")
    known = False
    if id001.startswith("FRBNF"):
        ids.append(f"bnf:{id001}")
        known = True
    if "ark:/" in id003:
        ids.append(id003[id003.index("ark:/") :])
        known = True
    elif "sudoc.fr/" in id003:
        ids.append(f"sudoc:{id003.rstrip('/').rsplit('/', 1)[-1]}")
        known = True
    if id001 and not known:
        ids.append(f"ctrl:{id003}:{id001}")
    ids.extend(_035(index))
    data.source_ids = _unique(ids)


# --- MARC21 ----------------------------------------------------------------------------------

_M21_OTHER_TITLES = ("130", "240", "242", "246", "247", "740")
_M21_AUTHORS = (("100", "auteur"), ("110", "auteur"), ("111", "auteur"),
                ("700", ""), ("710", ""), ("711", ""))  # fmt: skip
_M21_SUBJECTS = ("600", "610", "611", "630", "647", "648", "650", "651")
_AUDIENCE_TYPES = frozenset("acdijgkormt")


def _marc21_contributor(fld: Field, personal: bool, default_role: str) -> Contributor:
    """Name and role of a 1XX/7XX field in one pass: $4 codes win over $e ($j) terms."""
    names: list[str] = []
    role = code = term = ""
    term_code = "j" if fld.tag[1:] == "11" else "e"
    for c, value in fld.subfields:
        if c == "a" or (c == "b" and not personal):
            names.append(value)
        elif c == "4" and not role:
            code = code or value.strip()
            # codes may come as id.loc.gov URIs
            role = vocab.MARC21_ROLE.get(value.strip().rsplit("/", 1)[-1].lower(), "")
        elif c == term_code and not term:
            term = clean(value).rstrip(".").lower()
    if personal:
        name = clean(names[0]) if names else ""
    else:
        name = ". ".join(p for p in map(clean, names) if p)
    if not role and term:
        role = vocab.MARC21_TERMS.get(term, term)
    return Contributor(name, role or code or default_role)


def _marc21(index: Index, leader: str, data: RecordData) -> None:
    titles = index.get("245")
    if titles:
        t = titles[0]
        title = clean(_first(t, "a"))
        numbers = [clean(v) for v in _all(t, "n")]
        parts = [clean(v) for v in _all(t, "p")]
        for number in numbers:
            title = f"{title}. {number}" if title else number
        for part in parts:
            title = f"{title}{', ' if numbers else '. '}{part}" if title else part
        data.title = title
        data.subtitle = clean(_first(t, "b"))
    data.other_titles = _unique(
        (clean(_first(fld, "a")) for tag in _M21_OTHER_TITLES for fld in index.get(tag, _NONE)),
        exclude=data.title,
    )

    for tag, default_role in _M21_AUTHORS:
        for fld in index.get(tag, _NONE):
            contributor = _marc21_contributor(fld, tag[1:] == "00", default_role)
            if contributor.name and contributor not in data.authors:
                data.authors.append(contributor)

    publication = [f for f in index.get("264", _NONE) if f.indicators and f.indicators[1] == "1"]
    publication += list(index.get("260", _NONE)) + list(index.get("264", _NONE))
    for fld in publication:
        data.publisher = data.publisher or clean(_first(fld, "b"))
        data.year = data.year or first_year(_first(fld, "c"))
    fixed = _fixed(index, "008")
    if data.year is None:
        data.year = coded_year(fixed[7:11])

    _isbns(index, "020", data)
    for fld in index.get("022", _NONE):
        _add_identifier(data, "issn", _first(fld, "a"))
    for fld in index.get("024", _NONE):
        ind1 = fld.indicators[0] if fld.indicators else " "
        scheme = vocab.MARC21_024_SCHEMES.get(ind1)
        if ind1 == "7":
            scheme = clean(_first(fld, "2")).lower() or "autre"
        _add_identifier(data, scheme or "autre", _first(fld, "a"))
    for fld in index.get("028", _NONE):
        _add_identifier(data, "editeur", _first(fld, "a"))

    language = fixed[35:38].strip(" |").lower() if len(fixed) >= 38 else ""
    if len(language) != 3 or not language.isalpha() or language == "und":
        language = _first_in(index, ("041",), "a").lower()[:3]
    data.language = language
    data.classification = _first_in(index, ("082",), "a").replace("/", "").replace("'", "")

    data.subjects = _unique(
        _heading(fld, "vxyz") for tag in _M21_SUBJECTS for fld in index.get(tag, _NONE)
    )

    for tag in ("490", "440", "830"):
        for fld in index.get(tag, _NONE):
            _series(data, _first(fld, "a"), _first(fld, "v"))
    for tag in ("800", "810", "811"):
        for fld in index.get(tag, _NONE):
            _series(data, _first(fld, "t"), _first(fld, "v"))

    data.summary = "\n".join(_unique(tidy(_first(fld, "a")) for fld in index.get("520", _NONE)))

    kind, level = leader[6:7], leader[7:8]
    serial = level in ("b", "i", "s")
    if serial and kind in ("a", "t"):
        data.doc_type = "periodical"
    else:
        data.doc_type = vocab.MARC21_TYPE.get(kind, "other")
    if kind in _AUDIENCE_TYPES and not serial and len(fixed) > 22:
        data.audience = vocab.MARC21_AUDIENCE.get(fixed[22], "unknown")

    id001, id003 = _control(index, "001"), _control(index, "003")
    ids = [f"ctrl:{id003}:{id001}"] if id001 else []
    ids.extend(_035(index))
    data.source_ids = _unique(ids)


class Description(NamedTuple):
    """What the cataloguing form edits beyond the record's columns: edition, place of
    publication, physical description, notes (one per note field)."""

    edition: str = ""
    place: str = ""
    extent: str = ""
    notes: tuple[str, ...] = ()


# (edition, publication, physical description, general note) tags of each flavour.
DESCRIPTION_TAGS = {"unimarc": ("205", "210", "215", "300"), "marc21": ("250", "264", "300", "500")}


def description(record: Record, flavour: Flavour) -> Description:
    edition, publication, extent, note = DESCRIPTION_TAGS[flavour]

    def first(tag: str) -> str:
        fields = record.get_fields(tag)
        if tag == "264" and not fields:
            fields = record.get_fields("260")  # AACR2 records
        return clean(fields[0].get("a", "")) if fields else ""

    notes = tuple(v for f in record.get_fields(note) if (v := tidy(f.get("a", ""))))
    return Description(first(edition), first(publication), first(extent), notes)
