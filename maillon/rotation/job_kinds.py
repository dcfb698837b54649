"""The circulation plans' daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.jobs.registry import daily_task
from maillon.rotation import daily, kinds


@daily_task
def rotation_daily(today: dt.date) -> dict[str, int]:
    """What `maillon rotation-daily` does: the exchanges due open, their lots sent."""
    found = daily.run(today)
    return {
        "lots_sent": sum(len(entry.sent) for entry in found),
        "refused": sum(len(entry.refused) for entry in found),
    }


@daily_task
def kind_loans_refresh(today: dt.date) -> dict[str, int]:
    """The day's loans added to the loans per library and item type that the proposals from
    usage read (maillon.rotation.kinds)."""
    return {"loans": kinds.refresh()}
