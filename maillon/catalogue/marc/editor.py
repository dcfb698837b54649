"""The cataloguer's MARC editor: a record as lines of text, read back with every mistake named.

One field a line, as cataloguers write MARC by hand::

    LDR 00000nam  2200000   450
    001 12345
    200 1# $aLe petit prince$fAntoine de Saint-Exupéry

a tag, a space, for a data field its two indicators (``#`` for a blank) and its subfields, each
``$`` followed by its code; a ``$`` inside a value is written ``{dollar}``. Adding, removing
or moving a field or a subfield is editing its line. The item fields (995, 952) are not part of
the record here: items are edited on their own pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pymarc import Field, Record
from stdnum import isbn as stdnum_isbn

from . import _build
from .flavour import Flavour
from .holdings import ITEM_TAG

DOLLAR = "{dollar}"
_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
_INDICATOR = re.compile(r"^[0-9a-z ]$")
_CODE = re.compile(r"^[0-9a-z]$")


@dataclass(frozen=True)
class Problem:
    """A mistake the editor found: on which line (0: the whole record), and what it is."""

    line: int
    message: str


def to_text(record: Record) -> str:
    """The record as editor lines (leader first, then the fields in their order)."""
    lines = [f"LDR {_build.fix_leader(str(record.leader))}"]
    for field in record.fields:
        if field.control_field:
            lines.append(f"{field.tag} {field.data or ''}")
            continue
        inds = "".join((i if i not in (" ", None) else "#") for i in field.indicators or "  ")
        subs = "".join(f"${code}{value.replace('$', DOLLAR)}" for code, value in field.subfields)
        lines.append(f"{field.tag} {inds.ljust(2, '#')} {subs}")
    return "\n".join(lines)


def from_text(text: str, flavour: Flavour) -> tuple[Record, list[Problem]]:
    """The record the lines describe, and what is wrong with them (nothing if the list is
    empty). A line that cannot be read is named and left out of the record."""
    problems: list[Problem] = []
    leader = ""
    fields: list[Field] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not raw.strip():
            continue
        # Trailing blanks count in the leader and the control fields: keep them.
        tag, _sep, rest = raw.partition(" ")
        if tag.upper() == "LDR":
            leader = rest.ljust(24)  # blanks at the end are invisible: a shorter one is padded
            if len(leader) != 24:
                problems.append(
                    Problem(
                        number, _("The leader has %(n)d characters, not 24.") % {"n": len(rest)}
                    )
                )
            continue
        if not _TAG.match(tag):
            problems.append(
                Problem(number, _("« %(tag)s » is not a tag: three digits.") % {"tag": tag[:10]})
            )
            continue
        if tag == ITEM_TAG[flavour]:
            problems.append(
                Problem(
                    number,
                    _("Field %(tag)s describes items: edit them on the items' pages.")
                    % {"tag": tag},
                )
            )
            continue
        if tag < "010" and tag.isdigit():
            fields.append(_build.control_field(tag, rest))
            continue
        field, problem = _data_field(tag, rest, number)
        if problem:
            problems.append(problem)
        if field is not None:
            fields.append(field)
    record = _build.record(leader, fields)
    return record, problems


def _data_field(tag: str, rest: str, number: int) -> tuple[Field | None, Problem | None]:
    inds, _sep, body = rest.partition(" ")
    if len(inds) != 2:
        return None, Problem(
            number, _("Field %(tag)s: two indicators expected (# for a blank).") % {"tag": tag}
        )
    ind1, ind2 = (" " if c == "#" else c for c in inds)
    for indicator in (ind1, ind2):
        if not _INDICATOR.match(indicator):
            return None, Problem(
                number,
                _("Field %(tag)s: « %(ind)s » is not an indicator (a digit, a letter or #).")
                % {"tag": tag, "ind": indicator},
            )
    body = body.lstrip()  # trailing blanks may belong to the last value (MARC21 LCCNs)
    if not body.startswith("$"):
        return None, Problem(
            number, _("Field %(tag)s: the subfields start with $ and their code.") % {"tag": tag}
        )
    subfields = []
    for part in body[1:].split("$"):
        code, value = part[:1], part[1:].replace(DOLLAR, "$")
        if not _CODE.match(code):
            return None, Problem(
                number,
                _("Field %(tag)s: « $%(code)s » is not a subfield code (a digit or a letter).")
                % {"tag": tag, "code": code},
            )
        subfields.append(_build.subfield(code, value))
    return _build.data_field(tag, _build.indicators(ind1, ind2), subfields), None


# What each flavour requires, and where its ISBN and coded dates are.
TITLE = {"unimarc": ("200", "a"), "marc21": ("245", "a")}
ISBN = {"unimarc": ("010", "a"), "marc21": ("020", "a")}


def check(record: Record, flavour: Flavour) -> list[Problem]:
    """What the record lacks or gets wrong for its flavour (line 0: the whole record)."""
    problems = []
    title_tag, title_code = TITLE[flavour]
    if not any(f.get(title_code, "").strip() for f in record.get_fields(title_tag)):
        problems.append(
            Problem(
                0,
                _("A title is required: field %(tag)s $%(code)s.")
                % {"tag": title_tag, "code": title_code},
            )
        )
    if len(record.get_fields(title_tag)) > 1:
        problems.append(Problem(0, _("Field %(tag)s may appear only once.") % {"tag": title_tag}))
    isbn_tag, isbn_code = ISBN[flavour]
    for field in record.get_fields(isbn_tag):
        for value in field.get_subfields(isbn_code):
            number = value.split("(")[0].strip()
            if not stdnum_isbn.is_valid(number):
                problems.append(
                    Problem(
                        0,
                        _("Invalid ISBN in %(tag)s $%(code)s: %(value)s (a cancelled one: $z).")
                        % {"tag": isbn_tag, "code": isbn_code, "value": value},
                    )
                )
    problems += _check_coded(record, flavour)
    return problems


def _coded(record: Record, flavour: Flavour) -> str | None:
    if flavour == "marc21":
        field = record.get("008")
        return field.data if field is not None else None
    field = record.get("100")
    return field.get("a") if field is not None else None


def _check_coded(record: Record, flavour: Flavour) -> list[Problem]:
    coded = _coded(record, flavour)
    where = "008" if flavour == "marc21" else "100 $a"
    if coded is None:
        return [Problem(0, _("The coded data (%(where)s) is missing.") % {"where": where})]
    size = 40 if flavour == "marc21" else 36
    if len(coded) < size:
        return [
            Problem(
                0,
                _("The coded data (%(where)s) has %(n)d characters, not %(size)d.")
                % {"where": where, "n": len(coded), "size": size},
            )
        ]
    problems = []
    entered, date1 = (coded[0:6], coded[7:11]) if flavour == "marc21" else (coded[0:8], coded[9:13])
    if not entered.isdigit():
        problems.append(
            Problem(0, _("The date entered (%(where)s) must be digits.") % {"where": where})
        )
    if not (date1.isdigit() or set(date1) <= set(" u#|")) or (
        date1.isdigit() and not 1000 <= int(date1) <= 2100
    ):
        problems.append(
            Problem(
                0,
                _("The publication date « %(date)s » (%(where)s) is not a year.")
                % {"date": date1, "where": where},
            )
        )
    return problems


@dataclass(frozen=True)
class Position:
    """One part of a fixed field, explained."""

    positions: str
    label: str
    value: str
    meaning: str


# Code meanings worth spelling out (the rest is shown as it is).
_LEADER_STATUS = {
    "n": gettext_lazy("new"),
    "c": gettext_lazy("corrected"),
    "d": gettext_lazy("deleted"),
    "p": gettext_lazy("completed pre-publication"),
}
_LEADER_TYPE = {
    "a": gettext_lazy("language material, printed"),
    "b": gettext_lazy("language material, manuscript"),
    "c": gettext_lazy("printed music"),
    "e": gettext_lazy("cartographic material"),
    "g": gettext_lazy("projected medium, video"),
    "i": gettext_lazy("sound recording, non-musical"),
    "j": gettext_lazy("sound recording, musical"),
    "k": gettext_lazy("two-dimensional graphic"),
    "l": gettext_lazy("electronic resource"),
    "m": gettext_lazy("multimedia"),
    "r": gettext_lazy("three-dimensional object"),
}
_LEADER_LEVEL = {
    "a": gettext_lazy("analytic (part of an item)"),
    "c": gettext_lazy("collection"),
    "m": gettext_lazy("monograph"),
    "s": gettext_lazy("serial"),
}
_AUDIENCE_UNIMARC = {
    "a": gettext_lazy("youth, general"),
    "b": gettext_lazy("pre-primary, 0-5"),
    "c": gettext_lazy("primary, 5-10"),
    "d": gettext_lazy("children, 9-14"),
    "e": gettext_lazy("young adult, 14-20"),
    "k": gettext_lazy("adult, serious"),
    "m": gettext_lazy("adult, general"),
    "u": gettext_lazy("unknown"),
}
_AUDIENCE_MARC21 = {
    "a": gettext_lazy("preschool"),
    "b": gettext_lazy("primary"),
    "c": gettext_lazy("pre-adolescent"),
    "d": gettext_lazy("adolescent"),
    "e": gettext_lazy("adult"),
    "f": gettext_lazy("specialized"),
    "g": gettext_lazy("general"),
    "j": gettext_lazy("juvenile"),
    " ": gettext_lazy("unknown or not specified"),
    "|": gettext_lazy("no attempt to code"),
}
_DATE_TYPE = {
    "a": gettext_lazy("serial currently published"),
    "b": gettext_lazy("serial dead"),
    "d": gettext_lazy("monograph complete, single date"),
    "e": gettext_lazy("reproduction: original date"),
    "f": gettext_lazy("date uncertain, range"),
    "s": gettext_lazy("single known date"),
    "t": gettext_lazy("publication and copyright dates"),
    "m": gettext_lazy("multiple dates"),
    "n": gettext_lazy("dates unknown"),
    "u": gettext_lazy("dates unknown"),
}


def _part(positions: str, label: str, value: str, meanings: dict | None = None) -> Position:
    meaning = str(meanings.get(value, "")) if meanings else ""
    return Position(positions, label, value, meaning)


def explain(record: Record, flavour: Flavour) -> dict[str, list[Position]]:
    """The leader and the coded data field, position by position, in words."""
    leader = _build.fix_leader(str(record.leader))
    out = {
        _("Leader"): [
            _part("05", _("record status"), leader[5], _LEADER_STATUS),
            _part("06", _("type of record"), leader[6], _LEADER_TYPE),
            _part("07", _("bibliographic level"), leader[7], _LEADER_LEVEL),
            _part(
                "09",
                _("character coding"),
                leader[9],
                {"a": _("Unicode"), " ": _("MARC-8 / ISO 5426")},
            ),
        ]
    }
    coded = _coded(record, flavour)
    if not coded:
        return out
    if flavour == "marc21":
        c = coded.ljust(40)
        out["008"] = [
            _part("00-05", _("date entered (YYMMDD)"), c[0:6]),
            _part("06", _("type of date"), c[6], _DATE_TYPE),
            _part("07-10", _("date 1"), c[7:11]),
            _part("11-14", _("date 2"), c[11:15]),
            _part("15-17", _("place of publication"), c[15:18]),
            _part("22", _("target audience"), c[22], _AUDIENCE_MARC21),
            _part("35-37", _("language"), c[35:38]),
            _part("39", _("cataloguing source"), c[39]),
        ]
    else:
        c = coded.ljust(36)
        out["100 $a"] = [
            _part("0-7", _("date entered (YYYYMMDD)"), c[0:8]),
            _part("8", _("type of date"), c[8], _DATE_TYPE),
            _part("9-12", _("date 1"), c[9:13]),
            _part("13-16", _("date 2"), c[13:17]),
            _part(
                "17-19",
                _("target audience"),
                c[17:20],
                {c[17:20]: _AUDIENCE_UNIMARC.get(c[17], "")},
            ),
            _part("22-24", _("language of cataloguing"), c[22:25]),
            _part("26-29", _("character set"), c[26:30], {"50  ": _("Unicode")}),
            _part("34-35", _("script of the title"), c[34:36], {"ba": _("Latin")}),
        ]
    return out


# Names of the fields cataloguers meet most (the others are shown by their tag).
_NAMES = {
    "unimarc": {
        "001": gettext_lazy("record identifier"),
        "010": gettext_lazy("ISBN"),
        "100": gettext_lazy("general processing data"),
        "101": gettext_lazy("language of the item"),
        "102": gettext_lazy("country of publication"),
        "200": gettext_lazy("title and statement of responsibility"),
        "205": gettext_lazy("edition statement"),
        "210": gettext_lazy("publication"),
        "214": gettext_lazy("publication (RDA)"),
        "215": gettext_lazy("physical description"),
        "225": gettext_lazy("series"),
        "300": gettext_lazy("general note"),
        "330": gettext_lazy("summary"),
        "410": gettext_lazy("series link"),
        "606": gettext_lazy("topical subject"),
        "607": gettext_lazy("geographical subject"),
        "676": gettext_lazy("Dewey classification"),
        "700": gettext_lazy("main author"),
        "701": gettext_lazy("co-author"),
        "702": gettext_lazy("secondary responsibility"),
        "801": gettext_lazy("originating source"),
    },
    "marc21": {
        "001": gettext_lazy("control number"),
        "008": gettext_lazy("fixed-length data elements"),
        "020": gettext_lazy("ISBN"),
        "041": gettext_lazy("language code"),
        "082": gettext_lazy("Dewey classification"),
        "100": gettext_lazy("main entry, personal name"),
        "245": gettext_lazy("title statement"),
        "250": gettext_lazy("edition statement"),
        "260": gettext_lazy("publication"),
        "264": gettext_lazy("publication (RDA)"),
        "300": gettext_lazy("physical description"),
        "490": gettext_lazy("series statement"),
        "500": gettext_lazy("general note"),
        "520": gettext_lazy("summary"),
        "650": gettext_lazy("topical subject"),
        "651": gettext_lazy("geographical subject"),
        "700": gettext_lazy("added entry, personal name"),
    },
}


def tag_names(record: Record, flavour: Flavour) -> list[tuple[str, str]]:
    """(tag, name) for the known fields of the record, in tag order, once each."""
    names = _NAMES[flavour]
    tags = sorted({f.tag for f in record.fields if f.tag in names})
    return [(tag, str(names[tag])) for tag in tags]
