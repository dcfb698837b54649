"""The rows behind a figure ("why 1,243?"): the rows the report counted, as a table, a page at a
time and whole for a spreadsheet, read from where the figure was counted so that the list has
exactly as many rows as the figure says, at a network's scale.

- Loans, when the summary tables give the year's figures: the days' counts (``LoanDay``) say
  how many rows there are and on which days the rows of a page fall; only those days' loans are
  read (the loans' index by checkout time), whatever the page.
- Active borrowers: one row per borrower (yearly pseudonym), each once however many libraries
  they borrowed at, with where they borrowed; from ``ActiveBorrower`` when the year is counted.
- Holdings at 31/12, once the year's snapshot is taken: the documents it counted
  (``HoldingItem``), where they were counted, however they moved since.
- Everything else, and a year not yet counted: the raw rows, the same query as the figure.

Loans show what was frozen at checkout and the borrower's yearly pseudonym, never the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.circulation.models import Loan
from maillon.network.models import Library
from maillon.stats import facts, summaries
from maillon.stats.facts import Period
from maillon.stats.figures import Figure
from maillon.stats.models import ActiveBorrower, HoldingItem, LoanDay

CHUNK = 2000  # rows read at a time for a spreadsheet


def _day(value: Any) -> Any:
    return timezone.localtime(value).date() if value else None


def _name(library: Any) -> str:
    return library.name if library else ""


Column = tuple[Any, Callable[[Any], Any]]


@dataclass(frozen=True)
class Layout:
    related: tuple[str, ...]
    columns: tuple[Column, ...]


ITEM = Layout(
    ("record", "home", "owner"),
    (
        (_("barcode"), lambda i: i.barcode),
        (_("title"), lambda i: i.record.title),
        (_("call number"), lambda i: i.call_number),
        (_("document type"), lambda i: i.record.get_doc_type_display()),
        (_("audience"), lambda i: i.get_audience_display()),
        (_("home library"), lambda i: _name(i.home)),
        (_("owner"), lambda i: _name(i.owner)),
        (_("status"), lambda i: i.get_status_display()),
        (_("created"), lambda i: _day(i.created_at)),
    ),
)
LOAN = Layout(
    ("library", "item"),
    (
        (_("date"), lambda loan: _day(loan.checked_out_at)),
        (_("library"), lambda loan: _name(loan.library)),
        (_("barcode"), lambda loan: loan.item.barcode),
        (_("document type"), lambda loan: loan.medium),
        (_("audience"), lambda loan: loan.audience),
        (_("departmental library's"), lambda loan: _("yes") if loan.md_stock else ""),
        (_("patron category"), lambda loan: loan.patron_category_code),
        (_("age band"), lambda loan: loan.patron_age_band),
        (_("commune"), lambda loan: loan.patron_commune),
        (_("borrower (pseudonym)"), lambda loan: loan.patron_key),
    ),
)
HOLD = Layout(
    ("record", "pickup_library"),
    (
        (_("placed"), lambda h: _day(h.created_at)),
        (_("title"), lambda h: h.record.title),
        (_("pickup library"), lambda h: _name(h.pickup_library)),
        (_("status"), lambda h: h.get_status_display()),
        (_("ready since"), lambda h: _day(h.ready_at)),
        (_("closed"), lambda h: _day(h.closed_at)),
    ),
)
TRANSFER = Layout(
    ("item", "from_library", "to_library"),
    (
        (_("barcode"), lambda t: t.item.barcode),
        (_("from"), lambda t: _name(t.from_library)),
        (_("to"), lambda t: _name(t.to_library)),
        (_("reason"), lambda t: t.get_reason_display()),
        (_("sent"), lambda t: _day(t.sent_at)),
        (_("received"), lambda t: _day(t.received_at)),
    ),
)
PATRON = Layout(
    ("category", "home_library"),
    (
        (_("card number"), lambda p: p.card_number),
        (_("surname"), lambda p: p.surname),
        (_("first name"), lambda p: p.first_name),
        (_("category"), lambda p: p.category.name),
        (_("home library"), lambda p: _name(p.home_library)),
        (_("registered on"), lambda p: p.registered_on),
        (_("expires on"), lambda p: p.expires_on),
    ),
)
RENEWAL = Layout(
    ("library",),
    (
        (_("date"), lambda e: _day(e.at)),
        (_("library"), lambda e: _name(e.library) or _("online")),
        (_("loan"), lambda e: e.details.get("loan", "")),
    ),
)
SESSION = Layout(
    ("event__library", "event__kind"),
    (
        (_("date"), lambda s: _day(s.starts_at)),
        (_("event"), lambda s: s.event.title),
        (_("kind"), lambda s: s.event.kind.name),
        (_("audience"), lambda s: s.event.get_audience_display()),
        (_("library"), lambda s: _name(s.event.library)),
    ),
)
REGISTRATION = Layout(
    ("event", "session"),
    (
        (_("event"), lambda r: r.event.title),
        (_("date"), lambda r: _day(r.session.starts_at) if r.session else ""),
        (_("places"), lambda r: r.places),
    ),
)
HOLDING = Layout(
    ("item__record", "item__owner", "library"),
    (
        (_("barcode"), lambda h: h.item.barcode),
        (_("title"), lambda h: h.item.record.title),
        (_("call number"), lambda h: h.item.call_number),
        (_("document type"), lambda h: h.medium),
        (_("audience"), lambda h: h.audience),
        (_("library at 31/12"), lambda h: _name(h.library)),
        (_("owner"), lambda h: _name(h.item.owner)),
        (_("status today"), lambda h: h.item.get_status_display()),
    ),
)


@dataclass
class Borrower:
    """An active borrower of the list: their pseudonym and what their loans froze."""

    key: str
    libraries: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)


def _joined(values: list[str]) -> str:
    return ", ".join(values)


BORROWER = Layout(
    (),
    (
        (_("borrower (pseudonym)"), lambda b: b.key),
        (_("patron category"), lambda b: _joined(b.categories)),
        (_("age band"), lambda b: _joined(b.age_bands)),
        (_("commune"), lambda b: _joined(b.communes)),
        (_("libraries where they borrowed"), lambda b: _joined(b.libraries)),
    ),
)


LAYOUTS: dict[Callable, Layout] = {
    facts.loans: LOAN,
    facts.renewals: RENEWAL,
    facts.holds_placed: HOLD,
    facts.holds_satisfied: HOLD,
    facts.transfers_sent: TRANSFER,
    facts.transfers_received: TRANSFER,
    facts.holdings: ITEM,
    facts.items_added: ITEM,
    facts.items_bought: ITEM,
    facts.md_holdings: ITEM,
    facts.items_withdrawn: ITEM,
    facts.registered: PATRON,
    facts.new_registrations: PATRON,
    facts.sessions: SESSION,
    facts.attendance: REGISTRATION,
}


class Listing:
    """The rows behind one figure. Sliced a page at a time (a Django Paginator takes it), read
    whole by `all()`; `count()` is the number of rows, which is the figure (its value when the
    figure adds up places: `value()`)."""

    layout: Layout
    source = "rows"  # rows, summaries, snapshot: said on the page
    note: Any = ""  # what the page must say about the rows, if anything

    def __init__(self, figure: Figure, period: Period, library: Library | None) -> None:
        self.figure, self.period, self.library = figure, period, library

    def count(self) -> int:
        raise NotImplementedError

    def value(self) -> float:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        raise NotImplementedError

    def all(self) -> Iterator[Any]:
        raise NotImplementedError

    def header(self) -> list[str]:
        return [str(label) for label, _get in self.layout.columns]

    def table(self, rows: Iterable[Any]) -> Iterator[list[Any]]:
        columns = self.layout.columns
        for row in rows:
            yield [get(row) for _label, get in columns]


class RawRows(Listing):
    """The figure's own query, in id order: counted and read as the report counts it."""

    def __init__(self, figure: Figure, period: Period, library: Library | None) -> None:
        super().__init__(figure, period, library)
        self.layout = LAYOUTS[figure.fact]
        self.rows = (
            figure.fact(period, library)
            .filter(figure.where)
            .select_related(*self.layout.related)
            .order_by("pk")
        )

    def count(self) -> int:
        return self.rows.count()

    def value(self) -> float:
        if self.figure.measure == "sum_places":
            return self.rows.aggregate(n=Sum("places"))["n"] or 0
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        return list(self.rows[window])

    def all(self) -> Iterator[Any]:
        return self.rows.iterator(chunk_size=CHUNK)


class LoanRows(Listing):
    """Loans in checkout order. When the summaries count the year, the days' counts give the
    total and the days a page's rows fall on; only those days are read."""

    layout = LOAN

    def __init__(self, figure: Figure, period: Period, library: Library | None) -> None:
        super().__init__(figure, period, library)
        self.counted = summaries.loans_counted(period)
        self.source = "summaries" if self.counted else "rows"
        self._days: list[tuple[dt.date, int]] | None = None

    def _rows(self, period: Period) -> QuerySet[Loan]:
        return (
            facts.loans(period, self.library)
            .filter(self.figure.where)
            .select_related(*LOAN.related)
            .order_by("checked_out_at", "pk")
        )

    def days(self) -> list[tuple[dt.date, int]]:
        """The days with rows of the list, in order, and how many on each."""
        if self._days is None:
            at = Q(library=self.library) if self.library is not None else Q()
            found = (
                LoanDay.objects.filter(at, day__gte=self.period.start, day__lte=self.period.end)
                .filter(summaries.rewrite(self.figure.where, summaries.LOAN_COLUMNS))
                .order_by("day")
                .values_list("day")
                .annotate(n=Sum("loans"))
                .values_list("day", "n")
            )
            self._days = [(day, n) for day, n in found if n]
        return self._days

    def count(self) -> int:
        if self.counted:
            return sum(n for _day, n in self.days())
        return self._rows(self.period).count()

    def __getitem__(self, window: slice) -> list[Any]:
        start, stop = window.start or 0, window.stop
        if not self.counted:
            return list(self._rows(self.period)[start:stop])
        skip, before = 0, 0
        spans: list[tuple[dt.date, dt.date]] = []
        for day, n in self.days():
            if before + n <= start:
                before += n
                continue
            if not spans:
                skip = start - before
            if spans and spans[-1][1] == day - dt.timedelta(days=1):
                spans[-1] = (spans[-1][0], day)
            else:
                spans.append((day, day))
            before += n
            if stop is not None and before >= stop:
                break
        if not spans:
            return []
        during = Q()
        for first, last in spans:
            during |= Period(first, last).during("checked_out_at")
        rows = self._rows(self.period).filter(during)
        return list(rows[skip : None if stop is None else skip + stop - start])

    def all(self) -> Iterator[Any]:
        return self._rows(self.period).iterator(chunk_size=CHUNK)


class BorrowerRows(Listing):
    """One row per borrower (yearly pseudonym) in pseudonym order: a borrower of several
    libraries is one row naming them, as the network counts them once."""

    layout = BORROWER

    def __init__(self, figure: Figure, period: Period, library: Library | None) -> None:
        super().__init__(figure, period, library)
        self.counted = summaries.loans_counted(period)
        self.source = "summaries" if self.counted else "rows"
        at = Q(library=library) if library is not None else Q()
        if self.counted:
            self.scope: QuerySet[Any] = ActiveBorrower.objects.filter(at, year=period.start.year)
        else:
            self.scope = facts.loans(period, library).exclude(patron_key="")
        self.keys = (
            self.scope.filter(figure.where)
            .order_by("patron_key")
            .values_list("patron_key", flat=True)
            .distinct()
        )

    def count(self) -> int:
        found = self.scope.filter(self.figure.where).aggregate(n=Count("patron_key", distinct=True))
        return found["n"] or 0

    def _borrowers(self, keys: list[str]) -> list[Borrower]:
        """What the borrowers' loans froze, in the list's scope (all of it, not only what the
        figure selects: a borrower counted among the children shows every category)."""
        names = dict(Library.objects.values_list("pk", "name"))
        found = {key: Borrower(key) for key in keys}
        for key, library, category, band, commune in (
            self.scope.filter(patron_key__in=keys)
            .order_by()
            .values_list(
                "patron_key", "library", "patron_category_code", "patron_age_band", "patron_commune"
            )
            .distinct()
        ):
            borrower = found[key]
            for values, value in (
                (borrower.libraries, names.get(library, "")),
                (borrower.categories, category),
                (borrower.age_bands, band),
                (borrower.communes, commune),
            ):
                if value and value not in values:
                    values.append(value)
        for borrower in found.values():
            for values in (borrower.libraries, borrower.categories, borrower.age_bands):
                values.sort()
            borrower.communes.sort()
        return list(found.values())

    def __getitem__(self, window: slice) -> list[Any]:
        return self._borrowers(list(self.keys[window]))

    def all(self) -> Iterator[Any]:
        last = ""
        while True:  # by pseudonym, a chunk after the last one read: no deep offset
            keys = list(self.keys.filter(patron_key__gt=last)[:CHUNK])
            if not keys:
                return
            yield from self._borrowers(keys)
            last = keys[-1]


class HoldingRows(Listing):
    """The documents the year's snapshot counted, in id order, where they were counted."""

    layout = HOLDING
    source = "snapshot"

    def __init__(self, figure: Figure, period: Period, library: Library | None) -> None:
        super().__init__(figure, period, library)
        rows = HoldingItem.objects.filter(year=period.end.year)
        if library is not None:
            rows = rows.filter(library=library)
        if figure.fact is facts.md_holdings:
            rows = rows.filter(md_stock=True)
        self.rows = (
            rows.filter(summaries.rewrite(figure.where, summaries.HOLDING_COLUMNS))
            .select_related(*HOLDING.related)
            .order_by("item")
        )

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window: slice) -> list[Any]:
        return list(self.rows[window])

    def all(self) -> Iterator[Any]:
        return self.rows.iterator(chunk_size=CHUNK)


def of(figure: Figure, period: Period, library: Library | None) -> Listing:
    """The list behind `figure`, read where the report reads the figure."""
    if figure.fact is facts.loans:
        if figure.measure == "distinct_key":
            return BorrowerRows(figure, period, library)
        return LoanRows(figure, period, library)
    if figure.fact in (facts.holdings, facts.md_holdings):
        year = summaries.snapshot_year(period)
        if year is not None:
            if HoldingItem.objects.filter(year=year).exists():
                return HoldingRows(figure, period, library)
            raw = RawRows(figure, period, library)
            raw.note = _(
                "The holdings at 31/12 were counted before Maillon kept the documents it "
                "counted: the list shows today's documents by the same rule, which may differ "
                "from the figure. Take the holdings again (maillon stats-refresh --snapshot) to "
                "make them agree."
            )
            return raw
    return RawRows(figure, period, library)
