"""The core collection: the network's most demanded titles per audience and kind, and each
library's gaps.

How it scales: loans and holds are summed per record and month in MonthlyDemand by a daily
refresh that reads only the loans and holds made since the last one (by id, through the primary
key). A list for a period then reads the summary (a row per record and month with demand, not
a row per loan), ranks in the database (ROW_NUMBER per audience and kind) and keeps the first
N of each; the libraries holding them are counted for those few titles only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.models import GONE_STATUSES, Item
from maillon.circulation.models import Hold, Loan
from maillon.core.errors import DomainError, Kind
from maillon.corecollection.models import CoreList, CoreTitle, DemandRefresh, MonthlyDemand
from maillon.network.models import Library
from maillon.network.permissions import Action, require

STEP = 200_000  # loan or hold ids summed per statement on a first refresh
KEYS = 2000  # titles read or written per statement
MAX_MONTHS = 60
MAX_PER_GROUP = 500


class CoreCollectionError(DomainError):
    """A refused core collection operation."""


@dataclass
class Refreshed:
    loans: int
    holds: int


def _sum_new(rows: QuerySet, record: str, stamp: str, after: int) -> tuple[int, int]:
    """Add the rows with an id above `after` to the summary, by id ranges, each range summed
    and added by the database in one statement (an upsert: no row goes through Python);
    (how many, the last id)."""
    last = rows.aggregate(last=Max("pk"))["last"] or after
    field = "loans" if rows.model is Loan else "holds"
    table = MonthlyDemand._meta.db_table
    # The month as the summary stores it (TruncMonth gives a timestamp on both databases).
    month = "s.month::date" if connection.vendor == "postgresql" else "date(s.month)"
    total = 0
    for low in range(after, last, STEP):
        step = rows.filter(pk__gt=low, pk__lte=min(low + STEP, last))
        total += step.count()  # by the primary key: no grouping twice
        summed = (
            step.annotate(month=TruncMonth(stamp, output_field=DateField()))
            .values(record, "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        select, params = summed.query.sql_with_params()
        column = connection.ops.quote_name(record)
        loans, holds = ("s.n", "0") if field == "loans" else ("0", "s.n")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (record_id, month, loans, holds) "
                f"SELECT s.{column}, {month}, {loans}, {holds} FROM ({select}) s WHERE true "
                f"ON CONFLICT (month, record_id) DO UPDATE SET {field} = {table}.{field} + "
                f"excluded.{field}",
                params,
            )
    return total, last


def refresh_demand() -> Refreshed:
    """Sum the loans and holds made since the last refresh into the summary (daily). Locks
    the refresh row: a second refresh at the same time waits, then finds nothing new."""
    DemandRefresh.objects.get_or_create(pk=1)
    with transaction.atomic():
        state = DemandRefresh.objects.select_for_update().get(pk=1)
        loans, state.last_loan_id = _sum_new(
            Loan.objects.all(), "item__record_id", "checked_out_at", state.last_loan_id
        )
        holds, state.last_hold_id = _sum_new(
            Hold.objects.all(), "record_id", "created_at", state.last_hold_id
        )
        state.refreshed_at = timezone.now()
        state.save()
    return Refreshed(loans, holds)


def compute(
    actor, start: dt.date, end: dt.date, *, per_group: int = 50, check: bool = True
) -> CoreList:
    """The core collection over the months from `start` to `end` (the coordinator's choice;
    the daily command passes check=False): the `per_group` most demanded titles (loans and
    holds) of each audience and kind. Codes: period_invalid, per_group_invalid."""
    if check:
        require(actor, Action.ADMINISTER)
    first = start.replace(day=1)
    months = (end.year - first.year) * 12 + end.month - first.month + 1
    if end < start or months > MAX_MONTHS:
        raise CoreCollectionError(
            "period_invalid",
            _("Choose a period that ends after it starts, of %(max)d months at most.")
            % {"max": MAX_MONTHS},
            field="start",
            kind=Kind.INVALID,
        )
    if not 1 <= per_group <= MAX_PER_GROUP:
        raise CoreCollectionError(
            "per_group_invalid",
            _("Between 1 and %(max)d titles per audience and kind.") % {"max": MAX_PER_GROUP},
            field="per_group",
            kind=Kind.INVALID,
        )
    ranked = (
        MonthlyDemand.objects.filter(month__gte=first, month__lte=end)
        .values("record_id", "record__audience", "record__doc_type")
        .annotate(loans_sum=Sum("loans"), holds_sum=Sum("holds"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("record__audience"), F("record__doc_type")],
                order_by=[(Sum("loans") + Sum("holds")).desc(), F("record_id").asc()],
            )
        )
        .filter(rank__lte=per_group)
    )
    with transaction.atomic():
        _sort_memory()
        rows = list(ranked)
    holding = _libraries_holding([row["record_id"] for row in rows])
    with transaction.atomic():
        core = CoreList.objects.create(
            start=first,
            end=end,
            per_group=per_group,
            computed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        CoreTitle.objects.bulk_create(
            [
                CoreTitle(
                    core_list=core,
                    record_id=row["record_id"],
                    audience=row["record__audience"],
                    doc_type=row["record__doc_type"],
                    rank=row["rank"],
                    loans=row["loans_sum"],
                    holds=row["holds_sum"],
                    libraries=holding.get(row["record_id"], 0),
                )
                for row in rows
            ],
            batch_size=KEYS,
        )
    return core


# Sorting and hashing a year of the summary (hundreds of thousands of titles) in memory: with
# PostgreSQL's default 4 MB both spill to disk, which costs more than the query itself.
SORT_MEMORY = "64MB"


def _sort_memory() -> None:
    """For the current transaction only, on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")


def _libraries_holding(record_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for start in range(0, len(record_ids), KEYS):
        for record_id, n in (
            Item.objects.filter(record_id__in=record_ids[start : start + KEYS])
            .exclude(status__in=GONE_STATUSES)
            .values("record_id")
            .annotate(n=Count("home_id", distinct=True))
            .values_list("record_id", "n")
        ):
            found[record_id] = n
    return found


def latest() -> CoreList | None:
    return CoreList.objects.first()


def titles(core: CoreList, *, audience: str = "", doc_type: str = "") -> QuerySet[CoreTitle]:
    rows = core.titles.select_related("record")
    if audience:
        rows = rows.filter(audience=audience)
    if doc_type:
        rows = rows.filter(doc_type=doc_type)
    return rows.order_by("audience", "doc_type", "rank")


def gaps(core: CoreList, library: Library | int, *, audience: str = "") -> QuerySet[CoreTitle]:
    """The core titles `library` holds no copy of (gone copies do not count), the most lent
    first."""
    held = Item.objects.filter(home=library).exclude(status__in=GONE_STATUSES).values("record_id")
    rows = titles(core, audience=audience).exclude(record_id__in=held)
    return rows.order_by(F("loans").desc(), "rank", "pk")


def default_period(today: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The last `months` whole months before today's."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    for _step in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, end
