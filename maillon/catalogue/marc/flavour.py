"""Tell UNIMARC from MARC21 by looking at a record's content."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal, cast

from pymarc import Field, Record

Flavour = Literal["unimarc", "marc21"]
FLAVOURS: tuple[Flavour, ...] = ("unimarc", "marc21")
# UNIMARC 100$a: date entered (YYYYMMDD) then type of publication date.
_CODED_DATA = re.compile(r"\d{8}[a-z|]")


def as_flavour(value: str) -> Flavour:
    """A flavour name read from the database or a form, checked."""
    if value not in FLAVOURS:
        raise ValueError(f"unknown MARC flavour: {value!r}")
    return cast(Flavour, value)


def detect_flavour(record: Record, default: Flavour = "unimarc") -> Flavour:
    """Best guess from the tags present; ``default`` when nothing tells them apart."""
    return flavour_of(index_fields(record), default)


def index_fields(record: Record) -> dict[str, list[Field]]:
    """tag → fields, built once per record so extraction never rescans the field list."""
    index: dict[str, list[Field]] = {}
    for field in record.fields:
        same = index.get(field.tag)
        if same is None:
            index[field.tag] = [field]
        else:
            same.append(field)
    return index


def flavour_of(index: Mapping[str, Sequence[Field]], default: Flavour = "unimarc") -> Flavour:
    has_200, has_245 = "200" in index, "245" in index
    if has_200 != has_245:
        return "unimarc" if has_200 else "marc21"
    # Both or neither title field: look at holdings, then at coded data.
    has_995, has_952 = "995" in index, "952" in index
    if has_995 != has_952:
        return "unimarc" if has_995 else "marc21"
    coded = index.get("100")
    if coded and not coded[0].control_field:
        value = coded[0].get("a") or ""
        if len(value) >= 26 and _CODED_DATA.match(value):
            return "unimarc"
    if "008" in index:
        return "marc21"  # UNIMARC has no 008
    for tag in ("260", "264", "020", "082", "650"):
        if tag in index:
            return "marc21"
    for tag in ("214", "101", "676", "606", "225"):
        if tag in index:
            return "unimarc"
    return default
