"""The day's events in numbers, for the staff home page (asked through core.usage)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.network.models import Library
from maillon.programme.calendar import sessions_between
from maillon.programme.models import EventStatus

# Dates that happen: a draft is not announced, a postponed or cancelled event does not take place.
TAKING_PLACE = [EventStatus.PUBLISHED, EventStatus.FULL, EventStatus.RESCHEDULED]


def today_counts(library: Library | None, today: dt.date) -> list[dict]:
    """The dates of events starting today at `library` (its own and those it hosts with
    others), or in the whole network; the link opens that day in the calendar's list."""
    sessions = sessions_between(today, today).filter(
        event__status__in=TAKING_PLACE, starts_at__date=today
    )
    query = f"?vue=liste&mois={today:%Y-%m}"
    if library is not None:
        sessions = sessions.filter(
            Q(event__library=library) | Q(event__other_libraries=library)
        ).distinct()
        query += f"&bibliotheque={library.code}"
    return [
        {
            "label": _("events today"),
            "count": sessions.count(),
            "url": f"{reverse('programme:calendar')}{query}#j-{today.isoformat()}",
        }
    ]
