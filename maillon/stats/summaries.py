"""Summary tables, refreshed incrementally by `maillon stats-refresh` (daily, from the worker):
the report and the dashboards read them when they cover the period asked, the raw rows else.

- ``LoanDay``: a day's loans per library, medium, audience, own or MD stock, borrower known
  or not. A day is refreshed by deleting its rows and counting its
  loans again, so a day refreshed twice holds the same rows; the daily run refreshes the last
  week again, for loans recorded late (the offline desk sends them when it is back online).
- ``LoanMonth``: the same counts added up per month, from the days' rows, again each time a
  day of the month is counted (``RefreshedMonth``'s row, locked meanwhile, keeps two refreshes
  of one month apart): the dashboards read a year in a few thousand rows.
- ``ActiveBorrower``: one row per year, library, borrower pseudonym (and the category, age band
  and commune they borrowed with), added once (a unique constraint): counted distinct, the
  active borrowers of a library or of the network, never counted twice. ``CommuneBorrower``
  keeps the network's once per year, commune and pseudonym (the dashboard's communes).
- ``RefreshedDay``: the days counted. The report uses the summaries only when every day of its
  period is there (a past year, once refreshed); a dashboard reads them for the days refreshed
  and the raw loans for the days after (today).
- ``HoldingSnapshot``: the holdings at 31/12 of a year, per library, medium, audience, own or MD
  stock, taken by the first daily run after the year ends (or on demand); the report reads it
  for "documents held at 31/12" when it was taken. ``HoldingItem`` keeps the documents it
  counted (the list behind those figures), the counts being made from them.
- ``TransferMonth``: a month's documents sent by the shuttle (from, to, reason); ``ShuttleDay``:
  what each library sent and was sent each day (and of those, for holds); ``HoldDay``: holds
  placed and collected each day per pickup library (of those, by the shuttle; their waits added
  up). Counted again from the raw rows up to the last day counted
  (``RefreshedMonth.shuttle_until``) each time the daily run counts a day of the month: the
  days counted are read from them (the matrix: the months counted to their end), the rest of
  a period from the raw rows.
- ``CollectionAge``: the documents each library held on the evening of the daily run's last
  day, by years since their publication (in bands): the dashboards' collection age.
- ``HoldingDay``: the documents each library held on the evening of each day counted (its own,
  the MD's), from the days documents came and went: turnover over any period reads it.

Loans are never deleted and their statistical facts never change (anonymisation keeps them), so
what a day counted stays true.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any, TypeVar, cast

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from maillon.circulation.models import Loan, TransferReason
from maillon.network.models import Library
from maillon.stats import facts
from maillon.stats.facts import Period
from maillon.stats.models import (
    ActiveBorrower,
    CollectionAge,
    CommuneBorrower,
    HoldDay,
    HoldingDay,
    HoldingItem,
    HoldingSnapshot,
    LoanDay,
    LoanMonth,
    RefreshedDay,
    RefreshedMonth,
    ShuttleDay,
    TransferMonth,
)

# Days refreshed again by each daily run: loans recorded late still count on their day.
AGAIN_DAYS = 7
BATCH = 5000
LOAN_FIELDS = ("library", "medium", "audience", "md_stock")
# The tables of counts (analysed after a first run, emptied by the bench).
COUNTED = (
    LoanDay,
    LoanMonth,
    ActiveBorrower,
    CommuneBorrower,
    HoldingDay,
    TransferMonth,
    ShuttleDay,
    HoldDay,
    CollectionAge,
)
C = TypeVar("C", LoanDay, LoanMonth)
BORROWER_FIELDS = (
    "library",
    "patron_key",
    "patron_category_code",
    "patron_age_band",
    "patron_commune",
)


def refresh_day(day: dt.date, add_up: bool = True) -> int:
    """Count the loans of `day` into the summaries again, and its month from its days (unless
    the caller adds it up itself, in the same transaction); returns how many loans."""
    loans = facts.loans(Period(day, day), None).order_by()
    month = day.replace(day=1)
    with transaction.atomic():
        lock_month(month)
        marker, _made = RefreshedDay.objects.get_or_create(day=day)
        LoanDay.objects.filter(day=day).delete()
        grouped = (
            loans.annotate(
                keyed=Case(
                    When(patron_key="", then=Value(False)),
                    default=Value(True),
                    output_field=BooleanField(),
                )
            )
            .values(*LOAN_FIELDS, "keyed")
            .annotate(n=Count("pk"))
        )
        rows = _counts(LoanDay, grouped, day=day)
        LoanDay.objects.bulk_create(rows, batch_size=BATCH)
        borrowers = list(
            loans.exclude(patron_key="").values_list(*BORROWER_FIELDS).distinct().iterator()
        )
        ActiveBorrower.objects.bulk_create(
            (
                ActiveBorrower(
                    year=day.year,
                    library_id=library,
                    patron_key=key,
                    patron_category_code=category,
                    patron_age_band=band,
                    patron_commune=commune,
                )
                for library, key, category, band, commune in borrowers
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        CommuneBorrower.objects.bulk_create(
            (
                CommuneBorrower(year=day.year, patron_commune=commune, patron_key=key)
                for commune, key in {(row[4], row[1]) for row in borrowers}
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        if add_up:
            _add_up(month)
        total = sum(row.loans for row in rows)
        RefreshedDay.objects.filter(pk=marker.pk).update(loans=total)
    return total


def lock_month(month: dt.date) -> None:
    """One refresh of a month's days at a time (of one day, then, too): the second waits,
    then counts its day again and adds up the month from every day's rows, its own included
    (a lock per day is not enough: two days of one month refreshed at once would each add up
    the month without the other's)."""
    marker, _made = RefreshedMonth.objects.get_or_create(month=month)
    RefreshedMonth.objects.select_for_update().filter(pk=marker.pk).get()


def _add_up(month: dt.date) -> None:
    """The month's LoanMonth rows, from its days' rows (in the caller's transaction)."""
    LoanMonth.objects.filter(month=month).delete()
    grouped = (
        LoanDay.objects.filter(day__gte=month, day__lt=next_month(month))
        .order_by()
        .values(*LOAN_FIELDS, "keyed")
        .annotate(n=Sum("loans"))
    )
    LoanMonth.objects.bulk_create(_counts(LoanMonth, grouped, month=month), batch_size=BATCH)


def _counts(model: type[C], grouped: Iterable[dict], **when: dt.date) -> list[C]:
    """A day's or a month's rows (`when`), from loans grouped by LOAN_FIELDS and "keyed"."""
    return [
        model(
            **when,
            library_id=g["library"],
            medium=g["medium"],
            audience=g["audience"],
            md_stock=g["md_stock"],
            keyed=g["keyed"],
            loans=g["n"],
        )
        for g in grouped
    ]


def days_to_refresh(today: dt.date) -> list[dt.date]:
    """The days a daily run counts: from a week before the last day counted (or the first
    loan, the first time) to yesterday."""
    last = RefreshedDay.objects.order_by("-day").values_list("day", flat=True).first()
    if last is not None:
        start = last - dt.timedelta(days=AGAIN_DAYS - 1)
    else:
        first = Loan.objects.order_by("checked_out_at").values_list("checked_out_at", flat=True)
        first_at = first.first()
        if first_at is None:
            return []
        start = Period.local_day(first_at)
    end = today - dt.timedelta(days=1)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def snapshot_holdings(year: int) -> int:
    """Take (again) the holdings at 31/12 of `year`: each document counted, where (HoldingItem,
    the list behind the figures), then their counts (HoldingSnapshot, read by the report) from
    those rows, in one transaction. Returns how many documents."""
    period = Period.year(year)
    counted = [
        (False, facts.holdings(period, None).exclude(facts.md_stock())),
        (True, facts.md_holdings(period, None)),
    ]
    table = connection.ops.quote_name(HoldingItem._meta.db_table)
    with transaction.atomic():
        HoldingSnapshot.objects.filter(year=year).delete()
        HoldingItem.objects.filter(year=year).delete()
        for md, items in counted:
            # One INSERT … SELECT: two million documents never pass through Python.
            select, params = (
                items.order_by()
                .values_list("pk", "home", "record__doc_type", "audience")
                .query.sql_with_params()
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (item_id, library_id, medium, audience, year, md_stock) "
                    f"SELECT counted.*, %s, %s FROM ({select}) counted",
                    [year, md, *params],
                )
        rows = [
            HoldingSnapshot(
                year=year,
                library_id=library,
                medium=medium,
                audience=audience,
                md_stock=md,
                items=n,
            )
            for library, medium, audience, md, n in HoldingItem.objects.filter(year=year)
            .order_by()
            .values_list("library", "medium", "audience", "md_stock")
            .annotate(n=Count("pk"))
            .values_list("library", "medium", "audience", "md_stock", "n")
        ]
        HoldingSnapshot.objects.bulk_create(rows, batch_size=BATCH)
    return sum(row.items for row in rows)


def count_shuttle(month: dt.date, until: dt.date) -> None:
    """Count the month's documents sent by the shuttle and holds placed and collected again,
    from its first day to `until` (at most its last), with the month locked."""
    period = Period(month, min(until, next_month(month) - dt.timedelta(days=1)))
    with transaction.atomic():
        lock_month(month)
        for model in (TransferMonth, ShuttleDay, HoldDay):
            model.objects.filter(**_in_month(model, month)).delete()
        sent = facts.transfers_sent(period, None).order_by()
        TransferMonth.objects.bulk_create(
            TransferMonth(
                month=month, from_library_id=origin, to_library_id=to, reason=reason, transfers=n
            )
            for origin, to, reason, n in sent.values_list(
                "from_library", "to_library", "reason"
            ).annotate(n=Count("pk"))
        )
        ShuttleDay.objects.bulk_create(
            ShuttleDay(day=day, library_id=library, **figures)
            for (day, library), figures in _shuttle_days(period).items()
        )
        HoldDay.objects.bulk_create(
            HoldDay(day=day, pickup_library_id=pickup, **figures)
            for (day, pickup), figures in _hold_days(period, None).items()
        )
        RefreshedMonth.objects.filter(month=month).update(shuttle_until=period.end)


def _in_month(model: type[TransferMonth | ShuttleDay | HoldDay], month: dt.date) -> dict:
    if model is TransferMonth:
        return {"month": month}
    return {"day__gte": month, "day__lt": next_month(month)}


def _shuttle_days(period: Period) -> dict[tuple[dt.date, int], dict[str, int]]:
    """Per day and library, from the raw transfers: documents sent, received, and of those,
    for holds."""
    found: dict[tuple[dt.date, int], dict[str, int]] = {}
    sent = facts.transfers_sent(period, None).order_by().annotate(day=TruncDate("sent_at"))
    for side, column in (("sent", "from_library"), ("received", "to_library")):
        for day, library, reason, n in sent.values_list("day", column, "reason").annotate(
            n=Count("pk")
        ):
            figures = found.setdefault((day, library), dict.fromkeys(SHUTTLE_FIGURES, 0))
            figures[side] += n
            if reason == TransferReason.HOLD:
                figures[f"{side}_for_holds"] += n
    return found


SHUTTLE_FIGURES = ("sent", "received", "sent_for_holds", "received_for_holds")


HOLD_FIGURES = ("placed", "collected", "moved", "waited")


def no_holds() -> dict[str, Any]:
    """A pickup library's hold figures (HOLD_FIGURES) when it had none."""
    return {"placed": 0, "collected": 0, "moved": 0, "waited": dt.timedelta()}


def _hold_days(period: Period, library: Library | None) -> dict[tuple[dt.date, int], dict]:
    """Per day and pickup library, from the raw holds: placed, collected, collected whose copy
    came by the shuttle, and the collected ones' waits added up."""
    found: dict[tuple[dt.date, int], dict] = {}

    def at(day: dt.date, pickup: int) -> dict:
        return found.setdefault((day, pickup), no_holds())

    placed = facts.holds_placed(period, library).order_by().annotate(day=TruncDate("created_at"))
    for day, pickup, n in placed.values_list("day", "pickup_library").annotate(n=Count("pk")):
        at(day, pickup)["placed"] += n
    collected = (
        facts.holds_satisfied(period, library)
        .annotate(moved=facts.came_by_shuttle(), day=TruncDate("closed_at"))
        .order_by()
        .values_list("day", "pickup_library", "moved")
        .annotate(n=Count("pk"), waited=Sum(facts.hold_wait()))
    )
    for day, pickup, moved, n, waited in collected:
        figures = at(day, pickup)
        figures["collected"] += n
        figures["moved"] += n if moved else 0
        figures["waited"] += waited
    return found


def days_counted(period: Period) -> tuple[Q, list[Period]]:
    """The days of the period whose shuttle and holds are counted (a condition on `day`), and
    the rest of the period (to read from the raw rows)."""
    marks = RefreshedMonth.objects.filter(
        month__gte=period.start.replace(day=1), month__lte=period.end, shuttle_until__isnull=False
    ).values_list("month", "shuttle_until")
    spans = sorted(
        (max(month, period.start), min(until, period.end))
        for month, until in marks
        if until is not None and until >= period.start
    )
    spans = [(first, last) for first, last in spans if first <= last]
    counted = Q(pk__in=[])
    for first, last in spans:
        counted |= Q(day__gte=first, day__lte=last)
    return counted, _rest(period, spans)


def months_counted(period: Period) -> tuple[list[dt.date], list[Period]]:
    """The months of the period whose shuttle and holds are counted to their end, and the rest
    of the period (to read from the raw rows)."""
    counted = RefreshedMonth.objects.filter(
        month__gte=period.start, month__lte=period.end, shuttle_until__isnull=False
    ).values_list("month", "shuttle_until")
    whole = sorted(
        month
        for month, until in counted
        if until is not None
        and until >= next_month(month) - dt.timedelta(days=1)
        and next_month(month) - dt.timedelta(days=1) <= period.end
    )
    spans = [(month, next_month(month) - dt.timedelta(days=1)) for month in whole]
    return whole, _rest(period, spans)


def _rest(period: Period, spans: list[tuple[dt.date, dt.date]]) -> list[Period]:
    """The parts of the period outside `spans` (sorted, within the period, not overlapping)."""
    rest, at = [], period.start
    for first, last in spans:
        if at < first:
            rest.append(Period(at, first - dt.timedelta(days=1)))
        at = last + dt.timedelta(days=1)
    if at <= period.end:
        rest.append(Period(at, period.end))
    return rest


def shuttle_counts(period: Period, where: Q, by: tuple[str, ...]) -> Counter:
    """Documents sent by the shuttle in the period, among those `where` says (a condition on
    the transfers' libraries and reason), counted by `by` (columns of both the transfers and
    TransferMonth: from_library, to_library): the months counted to their end from their rows,
    the rest of the period from the raw transfers."""
    whole, rest = months_counted(period)
    counts: Counter = Counter()
    months = TransferMonth.objects.filter(where, month__in=whole).order_by()
    for *key, n in months.values_list(*by).annotate(n=Sum("transfers")):
        counts[tuple(key)] += n
    for part in rest:
        raw = facts.transfers_sent(part, None).filter(where).order_by()
        for *key, n in raw.values_list(*by).annotate(n=Count("pk")):
            counts[tuple(key)] += n
    return counts


def hold_counts(period: Period, library: Library | None) -> dict[int, dict[str, Any]]:
    """Holds in the period per pickup library: placed, collected, collected whose copy came by
    the shuttle, and the collected ones' waits added up."""
    counted, rest = days_counted(period)
    rows = HoldDay.objects.filter(counted)
    if library is not None:
        rows = rows.filter(pickup_library=library)
    found: dict[int, dict[str, Any]] = {
        row.pop("pickup_library"): row
        for row in rows.order_by()
        .values("pickup_library")
        .annotate(**{name: Sum(name) for name in HOLD_FIGURES})
    }
    for part in rest:
        for (_day, pickup), figures in _hold_days(part, library).items():
            into = found.setdefault(pickup, no_holds())
            for key, value in figures.items():
                into[key] += value
    return found


def shuttle_days(period: Period, library: Library | None, by: str) -> Counter:
    """What libraries sent and were sent by the shuttle in the period (SHUTTLE_FIGURES), summed
    per library (`by` "library") or per month (`by` "month", over `library` or the network)."""
    counted, rest = days_counted(period)
    rows = ShuttleDay.objects.filter(counted).order_by()
    if library is not None:
        rows = rows.filter(library=library)
    key = F("library") if by == "library" else TruncMonth("day")
    found: Counter = Counter()
    for group, *values in (
        rows.annotate(group=key)
        .values_list("group")
        .annotate(*(Sum(name) for name in SHUTTLE_FIGURES))
    ):
        for name, value in zip(SHUTTLE_FIGURES, values, strict=True):
            found[group, name] += value
    for part in rest:
        for (day, place), figures in _shuttle_days(part).items():
            if library is not None and place != library.pk:
                continue
            group = place if by == "library" else day.replace(day=1)
            for name, value in figures.items():
                found[group, name] += value
    return found


def held_evenings(days: list[dt.date]) -> list[HoldingDay]:
    """The documents held per library and kind of document on the evening of each of `days`
    (rows not saved), from one reading of the days documents came and went."""
    changes: dict[tuple[int, str], list[tuple[dt.date, int, int]]] = {}
    for library, medium, md_stock, day, n in facts.holding_changes():
        change = (day, 0 if md_stock else n, n if md_stock else 0)
        changes.setdefault((library, medium), []).append(change)
    rows = []
    for (library, medium), its in changes.items():
        its.sort()
        own = md = at = 0
        for day in sorted(days):
            while at < len(its) and its[at][0] <= day:
                own, md = own + its[at][1], md + its[at][2]
                at += 1
            rows.append(HoldingDay(day=day, library_id=library, medium=medium, own=own, md=md))
    return rows


def count_held(days: list[dt.date]) -> int:
    """Write (again) the documents held on the evening of each of `days`; returns the rows."""
    rows = held_evenings(days)
    with transaction.atomic():
        HoldingDay.objects.filter(day__in=days).delete()
        HoldingDay.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def held_on(day: dt.date, library: Library | None, by: str = "library") -> Counter:
    """The documents held on the evening of `day` per library (id → documents) or per kind of
    document (`by`), as the daily run counted them (for a day not over yet, the evening
    before: today is counted tomorrow), else counted now from the items and the deposits'
    entries."""
    counted = HoldingDay.objects.filter(day=min(day, timezone.localdate() - dt.timedelta(days=1)))
    rows = [(r.library_id, r.medium, r.own + r.md) for r in counted.filter(_at(library))]
    if not rows and not (library is not None and counted.exists()):
        rows = [
            (r.library_id, r.medium, r.own + r.md)
            for r in held_evenings([day])
            if library is None or r.library_id == library.pk
        ]
    found: Counter = Counter()
    for place, medium, n in rows:
        found[place if by == "library" else medium] += n
    return found


# Years since publication, in bands: each band's key and its youngest age.
AGE_BANDS = (("0-2", 0), ("3-5", 3), ("6-10", 6), ("11-20", 11), ("21+", 21))


def _age_band(year: int) -> Case:
    """A document's band on a day of `year`, from its record's year of publication."""
    whens = [When(record__year__isnull=True, then=Value(""))]
    whens += [
        When(record__year__gte=year - younger + 1, then=Value(key))
        for (key, _low), (_next, younger) in zip(AGE_BANDS, AGE_BANDS[1:], strict=False)
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def ages_on(day: dt.date) -> list[CollectionAge]:
    """The documents each library holds on the evening of `day` by age band (rows not saved),
    from the items as they are."""
    period = Period(day, day)
    counted: Counter[tuple[int, str]] = Counter()
    for items in (
        facts.holdings(period, None).exclude(facts.md_stock()),
        facts.md_holdings(period, None),
    ):
        grouped = items.order_by().annotate(band=_age_band(day.year))
        for home, band, n in grouped.values_list("home", "band").annotate(n=Count("pk")):
            counted[home, band] += n
    return [
        CollectionAge(day=day, library_id=library, band=band, items=n)
        for (library, band), n in counted.items()
    ]


def count_ages(day: dt.date) -> None:
    """Write (again) the documents held on the evening of `day` by age band."""
    rows = ages_on(day)
    with transaction.atomic():
        CollectionAge.objects.filter(day=day).delete()
        CollectionAge.objects.bulk_create(rows, batch_size=BATCH)


def collection_age(day: dt.date, library: Library | None) -> tuple[dt.date, Counter[str]]:
    """The documents held by age band on the evening counted nearest `day` (the last before it,
    else the first after: a collection ages slowly), with that evening; counted now when no
    evening was."""
    counted = CollectionAge.objects.order_by()
    before = counted.filter(day__lte=day).aggregate(last=Max("day"))["last"]
    when = before or counted.aggregate(first=Min("day"))["first"]
    if when is None:
        rows = [
            (r.band, r.items) for r in ages_on(day) if library is None or r.library_id == library.pk
        ]
        when = day
    else:
        rows = list(counted.filter(_at(library), day=when).values_list("band", "items"))
    found: Counter[str] = Counter()
    for band, n in rows:
        found[band] += n
    return when, found


def run(today: dt.date) -> dict[str, int]:
    """The daily work: the days to count (their loans, the documents held on their evenings),
    and last year's holdings once the year is over."""
    days = days_to_refresh(today)
    loans = 0
    for month, its_days in groupby(days, key=lambda day: day.replace(day=1)):
        # A month's days counted, then the month added up once, in one transaction: readers
        # see the days and their month together.
        with transaction.atomic():
            lock_month(month)
            loans += sum(refresh_day(day, add_up=False) for day in its_days)
            _add_up(month)
    for month in sorted({day.replace(day=1) for day in days}):
        count_shuttle(month, days[-1])
    count_held(days)
    if days:
        count_ages(days[-1])
    if connection.vendor == "postgresql" and len(days) > AGAIN_DAYS:
        # Many days counted at once (the first run): the planner learns the tables' new size
        # now rather than when autovacuum comes by.
        with connection.cursor() as cursor:
            for model in COUNTED:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    snapshots = 0
    last_year = today.year - 1
    if not HoldingSnapshot.objects.filter(year=last_year).exists():
        snapshot_holdings(last_year)
        snapshots = 1
    return {"days": len(days), "loans": loans, "snapshots": snapshots}


# Reading ---------------------------------------------------------------------------------------


def covers(period: Period) -> bool:
    """Is every day of the period counted in the summaries?"""
    wanted = (period.end - period.start).days + 1
    found = RefreshedDay.objects.filter(day__gte=period.start, day__lte=period.end).count()
    return found == wanted


def counted_until(period: Period) -> dt.date | None:
    """The last day of the period up to which every day is counted (from its start)."""
    days = list(
        RefreshedDay.objects.filter(day__gte=period.start, day__lte=period.end)
        .order_by("day")
        .values_list("day", flat=True)
    )
    last = None
    for offset, day in enumerate(days):
        if day != period.start + dt.timedelta(days=offset):
            break
        last = day
    return last


def rewrite(q: Q, fields: dict[str, Callable[[Any], tuple[str, Any]]]) -> Q:
    """The same condition on a summary's columns: each lookup of the raw rows renamed."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            copy.children.append(rewrite(child, fields))
        else:
            lookup, value = cast(tuple[str, Any], child)
            copy.children.append(fields[lookup](value) if lookup in fields else (lookup, value))
    return copy


LOAN_COLUMNS: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "patron_key": lambda value: ("keyed", value != ""),
}
HOLDING_COLUMNS: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "record__doc_type__in": lambda value: ("medium__in", value),
    "owner__kind": lambda value: ("md_stock", True),
}


def _at(library: Library | None) -> Q:
    return Q(library=library) if library is not None else Q()


def loans_counted(period: Period) -> bool:
    """Do the summaries give the loans' figures of the period? Distinct borrowers are kept per
    calendar year: for a whole year only, once every day of it is counted."""
    return period == Period.year(period.start.year) and covers(period)


Grouped = dict[int | None, dict[str, int]]  # library id (None: the one asked) → key → value


def compute(figures: Iterable[Any], fact: Callable, period: Period, library: Library | None):
    """The figures of one fact from the summaries, or None when they do not cover the period."""
    found = _compute(list(figures), fact, period, _at(library), each=False)
    return None if found is None else found.get(None, {})


def compute_each(figures: Iterable[Any], fact: Callable, period: Period) -> Grouped | None:
    """`compute` for every library at once (library id → figures; a library without rows is
    absent), or None when the summaries do not cover the period."""
    return _compute(list(figures), fact, period, Q(), each=True)


def _compute(
    figures: list[Any], fact: Callable, period: Period, at: Q, each: bool
) -> Grouped | None:
    if fact is facts.loans and loans_counted(period):
        return _loan_figures(figures, period, at, each)
    if fact in (facts.holdings, facts.md_holdings) and snapshot_year(period) is not None:
        return _holding_figures(figures, fact, period, at, each)
    return None


def _aggregate(rows: QuerySet, aggregates: dict[str, Any], each: bool) -> dict[Any, dict]:
    """The aggregates over `rows` (key None), or per library (`each`): one statement."""
    if not each:
        return {None: rows.aggregate(**aggregates)}
    grouped = rows.order_by().values("library").annotate(**aggregates)
    return {row.pop("library"): row for row in grouped}


def snapshot_year(period: Period) -> int | None:
    year = period.end.year
    if period.end != dt.date(year, 12, 31):
        return None
    return year if HoldingSnapshot.objects.filter(year=year).exists() else None


def _loan_figures(figures: list[Any], period: Period, at: Q, each: bool) -> Grouped:
    """Counts from the days' rows, distinct borrowers from the year's (one calendar year)."""
    days = LoanDay.objects.filter(at, day__gte=period.start, day__lte=period.end)
    counts = [f for f in figures if f.measure != "distinct_key"]
    distinct = [f for f in figures if f.measure == "distinct_key"]
    found = _aggregate(
        days,
        {
            f"f{i}": Sum("loans", filter=rewrite(f.where, LOAN_COLUMNS))
            for i, f in enumerate(counts)
        },
        each,
    )
    values: Grouped = {
        library: {f.key: row[f"f{i}"] or 0 for i, f in enumerate(counts)}
        for library, row in found.items()
    }
    if distinct:
        borrowers = ActiveBorrower.objects.filter(at, year=period.start.year)
        found = _borrowers_counted(borrowers, distinct, each)
        for library, row in found.items():
            values.setdefault(library, {}).update(
                {f.key: row[f"f{i}"] or 0 for i, f in enumerate(distinct)}
            )
    return values


def _borrowers_counted(rows: QuerySet, figures: list[Any], each: bool) -> dict[Any, dict]:
    """Each figure's distinct pseudonyms among `rows`, for the network (key None) or per
    library: the rows grouped by pseudonym (and library) once, each figure's condition a flag of
    the group (1 if one of its rows meets it), the flags summed — one pass over the rows where a
    COUNT(DISTINCT) per figure sorted them all again for each (2.9 s of the network's report
    over 10M loans)."""
    keys = {"pseudonym": F("patron_key")}
    if each:  # named, so that the statement around reads it by that name on both databases
        keys["place"] = F("library")
    flags = (
        rows.order_by()
        .values(**keys)
        .annotate(
            **{
                f"f{i}": Max(
                    Case(When(f.where, then=Value(1)), default=Value(0)) if f.where else Value(1),
                    output_field=IntegerField(),
                )
                for i, f in enumerate(figures)
            }
        )
    )
    inner, params = flags.query.sql_with_params()
    sums = ", ".join(f"SUM(f{i})" for i in range(len(figures)))
    by = "place" if each else None
    sql = (
        f"SELECT {by}, {sums} FROM ({inner}) flags GROUP BY {by}"
        if by
        else f"SELECT NULL, {sums} FROM ({inner}) flags"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {row[0]: {f"f{i}": int(value or 0) for i, value in enumerate(row[1:])} for row in found}


def _holding_figures(
    figures: list[Any], fact: Callable, period: Period, at: Q, each: bool
) -> Grouped:
    rows = HoldingSnapshot.objects.filter(at, year=period.end.year)
    if fact is facts.md_holdings:
        rows = rows.filter(md_stock=True)
    found = _aggregate(
        rows,
        {
            f"f{i}": Sum("items", filter=rewrite(f.where, HOLDING_COLUMNS))
            for i, f in enumerate(figures)
        },
        each,
    )
    return {
        library: {f.key: row[f"f{i}"] or 0 for i, f in enumerate(figures)}
        for library, row in found.items()
    }


Cube = dict[tuple[dt.date, int, str, str], int]  # (month, library id, medium, audience) → loans


def loan_cube(period: Period, library: Library | None) -> Cube | None:
    """The period's loans counted by month, library, medium and audience: the whole months
    counted from LoanMonth, the other days counted from LoanDay, the days after from the raw
    loans; None when no day of the period is counted."""
    until = counted_until(period)
    if until is None:
        return None
    first = period.start if period.start.day == 1 else next_month(period.start)
    after = until + dt.timedelta(days=1)
    if after.day != 1:
        after = until.replace(day=1)
    # The whole months counted are those from `first` and before `after`; the other days
    # counted are read one by one.
    months = LoanMonth.objects.filter(_at(library), month__gte=first, month__lt=after)
    days = Q(day__gte=period.start, day__lt=first) | Q(day__gte=after, day__lte=until)
    if first >= after:
        months, days = months.none(), Q(day__gte=period.start, day__lte=until)
    fields = ("library", "medium", "audience")
    counted: Cube = {}
    parts = [
        (months, "month"),
        (LoanDay.objects.filter(_at(library), days).annotate(m=TruncMonth("day")), "m"),
    ]
    for rows, month in parts:
        for row in rows.order_by().values_list(month, *fields).annotate(n=Sum("loans")):
            key = cast(tuple[dt.date, int, str, str], row[:4])
            counted[key] = counted.get(key, 0) + row[4]
    if until < period.end:
        rest = Period(until + dt.timedelta(days=1), period.end)
        for key, n in raw_cube(rest, library).items():
            counted[key] = counted.get(key, 0) + n
    return counted


def raw_cube(period: Period, library: Library | None) -> Cube:
    """`loan_cube` from the raw loans."""
    counted: Cube = {}
    rows = (
        facts.loans(period, library)
        .order_by()
        .annotate(m=TruncMonth("checked_out_at"))
        .values_list("m", "library", "medium", "audience")
        .annotate(n=Count("pk"))
    )
    for month, *rest, n in rows:
        day = Period.local_day(month).replace(day=1) if isinstance(month, dt.datetime) else month
        key = (day, *rest)
        counted[key] = counted.get(key, 0) + n  # type: ignore[index]
    return counted


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def active_by_commune(period: Period, library: Library | None) -> list[tuple[str, int]] | None:
    """Active borrowers by commune from the year's borrowers, when the period runs from 1
    January to the last day of its year counted (a whole year counted, or the year so far),
    and from the raw loans of the days after it (today); None for another period."""
    year = period.start.year
    if period.start != dt.date(year, 1, 1) or period.end.year != year:
        return None
    until = counted_until(period)
    if until is None or RefreshedDay.objects.filter(day__gt=until, day__year=year).exists():
        return None
    known: QuerySet
    if library is None:  # each row a borrower of the commune: count(*) from the index alone
        known = CommuneBorrower.objects.filter(year=year)
        counted = Count("*")
    else:
        known = ActiveBorrower.objects.filter(library=library, year=year)
        counted = Count("patron_key", distinct=True)
    found = Counter(
        dict(
            known.order_by()
            .values_list("patron_commune")
            .annotate(n=counted)
            .values_list("patron_commune", "n")
        )
    )
    if until < period.end:  # the borrowers of the days after, not counted yet that year
        same = known.filter(
            patron_commune=OuterRef("patron_commune"), patron_key=OuterRef("patron_key")
        )
        later = (
            facts.loans(Period(until + dt.timedelta(days=1), period.end), library)
            .exclude(patron_key="")
            .exclude(Exists(same))
            .order_by()
            .values_list("patron_commune", "patron_key")
            .distinct()
        )
        for commune, _key in later:
            found[commune] += 1
    return list(found.items())
