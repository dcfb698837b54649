"""The programme's daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.jobs.registry import daily_task
from maillon.programme.registrations import send_reminders


@daily_task
def event_reminders(today: dt.date) -> dict[str, int]:
    """The day before an event, a reminder to everyone registered."""
    return {"reminders": send_reminders(today)}
