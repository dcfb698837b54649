"""Which criterion applies to an item, and whether it proposes the item for weeding.

Each rule is said once, as data: ``conditions`` (when a criterion applies) and ``thresholds``
(from when it proposes). ``RuleBook.sql`` turns them into one SQL expression so that the
database picks the candidates among the shelves (``maillon.weeding.candidates``); ``why``
gives the figures behind a proposal from its criterion's X and Y.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from typing import Any

from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Substr
from django.db.models.lookups import In

from maillon.weeding.models import Criterion

# What may come before the Dewey number: every character Python's \s matches (spaces, tabs,
# line breaks, no-break spaces…), written out so that SQL trims the very same ones.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
DIGITS = "0123456789"
# Every value of an item's Dewey class: none, or three digits.
DEWEY_CLASSES = ["", *(f"{n:03d}" for n in range(1000))]
_DEWEY = re.compile(f"^[{re.escape(SPACES)}]*([0-9]{{3}})")


def dewey_class(*texts: str) -> str:
    """The three-digit Dewey class of the first text that starts with one ("843.7 HUG" → 843),
    after any spaces; "" when none does."""
    for text in texts:
        found = _DEWEY.match(text or "")
        if found:
            return found.group(1)
    return ""


class _LTrim(Func):
    """LTRIM(text, characters): the same two-argument form in PostgreSQL and SQLite."""

    function = "LTRIM"
    arity = 2


def _three_digits(text: Combinable) -> Q:
    return Q(*(In(Substr(text, n, 1), list(DIGITS)) for n in (1, 2, 3)))


def DeweyClass(*texts: str | Combinable) -> Case:  # noqa: N802 (an expression, like Case)
    """``dewey_class`` as a database expression over the given columns (or expressions): one
    CASE, evaluated once per row; the first branch of each text is the common case (it starts
    with its three digits), the second trims the spaces before."""
    whens = []
    for text in texts:
        column = text if isinstance(text, Combinable) else F(text)
        trimmed = _LTrim(column, Value(SPACES))
        whens.append(When(_three_digits(column), then=Substr(column, 1, 3)))
        whens.append(
            When(
                Q(In(Substr(column, 1, 1), list(SPACES))) & _three_digits(trimmed),
                then=Substr(trimmed, 1, 3),
            )
        )
    return Case(*whens, default=Value(""))


# The tests a condition makes: Python's operator and SQL's.
TESTS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "=": (operator.eq, "="),
    "<>": (operator.ne, "<>"),
    ">=": (operator.ge, ">="),
    "<=": (operator.le, "<="),
}


def conditions(row: Criterion) -> list[tuple[str, str, object]]:
    """When `row` applies, as (fact, test, value): every one must hold. A library's own row
    applies to its items only. A row with a Dewey
    range applies to items with a Dewey number in it (both ends included); a row without one
    only to items without a Dewey number (fiction, albums, DVDs…)."""
    found: list[tuple[str, str, object]] = []
    if row.library_id:
        found.append(("library_id", "=", row.library_id))
    if row.dewey_from:
        found += [("dewey", "<>", ""), ("dewey", ">=", row.dewey_from)]
        found.append(("dewey", "<=", row.dewey_to))
    else:
        found.append(("dewey", "=", ""))
    if row.audience:
        found.append(("audience", "=", row.audience))
    if row.doc_type:
        found.append(("doc_type", "=", row.doc_type))
    if row.item_type_id:
        found.append(("item_type_id", "=", row.item_type_id))
    return found


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def thresholds(row: Criterion, today: dt.date) -> tuple[int | None, dt.date | None]:
    """From when `row` proposes an item today: published in or before this year (X), last
    used on or before this day (Y); None where the criterion does not apply. The same limits
    as ``why``: age ≥ X, whole years without a loan ≥ Y."""
    x, y = row.years_since_publication, row.years_without_loan
    return (
        None if x is None else today.year - x,
        None if y is None else years_before(today, y),
    )


class RuleBook:
    """The criteria that apply at one library: its own first, then the network's; the same
    row applies to an item whatever the book it is read from."""

    def __init__(self, library_id: int | None, *, every_library: bool = False) -> None:
        rows = Criterion.objects.filter(library__isnull=True)
        if every_library:
            rows = Criterion.objects.all()
        elif library_id is not None:
            rows = Criterion.objects.filter(library_id=library_id) | rows
        self.rows = sorted(rows, key=self._rank)
        self._conditions = [(row, conditions(row)) for row in self.rows]

    @classmethod
    def everywhere(cls) -> RuleBook:
        """Every library's own rows (each for its items only) before the network's: the
        criteria of a list over the whole network."""
        return cls(None, every_library=True)

    @staticmethod
    def _rank(row: Criterion) -> tuple:
        conditions = sum(bool(v) for v in (row.audience, row.doc_type, row.item_type_id))
        width = int(row.dewey_to) - int(row.dewey_from) if row.dewey_from and row.dewey_to else 1000
        return (row.library_id is None, -conditions, width, row.pk)

    def parts(self) -> dict[str, list[tuple[Criterion, list[tuple[str, str, object]]]]]:
        """Each Dewey class some row may apply to ("" for items without one), with those rows
        in order and their conditions other than the Dewey class."""
        found = {}
        for dewey in DEWEY_CLASSES:
            rows = [
                (row, [t for t in tests if t[0] != "dewey"])
                for row, tests in self._conditions
                if all(
                    TESTS[test][0](dewey, value) for fact, test, value in tests if fact == "dewey"
                )
            ]
            if rows:
                found[dewey] = rows
        return found

    def sql(self, columns: dict[str, str], today: dt.date) -> tuple[str, str, list[object]] | None:
        """The rules for the database, None when there are none: (classes, case, params).

        `classes` is a table of (dewey, part): each Dewey class a row may apply to, and the
        part of the book that applies to it (the rows whose range holds it, in order). `case`
        gives, from the part and the item's other facts, the id of the criterion that
        proposes the item today, NULL when none does (none applies, or the first that applies
        does not propose it). Joined on the Dewey class, an item's class is worked out once
        and a few parts are looked through, not every rule. `columns` names the SQL column of
        each fact (part, library_id, audience, doc_type, item_type_id, year, last_use)."""
        parts: dict[tuple[int, ...], int] = {}
        classes, whens, params = [], [], []
        for dewey, rows in self.parts().items():
            key = tuple(row.pk for row, _tests in rows)
            if key not in parts:
                parts[key] = len(parts) + 1
                branch, branch_params = self._branch(rows, columns, today)
                whens.append(f"WHEN {parts[key]} THEN {branch}")
                params += branch_params
            classes.append(f"('{dewey}', {parts[key]})")
        if not classes:
            return None
        case = f"CASE {columns['part']} {' '.join(whens)} END"
        return f"VALUES {', '.join(classes)}", case, params

    @staticmethod
    def _branch(rows, columns: dict[str, str], today: dt.date) -> tuple[str, list[object]]:
        """The first row whose conditions hold decides: its criterion if it proposes."""
        whens: list[str] = []
        params: list[object] = []
        for row, tests in rows:
            published_by, used_by = thresholds(row, today)
            limits: list[str] = []
            limit_params: list[object] = []
            if published_by is not None:
                limits.append(f"({columns['year']} IS NOT NULL AND {columns['year']} <= %s)")
                limit_params.append(published_by)
            if used_by is not None:
                limits.append(f"{columns['last_use']} <= %s")
                limit_params.append(used_by)
            # A row that applies and proposes nothing still decides: no other is looked at.
            then = f"CASE WHEN {' OR '.join(limits)} THEN {row.pk} END" if limits else "NULL"
            if not tests:  # applies to every item of the part: the rows after it never do
                if not whens:
                    return then, limit_params
                whens.append(f"ELSE {then}")
                params += limit_params
                break
            whens.append(
                f"WHEN {' AND '.join(f'{columns[f]} {TESTS[t][1]} %s' for f, t, _v in tests)}"
                f" THEN {then}"
            )
            params += [value for _f, _t, value in tests] + limit_params
        return f"CASE {' '.join(whens)} END", params


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end`."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def proposes(x: int | None, y: int | None, age: int | None, idle: int) -> bool:
    """Whether a criterion with these X and Y proposes an item of this age (None: unknown)
    and whole years without a loan (the test ``why`` makes)."""
    return (x is not None and age is not None and age >= x) or (y is not None and idle >= y)


def why(
    x: int | None, y: int | None, year: int | None, last_use: dt.date, loans: int, today: dt.date
) -> dict[str, int]:
    """The figures that make a criterion with these X and Y propose an item of this year, last
    use and loans; empty when it does not (read for each candidate of a list)."""
    age = today.year - year if year else None
    idle = years_between(last_use, today)
    found: dict[str, int] = {}
    if x is not None and age is not None and age >= x:
        found["age"] = age
    if y is not None and idle >= y:
        found["idle"] = idle
    if found:
        found["loans"] = loans
        if age is not None:
            found["age"] = age
        found["idle"] = idle
    return found
