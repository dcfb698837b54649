"""The weeding candidates: the items the criteria propose today, picked by the database.

One statement per list (a library's, or the whole network's): the shelf with the facts the
rules read (the Dewey class and the day of last use worked out once per item), the criterion
that proposes each item (``RuleBook.sql``: the rules as one CASE), the protections (items off
their shelf, local and heritage collections, the MD's deposits, records a hold waits for), and
for the lists the copies of each record in the network. Python reads only the candidates, and
says why from the criterion's own X and Y (``rules.why``).

Protected, never proposed: items not on their own library's shelf (on loan, in transit, kept
for a hold, visiting another library), items whose record a hold waits for, local and heritage
collections, and the departmental library's items lent on deposit (their owner decides:
``md_stock``). The network's last copy of a record is proposed, and said to be the last.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import psycopg
from django.db import connection, transaction
from django.db.models import DateField, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.models import (
    GONE_STATUSES,
    Collection,
    CollectionKind,
    Item,
    ItemStatus,
    md_stock,
)
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold
from maillon.network.models import Library
from maillon.weeding.rules import DeweyClass, RuleBook, proposes, why, years_between

# Items on a shelf; the rest is elsewhere and not weeded now.
ON_SHELF = (ItemStatus.AVAILABLE, ItemStatus.DAMAGED)
PROTECTED_COLLECTIONS = (CollectionKind.LOCAL, CollectionKind.HERITAGE)


def md_deposit(library: Library) -> Q:
    """The MD's items at `library`: the MD weeds them, not the library."""
    return md_stock() & ~Q(owner=library)


class Proposal(NamedTuple):
    item_id: int
    record_id: int
    criterion_id: int
    reasons: dict[str, int]
    dewey: str


class Row(NamedTuple):
    """A proposal with what the lists show of it."""

    proposal: Proposal
    library_id: int
    barcode: str
    call_number: str
    title: str
    year: int | None
    copies: int  # copies of the record not gone, in the whole network
    elsewhere: int  # of which at other libraries

    @property
    def last_copy(self) -> bool:
        return self.copies <= 1


def weedable(library: Library | None = None) -> Q:
    """The items the rules look at: on their own library's shelf (of `library`, or of any
    library), neither in a local or heritage collection nor the MD's lent on deposit."""
    found = (
        Q(status__in=ON_SHELF, current=F("home"))
        & ~Q(collection__in=Collection.objects.filter(kind__in=PROTECTED_COLLECTIONS))
        & ~(md_stock() & ~Q(owner=F("home")))
    )
    return found & Q(home=library) if library is not None else found


# The shelf's columns as the statement names them, and the fields they are read from.
_SHELF = {
    "item_id": "pk",
    "record_id": "record_id",
    "library_id": "home_id",
    "audience": "audience",
    "item_type_id": "item_type_id",
    "loans": "loan_count",
    "last_use": "last_use",
    "doc_type": "record__doc_type",
    "year": "record__year",
    "dewey": "dewey",
}
_SHOWN = {"barcode": "barcode", "call_number": "call_number", "title": "record__title"}


def _shelf(library: Library | None, details: bool) -> tuple[str, list[Any], list[str]]:
    """The items the rules may look at, of `library` or of every library, with the facts they
    read: the day of last use (last loan, else acquisition, else entry in the catalogue, in
    local time) and the Dewey class; with `details`, what the lists show. (sql, params,
    columns.)"""
    local = timezone.get_current_timezone()
    columns = dict(_SHELF, **(_SHOWN if details else {}))
    rows = (
        Item.objects.filter(weedable(library))
        .annotate(
            dewey=DeweyClass("record__classification", "call_number"),
            last_use=Coalesce(
                TruncDate("last_loan_at", tzinfo=local),
                "acquired_on",
                TruncDate("created_at", tzinfo=local),
                output_field=DateField(),
            ),
        )
        .values_list(*columns.values())
        .order_by()
    )
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, list(params), list(columns)


Statement = tuple[str, list[Any]]  # SQL and its parameters


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


# Memory for the statement's hashes and sorts, for its transaction only (PostgreSQL's default
# 4 MB sends the network's list to disk).
WORK_MEMORY = "64MB"


def _fence() -> str:
    """The candidates are worked out first, whatever the planner guesses of their number."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED "


# What the statement gives of each candidate: the shelf's facts, the criterion; with details,
# what the lists show, the record's copies in the network and at other libraries; on a page,
# the whole list's count.
_OUT = [*_SHELF, "criterion_id"]
# What a candidate table reads of each (``_Table``): no more, the network's list is long.
_TABLE = [
    "p.item_id",
    "p.library_id",
    "p.criterion_id",
    "p.year",
    "p.last_use",
    "p.loans",
    "p.barcode",
    "p.call_number",
    "p.title",
    "c.total",
    "c.total - c.here",
]


def _statement(
    library: Library | None,
    book: RuleBook,
    today: dt.date,
    *,
    dewey_from: str = "",
    dewey_to: str = "",
    details: bool = False,
    page: tuple[int, int] | None = None,
    table: bool = False,
) -> Statement | None:
    """The candidates of `library` (None: of every library) in one statement; None when no
    criterion applies anywhere. With `details`, what the lists show (barcode, call number,
    title) and the record's copies; with `page` (offset, limit), that part of the list in
    Dewey order and the whole list's count; with `table` (and `details`), only the columns a
    candidate table shows (``_TABLE``) in its order; the network's list comes library by
    library."""
    shelf, params, columns = _shelf(library, details)
    rules = book.sql({**{name: f"s.{name}" for name in columns}, "part": "d.part"}, today)
    if rules is None:
        return None
    classes, case, rule_params = rules
    carried = [f"s.{name}" for name in columns if name != "dewey"]
    # Each item's Dewey class is worked out once, to join the classes the rules apply to.
    proposed = (
        f"SELECT {', '.join(carried)}, d.dewey, {case} AS criterion_id"
        f" FROM shelf s JOIN classes d ON d.dewey = s.dewey"
    )
    params += rule_params
    where = [
        "p.criterion_id IS NOT NULL",
        f"NOT EXISTS (SELECT 1 FROM {Hold._meta.db_table} h WHERE h.record_id = p.record_id"
        f" AND h.status IN ({_marks(ACTIVE_HOLD_STATUSES)}))",
    ]
    params += ACTIVE_HOLD_STATUSES
    if dewey_from:
        where.append("p.dewey <> '' AND p.dewey >= %s AND p.dewey <= %s")
        params += [dewey_from, dewey_to or dewey_from]
    # A table keeps only what it shows of the candidates (and their records, for the copies).
    kept = "*"
    if table:
        kept = ", ".join(["p.record_id", *(c for c in _TABLE if c.startswith("p."))])
    sql = (
        f"WITH shelf ({', '.join(columns)}) AS ({shelf}),"
        f" classes (dewey, part) AS ({classes}),"
        f" proposed AS {_fence()}(SELECT {kept} FROM ({proposed}) p WHERE {' AND '.join(where)})"
    )
    out = [f"p.{name}" for name in _OUT]
    if not details:
        sql += f" SELECT {', '.join(out)} FROM proposed p"
    else:
        # The copies not gone of each record, in all and at the candidate's library: of the
        # records proposed at one library; of every record for the network.
        if library is not None:
            copies = (
                f"SELECT o.record_id, COUNT(*) AS total,"
                f" SUM(CASE WHEN o.home_id = %s THEN 1 ELSE 0 END) AS here"
                f" FROM {Item._meta.db_table} o WHERE o.status NOT IN ({_marks(GONE_STATUSES)})"
                f" AND o.record_id IN (SELECT record_id FROM proposed) GROUP BY o.record_id"
            )
            on = "c.record_id = p.record_id"
            params += [library.pk, *sorted(GONE_STATUSES)]
        else:
            copies = (
                f"SELECT o.record_id, o.home_id, COUNT(*) AS here,"
                f" SUM(CAST(COUNT(*) AS INTEGER)) OVER (PARTITION BY o.record_id) AS total"
                f" FROM {Item._meta.db_table} o WHERE o.status NOT IN ({_marks(GONE_STATUSES)})"
                f" GROUP BY o.record_id, o.home_id"
            )
            on = "c.record_id = p.record_id AND c.home_id = p.library_id"
            params += sorted(GONE_STATUSES)
        if table:
            out = _TABLE
        else:
            out += ["p.barcode", "p.call_number", "p.title", "c.total", "c.total - c.here"]
            out += ["COUNT(*) OVER ()"] if page is not None else []
        sql += f" SELECT {', '.join(out)} FROM proposed p JOIN ({copies}) c ON {on}"
    if page is not None:
        sql += " ORDER BY p.dewey, p.item_id LIMIT %s OFFSET %s"
        params += [page[1], page[0]]
    elif table:
        # In call-number order as Python compares text (by code point, as the bytes of UTF-8),
        # library after library for the network.
        binary = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
        sql += f" ORDER BY {'p.library_id, ' if library is None else ''}p.call_number{binary}"
        sql += ", p.item_id"
    return sql, params


# Rows a stream reads at a time from PostgreSQL (libpq 17 and later read them in chunks).
CHUNK = 5000


def _streams() -> bool:
    """Whether psycopg and libpq stream rows in chunks (psycopg 3.2, libpq 17)."""
    chunks = tuple(int(n) for n in psycopg.__version__.split(".")[:2]) >= (3, 2)
    return chunks and connection.vendor == "postgresql" and psycopg.pq.version() >= 170000


def _fetch(statement: Statement | None, *, network: bool = False) -> Iterator[tuple]:
    """The statement's rows, a few thousand at a time (the network's list is long). With
    `network` (a statement over every shelf of the network), on PostgreSQL, as the statement
    sends them rather than through a server-side cursor, which PostgreSQL never runs in
    parallel: no other statement may run on the connection until they are all read."""
    if statement is None:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as settings:
                # The whole result is read, not its first rows. (No JIT compilation of the
                # CASE either: it is off for every connection, see settings.)
                settings.execute("SET LOCAL cursor_tuple_fraction = 1")
                settings.execute(f"SET LOCAL work_mem = '{WORK_MEMORY}'")
                if network:
                    # The planner guesses a few hundred items on their shelf (it cannot tell
                    # how often current = home) and would look each one's record up by its
                    # index: over every shelf, hashing the records is cheaper.
                    settings.execute("SET LOCAL enable_nestloop = off")
                if network and _streams():
                    yield from settings.cursor.stream(statement[0], statement[1], size=CHUNK)
                    return
        with connection.chunked_cursor() as cursor:
            cursor.execute(statement[0], statement[1])
            while chunk := cursor.fetchmany(5000):
                yield from chunk


class _Why:
    """The reasons of each proposal, from its criterion's own X and Y (``rules.why``)."""

    def __init__(self, book: RuleBook, today: dt.date) -> None:
        self.limits = {
            row.pk: (row.years_since_publication, row.years_without_loan) for row in book.rows
        }
        self.today = today
        # SQLite gives the day of last use as text.
        self.as_date = connection.vendor == "sqlite"

    def reasons(self, row: tuple) -> dict[str, int]:
        x, y = self.limits[row[10]]
        last_use = dt.date.fromisoformat(row[6]) if self.as_date else row[6]
        return why(x, y, row[8], last_use, row[5], self.today)

    def proposal(self, row: tuple) -> Proposal:
        return Proposal(row[0], row[1], row[10], self.reasons(row), row[9])

    def row(self, row: tuple) -> Row:
        return Row(self.proposal(row), row[2], row[11], row[12], row[13], row[8], row[14], row[15])


def propose(
    library: Library, today: dt.date, *, dewey_from: str = "", dewey_to: str = ""
) -> list[Proposal]:
    """The items of `library` the criteria propose today, with their reasons."""
    book = RuleBook(library.pk)
    why = _Why(book, today)
    found = _fetch(_statement(library, book, today, dewey_from=dewey_from, dewey_to=dewey_to))
    return [why.proposal(row) for row in found]


def rows(
    library: Library, today: dt.date, *, dewey_from: str = "", dewey_to: str = ""
) -> Iterator[Row]:
    """Every proposal of `library` today with what the lists show, in no order."""
    book = RuleBook(library.pk)
    why = _Why(book, today)
    statement = _statement(
        library, book, today, dewey_from=dewey_from, dewey_to=dewey_to, details=True
    )
    for row in _fetch(statement):
        yield why.row(row)


def page(library: Library, today: dt.date, offset: int, limit: int) -> tuple[int, list[Row]]:
    """(how many proposals in all, `limit` of them from `offset` in Dewey order then by
    item)."""
    book = RuleBook(library.pk)
    why = _Why(book, today)
    found = list(_fetch(_statement(library, book, today, details=True, page=(offset, limit))))
    if found:
        return found[0][16], [why.row(row) for row in found]
    if not offset:
        return 0, []
    return sum(1 for _row in _fetch(_statement(library, book, today))), []


def labels(book: RuleBook) -> dict[int, str]:
    """Each criterion as the lists name it: "Informatique (3/X)"."""
    return {c.pk: f"{c.label} ({c.formula})" for c in book.rows}


def header() -> list[object]:
    """The columns of a candidate table (``table``)."""
    return [
        _("Barcode"),
        _("Call number"),
        _("Title"),
        _("Year"),
        _("Criterion"),
        _("Years since publication"),
        _("Years without a loan"),
        _("Loans"),
        _("Copies elsewhere"),
        _("Last copy in the network"),
    ]


class _Table:
    """The rows of a candidate table, straight from the statement's (``_TABLE``): a network's
    list is most of a million, so little is done per row. The figures are ``rules.why``'s."""

    def __init__(self, book: RuleBook, today: dt.date) -> None:
        self.today = today
        self.limits = {
            row.pk: (row.years_since_publication, row.years_without_loan) for row in book.rows
        }
        self.labels = labels(book)
        self.yes, self.no = _("yes"), _("no")
        # Whole years since each day of last use, worked out once per day (SQLite gives the
        # day as text).
        self.idle: dict[Any, int] = {}
        self.as_date = connection.vendor == "sqlite"

    def _idle(self, last_use: Any) -> int:
        day = dt.date.fromisoformat(last_use) if self.as_date else last_use
        years = self.idle[last_use] = years_between(day, self.today)
        return years

    def rows(
        self, found: Iterable[tuple], codes: dict[int, str] | None = None
    ) -> Iterator[list[object]]:
        """`found` as the table shows it, after each library's code with `codes`."""
        this_year, limits, idle_of, labels = self.today.year, self.limits, self.idle, self.labels
        for (
            _item,
            library,
            criterion,
            year,
            last_use,
            loans,
            barcode,
            call_number,
            title,
            total,
            elsewhere,
        ) in found:
            idle = idle_of.get(last_use)
            if idle is None:
                idle = self._idle(last_use)
            x, y = limits[criterion]
            age = this_year - year if year else None
            if proposes(x, y, age, idle):
                reasons: tuple[int | None, ...] = (age, idle, loans)
            else:
                reasons = (None, None, None)
            row = [
                barcode,
                call_number,
                title,
                year,
                labels[criterion],
                *reasons,
                elsewhere,
                self.yes if total <= 1 else self.no,
            ]
            yield [codes[library], *row] if codes else row


def table(library: Library, today: dt.date) -> list[list[object]]:
    """What a campaign would propose today at `library`, as a table (header first)."""
    book = RuleBook(library.pk)
    found = _fetch(_statement(library, book, today, details=True, table=True))
    return [header(), *_Table(book, today).rows(found)]


def network_table(today: dt.date) -> Iterator[list[object]]:
    """Every library's candidates today as one table (header first, then library after
    library, each in call-number order), from one statement over the network's shelves, read
    as it comes."""
    book = RuleBook.everywhere()
    codes = dict(Library.objects.values_list("pk", "code"))
    yield [_("Library"), *header()]
    statement = _statement(None, book, today, details=True, table=True)
    yield from _Table(book, today).rows(_fetch(statement, network=True), codes)
