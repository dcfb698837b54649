"""Cleaning of MARC subfield values for display and indexing."""

from __future__ import annotations

import re

# Non-sorting markers: NSB/NSE as C1 controls (MARC21, UNIMARC UTF-8) or SOS/ST (ISO 6429).
_CONTROLS = str.maketrans({"\x88": None, "\x89": None, "\x98": None, "\x9c": None})
# Trailing ISBD punctuation: " /", " :", " ;", " =", ",", " -" and runs of them.
_END_BLANKS = " \t\n\r/:;=,"
_DASHES = "-\u2013\u2014"
_LEADING = re.compile(r"^[\s/:;=,.]+")
# A final period is ISBD punctuation unless it closes an initial ("J.") or an abbreviation.
_KEEP_PERIOD = re.compile(r"(?:\b\w|\.\w|\.\.|\b(?:etc|cie|co|inc|ed|éd|dir|coll|vol|t|no|n°))\.$",
                          re.IGNORECASE)  # fmt: skip
_SPACES = re.compile(r"\s+")
_END_PUNCTUATION = frozenset("/:;=,.-\u2013\u2014")
_YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")


def clean(value: str | None) -> str:
    """Drop non-sorting markers, surrounding ISBD punctuation and extra whitespace."""
    if not value:
        return ""
    if not value.isascii():
        value = value.translate(_CONTROLS)
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        value = _SPACES.sub(" ", value)
    value = value.strip()
    # Most values end with a letter or digit: only look closer when punctuation is there.
    if value and value[-1] in _END_PUNCTUATION:
        value = _strip_end(value)
        if value.endswith(".") and not _KEEP_PERIOD.search(value[-12:]):
            value = _strip_end(value[:-1])
    if value and value[0] in "/:;=,.":
        value = _LEADING.sub("", value)
    return value


def _strip_end(value: str) -> str:
    value = value.rstrip(_END_BLANKS)
    while value[-1:] in _DASHES:  # an ISBD " -" / " —" separator, not a date range "1951-"
        head = value.rstrip(_DASHES)
        if not head or not head[-1].isspace():
            break
        value = head.rstrip(_END_BLANKS)
    return value


def tidy(value: str | None) -> str:
    """Prose (summaries, notes): only non-sorting markers and surrounding blanks go."""
    if not value:
        return ""
    return (value if value.isascii() else value.translate(_CONTROLS)).strip()


def first_year(value: str | None) -> int | None:
    """The first plausible year (1000-2099) in a free-text date ("DL 2020", "cop. 1996")."""
    if not value:
        return None
    match = _YEAR.search(value)
    return int(match.group()) if match else None


def coded_year(value: str) -> int | None:
    """A year from a fixed-length position ("1996"), None for "19uu", "    " or "||||"."""
    return int(value) if len(value) == 4 and value.isdigit() and value[0] in "12" else None
