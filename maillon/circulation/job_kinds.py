"""The circulation's daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.circulation.notices import send_notices
from maillon.circulation.services import anonymise_history, expire_holds
from maillon.jobs.registry import daily_task


@daily_task
def circulation_daily(today: dt.date) -> dict[str, int]:
    """What `maillon circulation-daily` does."""
    expired = expire_holds(today)
    return {"holds_expired": len(expired), **anonymise_history(today)}


@daily_task
def notices(today: dt.date) -> dict[str, int]:
    """What `maillon send-notices` does; messages that failed are tried again the next day."""
    report = send_notices(today)
    return {**report.sent, "failed": report.failed}
