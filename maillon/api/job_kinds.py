"""The API's daily work: Idempotency-Keys are kept 24 hours."""

import datetime as dt

from maillon.api.idempotency import purge
from maillon.jobs.registry import daily_task


@daily_task
def purge_idempotency_keys(today: dt.date) -> dict[str, int]:
    return {"deleted": purge()}
