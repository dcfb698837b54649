"""The figures the dashboards and the API draw: loans grouped one way, active borrowers by
commune, turnover, waiting time of holds, the shuttle between libraries, events. Each returns
plain rows (label, numbers…) that a chart, a table and a spreadsheet all show as they are."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.models import Audience, DocType
from maillon.network.models import Library
from maillon.programme.models import Session
from maillon.stats import facts, summaries
from maillon.stats.facts import Period
from maillon.stats.models import HoldingSnapshot

GROUPS = ("library", "month", "medium", "audience")


@dataclass
class Row:
    key: str
    label: str
    value: float


def _month_label(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year}"


def months(period: Period) -> list[dt.date]:
    found, day = [], period.start.replace(day=1)
    while day <= period.end:
        found.append(day)
        day = summaries.next_month(day)
    return found


class Loans:
    """A period's loans counted once by month, library, medium and audience (from the
    summaries for the days they hold): every grouping a dashboard draws comes from that count."""

    def __init__(self, period: Period, library: Library | None) -> None:
        self.period, self.library = period, library

    @cached_property
    def cube(self) -> summaries.Cube:
        found = summaries.loan_cube(self.period, self.library)
        return found if found is not None else summaries.raw_cube(self.period, self.library)

    def counted(self, group_by: str) -> Counter:
        place = {"month": 0, "library": 1, "medium": 2, "audience": 3}[group_by]
        found: Counter = Counter()
        for key, n in self.cube.items():
            found[key[place]] += n
        return found

    def by(self, group_by: str) -> list[Row]:
        """Grouped by library, month, medium or audience; every month and every known value
        is listed, zeros included."""
        counted = self.counted(group_by)
        if group_by == "month":
            return [
                Row(m.isoformat()[:7], _month_label(m), counted.get(m, 0))
                for m in months(self.period)
            ]
        if group_by == "library":
            libraries = Library.objects.order_by("name")
            if self.library is not None:
                libraries = libraries.filter(pk=self.library.pk)
            return [Row(lib.code, lib.name, counted.get(lib.pk, 0)) for lib in libraries]
        choices = {"medium": DocType.choices, "audience": Audience.choices}[group_by]
        rows = [Row(value, str(label), counted.pop(value, 0)) for value, label in choices]
        unknown = sum(counted.values())
        if unknown:
            rows.append(Row("", _("not known"), unknown))
        return rows


def loans_by(period: Period, library: Library | None, group_by: str) -> list[Row]:
    """Loans made in the period, grouped by library, month, medium or audience."""
    return Loans(period, library).by(group_by)


def active_by_commune(period: Period, library: Library | None) -> list[Row]:
    """Active borrowers by the commune they lived in when they borrowed (each once per
    commune), most first."""
    found = summaries.active_by_commune(period, library)
    if found is None:
        found = list(
            facts.loans(period, library)
            .exclude(patron_key="")
            .order_by()
            .values_list("patron_commune")
            .annotate(n=Count("patron_key", distinct=True))
            .values_list("patron_commune", "n")
        )
    rows = [Row(commune, commune or _("not known"), n) for commune, n in found]
    return sorted(rows, key=lambda r: (-r.value, r.label))


def documents_held(period: Period, library: Library | None, by: str = "library") -> Counter:
    """The documents held at the end of the period per library (id) or per kind of document
    (`by`), as the annual report counts them (its own at their home, the departmental
    library's that its deposits placed there): from the holdings at 31/12 when the period ends
    a year whose holdings were taken, else as held that evening."""
    year = summaries.snapshot_year(period)
    if year is None:
        return summaries.held_on(period.end, library, by)
    rows = HoldingSnapshot.objects.filter(year=year)
    if library is not None:
        rows = rows.filter(library=library)
    column = "library" if by == "library" else "medium"
    return Counter(dict(rows.order_by().values_list(column).annotate(n=Sum("items"))))


def turnover(period: Period, library: Library | None, loans: Loans | None = None) -> list[Row]:
    """Loans in the period per document held at its end, by library (the loans as the loans
    by library count them, the documents as the annual report does)."""
    held = documents_held(period, library)
    pks = dict(Library.objects.values_list("code", "pk"))
    return [
        Row(row.key, row.label, _per(row.value, held[pks[row.key]]))
        for row in (loans or Loans(period, library)).by("library")
    ]


def turnover_by_medium(
    period: Period, library: Library | None, loans: Loans | None = None
) -> list[Row]:
    """Loans in the period per document held at its end, by kind of document."""
    held = documents_held(period, library, by="medium")
    return [
        Row(row.key, row.label, _per(row.value, held[row.key]))
        for row in (loans or Loans(period, library)).by("medium")
        if row.value or held[row.key]
    ]


def _per(loans: float, documents: int) -> float:
    return round(loans / documents, 2) if documents else 0


def collection_age(period: Period, library: Library | None) -> tuple[dt.date, list[Row]]:
    """The documents held by years since their publication, on the evening counted nearest
    the end of the period (that evening given)."""
    labels = {
        "0-2": _("2 years or less"),
        "3-5": _("3 to 5 years"),
        "6-10": _("6 to 10 years"),
        "11-20": _("11 to 20 years"),
        "21+": _("over 20 years"),
    }
    when, counted = summaries.collection_age(period.end, library)
    rows = [Row(key, labels[key], counted.get(key, 0)) for key, _low in summaries.AGE_BANDS]
    if counted.get(""):
        rows.append(Row("", _("not known"), counted[""]))
    return when, rows


@dataclass
class Holds:
    library: Library
    placed: int
    collected: int
    moved: int  # collected, the copy sent by the shuttle from another library
    wait_days: float  # average, from placing to ready, of those collected


def holds(period: Period, library: Library | None) -> list[Holds]:
    """Per pickup library: holds placed and collected in the period, how many of those
    collected came by the shuttle, and their average wait from placing to ready."""
    counted = summaries.hold_counts(period, library)
    libraries = Library.objects.order_by("name")
    if library is not None:
        libraries = libraries.filter(pk=library.pk)
    found = []
    for lib in libraries:
        figures = counted.get(lib.pk) or summaries.no_holds()
        n = figures["collected"]
        wait = round(figures["waited"].total_seconds() / n / 86400, 1) if n else 0
        found.append(Holds(lib, figures["placed"], n, figures["moved"], wait))
    return found


def hold_lenders(period: Period, library: Library | None) -> list[tuple[Library, int, int]]:
    """Per library: documents it sent by the shuttle for other libraries' holds (it satisfied
    them) and documents it was sent for its own holds, in the period."""
    found = summaries.shuttle_days(period, library, "library")
    libraries = Library.objects.order_by("name")
    if library is not None:
        libraries = libraries.filter(pk=library.pk)
    return [
        (lib, found[lib.pk, "sent_for_holds"], found[lib.pk, "received_for_holds"])
        for lib in libraries
    ]


def shuttle_by_month(period: Period, library: Library | None) -> list[tuple[str, int, int]]:
    """Per month: documents sent by the shuttle and documents received (for the network, the
    same); for a library, those it sent and those it was sent."""
    found = summaries.shuttle_days(period, library, "month")
    return [(_month_label(m), found[m, "sent"], found[m, "received"]) for m in months(period)]


@dataclass
class Matrix:
    libraries: list[Library]
    counts: dict[tuple[int, int], int]

    def rows(self) -> list[tuple[Library, list[int], int]]:
        """Per sending library: what it sent to each library, and in all."""
        found = []
        for sender in self.libraries:
            line = [self.counts.get((sender.pk, to.pk), 0) for to in self.libraries]
            found.append((sender, line, sum(line)))
        return found

    def received(self) -> list[int]:
        """What each library was sent, in the columns' order."""
        sent_to: Counter[int] = Counter()
        for (_origin, to), n in self.counts.items():
            sent_to[to] += n
        return [sent_to[lib.pk] for lib in self.libraries]


def shuttle_matrix(period: Period, library: Library | None) -> Matrix:
    """Documents sent by the shuttle in the period, from one library to another. A library
    sees what it sent and what it was sent."""
    mine = Q(from_library=library) | Q(to_library=library) if library is not None else Q()
    counts = summaries.shuttle_counts(period, mine, ("from_library", "to_library"))
    ids = {i for pair in counts for i in pair} | ({library.pk} if library else set())
    libraries = list(Library.objects.filter(pk__in=ids).order_by("name"))
    return Matrix(libraries, counts)


def events_by_month(period: Period, library: Library | None) -> list[tuple[str, int, int]]:
    """Per month: sessions held and attendance counted."""
    sessions = Counter(
        {
            timezone.localtime(m).date() if isinstance(m, dt.datetime) else m: n
            for m, n in facts.sessions(period, library)
            .order_by()
            .annotate(m=TruncMonth("starts_at"))
            .values_list("m")
            .annotate(n=Count("pk"))
            .values_list("m", "n")
        }
    )
    came: Counter[dt.date] = Counter()
    rows = list(
        facts.attendance(period, library).values_list("session__starts_at", "event", "places")
    )
    # A registration for the whole event counts in the month of its first session.
    first = dict(
        Session.objects.filter(event__in={event for _s, event, _p in rows})
        .values_list("event")
        .annotate(m=Min("starts_at"))
        .values_list("event", "m")
    )
    for starts, event, places in rows:
        came[timezone.localdate(starts or first[event]).replace(day=1)] += places
    return [(_month_label(m), sessions[m], came[m]) for m in months(period)]
