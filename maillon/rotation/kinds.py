"""Loans per library and item type over a period, for the proposals from usage.

How it scales: the loans are summed per local day, library and item type in KindLoans by a
daily refresh that reads only the loans made since the last one (by id, through the primary
key), each range summed and added by the database in one statement. A period is then read
from the summary for its whole days and from the loans for the rest — its first day from the
moment it starts, and the loans made since the last refresh — in one statement (one snapshot:
a refresh finishing meanwhile counts nothing twice). The counts are the loans' own however
late the refresh; the refresh keeps the part read from the loans short.

A loan counts under its item's type when it is summed (the day after it is made, when the
refresh runs daily).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from maillon.catalogue.models import Item
from maillon.circulation.models import Loan
from maillon.rotation.models import KindLoans, KindLoansRefresh

STEP = 200_000  # loan ids summed per statement on a first refresh


def refresh() -> int:
    """Add the loans made since the last refresh to the summary (daily); how many. Locks the
    refresh row: a second refresh at the same time waits, then finds nothing new."""
    KindLoansRefresh.objects.get_or_create(pk=1)
    local = timezone.get_current_timezone()
    table = KindLoans._meta.db_table
    quote = connection.ops.quote_name
    with transaction.atomic():
        state = KindLoansRefresh.objects.select_for_update().get(pk=1)
        last = Loan.objects.aggregate(last=Max("pk"))["last"] or state.last_loan_id
        total = 0
        for low in range(state.last_loan_id, last, STEP):
            step = Loan.objects.filter(pk__gt=low, pk__lte=min(low + STEP, last))
            total += step.count()
            summed = (
                step.annotate(day=TruncDate("checked_out_at", tzinfo=local))
                .values("day", "library_id", "item__item_type_id")
                .annotate(n=Count("pk"))
                .order_by()
            )
            select, params = summed.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (day, library_id, item_type_id, loans) "
                    f"SELECT s.{quote('day')}, s.{quote('library_id')}, "
                    f"s.{quote('item__item_type_id')}, s.n FROM ({select}) s WHERE true "
                    f"ON CONFLICT (day, library_id, item_type_id) "
                    f"DO UPDATE SET loans = {table}.loans + excluded.loans",
                    params,
                )
        state.last_loan_id = max(last, state.last_loan_id)
        state.refreshed_at = timezone.now()
        state.save()
    return total


def loans_by_kind(since: dt.datetime) -> Counter[tuple[int, int]]:
    """(library id, item type id) → loans made there since `since` (an aware moment)."""
    local = timezone.get_current_timezone()
    first_day = timezone.localtime(since, local).date()
    next_day = timezone.make_aware(
        dt.datetime.combine(first_day + dt.timedelta(days=1), dt.time()), local
    )
    counts: Counter[tuple[int, int]] = Counter()
    with transaction.atomic():
        summed = _summed_up_to()
        whole_days = (
            KindLoans.objects.filter(day__gt=first_day)
            .values_list("library_id", "item_type_id")
            .annotate(n=Sum("loans"))
            .order_by()
        )
        # The first day from `since` on, and every loan the summary does not hold yet: the
        # last id summed is a literal, so the database reads these loans through its indexes
        # (given as a subquery, its planner guessed a third of the loans and read them all),
        # and each one's item type by its item's key (joined, the whole item table was hashed).
        item_type = Item.objects.filter(pk=OuterRef("item_id")).values("item_type_id")[:1]
        rest = (
            Loan.objects.filter(checked_out_at__gte=since)
            .filter(Q(pk__gt=summed) | Q(checked_out_at__lt=next_day))
            .annotate(kind=Subquery(item_type))
            .values_list("library_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for library_id, item_type_id, n in whole_days.union(rest, all=True):
            counts[(library_id, item_type_id)] += n
    return counts


def _summed_up_to() -> int:
    """The last loan id the summary holds, read so that no refresh commits before the
    transaction ends (PostgreSQL: a share lock on the row each refresh locks for update; SQLite
    reads the whole transaction from one snapshot): the summary and the loans read next agree."""
    table = KindLoansRefresh._meta.db_table
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_loan_id FROM {table} WHERE id = 1{lock}")
        row = cursor.fetchone()
    return int(row[0]) if row else 0
