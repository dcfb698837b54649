"""Fast construction of pymarc objects.

pymarc's ``Field.__init__`` validates and normalises its arguments; on a 25-field record that
costs more than parsing the bytes. Readers that already produce clean values build fields through
these helpers, which fill the slots directly when pymarc's layout is the one we know, and fall back
to the public constructors otherwise (a future pymarc must never break reading, only slow it).
"""

from __future__ import annotations

from pymarc import Field, Leader, Record
from pymarc.field import Indicators, Subfield

_new = object.__new__
_tuple_new = tuple.__new__
_SLOTS = {"tag", "data", "_indicators", "subfields", "control_field"}
FAST = set(getattr(Field, "__slots__", ())) >= _SLOTS

BLANK_INDICATORS = Indicators(" ", " ")


def subfield(code: str, value: str) -> Subfield:
    return _tuple_new(Subfield, (code, value))


def indicators(ind1: str, ind2: str) -> Indicators:
    if ind1 == " " and ind2 == " ":
        return BLANK_INDICATORS
    return _tuple_new(Indicators, (ind1, ind2))


if FAST:

    def data_field(tag: str, inds: Indicators, subfields: list[Subfield]) -> Field:
        field = _new(Field)
        field.tag = tag
        field.data = None
        field._indicators = inds
        field.subfields = subfields
        field.control_field = False
        return field

    def control_field(tag: str, data: str) -> Field:
        field = _new(Field)
        field.tag = tag
        field.data = data
        field._indicators = None
        field.subfields = []
        field.control_field = True
        return field

else:  # pragma: no cover - only with an unknown pymarc layout

    def data_field(tag: str, inds: Indicators, subfields: list[Subfield]) -> Field:
        return Field(tag=tag, indicators=inds, subfields=subfields)

    def control_field(tag: str, data: str) -> Field:
        return Field(tag=tag, data=data)


def record(leader: str, fields: list[Field]) -> Record:
    rec = Record()
    rec.leader = Leader(fix_leader(leader))
    rec.fields = fields
    return rec


def fix_leader(leader: str | None) -> str:
    """Pad or cut a leader to the 24 characters pymarc insists on."""
    if not leader:
        return " " * 24
    if len(leader) == 24:
        return leader
    return leader[:24].ljust(24)
