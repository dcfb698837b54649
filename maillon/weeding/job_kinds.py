"""Weeding's daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.jobs.registry import daily_task
from maillon.weeding.offers import expire


@daily_task
def weeding_offers_expire(today: dt.date) -> dict[str, int]:
    """What `maillon weeding-offers-expire` does: offers nobody claimed in time withdrawn."""
    done = expire(today)
    return {"withdrawn": done.withdrawn, "waiting": done.waiting}
