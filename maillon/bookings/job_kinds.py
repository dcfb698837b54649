"""The bookings' daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.bookings.mail import late_notices
from maillon.jobs.registry import daily_task


@daily_task
def bookings_late(today: dt.date) -> dict[str, int]:
    """Resources not back after their last day: both sides are told (weekly while late)."""
    return {"late_notices": late_notices(today)}
