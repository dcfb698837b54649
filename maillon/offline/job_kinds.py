"""The offline desk's daily work, run by the worker at MAILLON_DAILY_AT (see maillon.jobs)."""

import datetime as dt

from maillon.jobs.registry import daily_task
from maillon.offline.services import forget_cards


@daily_task
def offline_daily(today: dt.date) -> dict[str, int]:
    """Card numbers of settled offline operations past the loan history's delay are removed."""
    return {"offline_cards_forgotten": forget_cards(today)}
