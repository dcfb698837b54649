"""What the public agenda shows: the sessions of public events, with filters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from maillon.programme.models import PUBLIC_STATUSES, Session


def public_sessions(
    *,
    library: str = "",
    audience: str = "",
    day: dt.date | None = None,
    until: dt.date | None = None,
    programme: str = "",
) -> QuerySet[Session]:
    """Sessions of published events still to come (or from `day`), soonest first. `library`
    is a library's code: its own events and those it hosts with others."""
    sessions = Session.objects.filter(event__status__in=PUBLIC_STATUSES).select_related(
        "event__library", "event__kind", "room"
    )
    if day is None:
        sessions = sessions.filter(ends_at__gte=timezone.now())
    else:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
        sessions = sessions.filter(ends_at__gte=start)
    if until is not None:
        end = dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        sessions = sessions.filter(starts_at__lt=end)
    if library:
        sessions = sessions.filter(
            Q(event__library__code=library) | Q(event__other_libraries__code=library)
        ).distinct()
    if audience:
        sessions = sessions.filter(event__audience=audience)
    if programme:
        sessions = sessions.filter(event__programme__slug=programme)
    return sessions.order_by("starts_at", "event__title")
