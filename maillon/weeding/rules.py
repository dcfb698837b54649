"""Which criterion applies to an item, and whether it proposes the item for weeding."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from maillon.weeding.models import Criterion

_DEWEY = re.compile(r"^\s*(\d{3})")


def dewey_class(*texts: str) -> str:
    """The three-digit Dewey class of the first text that starts with one ("843.7 HUG" → 843)."""
    for text in texts:
        found = _DEWEY.match(text or "")
        if found:
            return found.group(1)
    return ""


@dataclass(frozen=True)
class Facts:
    """What the rules read of an item."""

    dewey: str
    audience: str
    doc_type: str
    item_type_id: int
    year: int | None
    last_use: dt.date  # last loan, else acquisition, else entry in the catalogue
    loans: int


class RuleBook:
    """The criteria that apply at one library: its own first, then the network's."""

    def __init__(self, library_id: int | None) -> None:
        rows = Criterion.objects.filter(library__isnull=True)
        if library_id is not None:
            rows = Criterion.objects.filter(library_id=library_id) | rows
        self.rows = sorted(rows, key=self._rank)

    @staticmethod
    def _rank(row: Criterion) -> tuple:
        conditions = sum(bool(v) for v in (row.audience, row.doc_type, row.item_type_id))
        width = int(row.dewey_to) - int(row.dewey_from) if row.dewey_from and row.dewey_to else 1000
        return (row.library_id is None, -conditions, width, row.pk)

    def criterion_for(self, facts: Facts) -> Criterion | None:
        for row in self.rows:
            if row.dewey_from:
                if not facts.dewey or not row.dewey_from <= facts.dewey <= row.dewey_to:
                    continue
            elif facts.dewey:
                continue  # a row without a range is for items without a Dewey number
            if row.audience and row.audience != facts.audience:
                continue
            if row.doc_type and row.doc_type != facts.doc_type:
                continue
            if row.item_type_id and row.item_type_id != facts.item_type_id:
                continue
            return row
        return None


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end`."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def reasons(criterion: Criterion, facts: Facts, today: dt.date) -> dict[str, int]:
    """The figures that make the criterion propose the item; empty when it does not."""
    age = today.year - facts.year if facts.year else None
    idle = years_between(facts.last_use, today)
    found: dict[str, int] = {}
    x, y = criterion.years_since_publication, criterion.years_without_loan
    if x is not None and age is not None and age >= x:
        found["age"] = age
    if y is not None and idle >= y:
        found["idle"] = idle
    if found:
        found["loans"] = facts.loans
        if age is not None:
            found["age"] = age
        found["idle"] = idle
    return found
