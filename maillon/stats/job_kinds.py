"""The statistics' daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.jobs.registry import daily_task
from maillon.stats import summaries


@daily_task
def stats_refresh(today: dt.date) -> dict[str, int]:
    """What `maillon stats-refresh` does: the days up to yesterday counted into the summary
    tables, last year's holdings at 31/12 taken once."""
    return summaries.run(today)
