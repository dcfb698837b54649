"""The core collection's daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.corecollection.models import CoreList
from maillon.corecollection.services import compute, default_period, refresh_demand
from maillon.jobs.registry import daily_task


@daily_task
def core_collection_daily(today: dt.date) -> dict[str, int]:
    """What `maillon core-collection-refresh` does: the day's loans and holds added to the
    demand; the core collection of the last twelve whole months computed once a month (the
    months are whole: later days would compute the same list again)."""
    done = refresh_demand()
    start, end = default_period(today)
    made = {"loans": done.loans, "holds": done.holds, "core_titles": 0}
    if not CoreList.objects.filter(start=start, end=end, computed_by__isnull=True).exists():
        made["core_titles"] = compute(None, start, end, check=False).titles.count()
    return made
