"""The programme's figures for a library or the network over a period — what the annual survey
asks about cultural action: events by kind and audience, sessions, hours, attendance
(registered, present, counted by age band), class visits and pupils, partners involved.

The statistics app calls ``for_period(library, start, end)`` (library None: the whole network).
Rules: drafts and cancelled events do not count; an event counts for its own library and the
libraries it is shared with; a session counts once, on the day it starts; hours are those of
sessions shorter than a day (an exhibition open for weeks counts as an event and a session,
not as hundreds of hours); attendance is the registered places that came plus the head counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from maillon.network.models import Library
from maillon.programme.models import (
    Audience,
    ClassVisit,
    Event,
    EventStatus,
    Headcount,
    Registration,
    RegistrationStatus,
    Session,
)

COUNTED = [s for s in EventStatus.values if s not in (EventStatus.DRAFT, EventStatus.CANCELLED)]


@dataclass
class Figures:
    library: Library | None
    start: dt.date
    end: dt.date
    events: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_audience: dict[str, int] = field(default_factory=dict)
    sessions: int = 0
    hours: float = 0.0
    registered: int = 0
    present: int = 0
    counted: int = 0
    counted_by_band: dict[str, int] = field(default_factory=dict)
    class_visits: int = 0
    classes: int = 0
    pupils: int = 0
    partners: int = 0

    @property
    def attendance(self) -> int:
        """People who came: registered and present, plus those counted at the door."""
        return self.present + self.counted


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def _sessions(library: Library | None, start: dt.date, end: dt.date) -> QuerySet[Session]:
    low, high = _bounds(start, end)
    sessions = Session.objects.filter(
        starts_at__gte=low, starts_at__lt=high, event__status__in=COUNTED
    )
    if library is not None:
        sessions = sessions.filter(
            Q(event__library=library) | Q(event__other_libraries=library)
        ).distinct()
    return sessions


def for_period(library: Library | None, start: dt.date, end: dt.date) -> Figures:
    """The figures of `library` (None: the network) from `start` to `end`, both included."""
    figures = Figures(library, start, end)
    sessions = list(_sessions(library, start, end).values("pk", "event", "starts_at", "ends_at"))
    event_ids = {s["event"] for s in sessions}
    session_ids = [s["pk"] for s in sessions]
    figures.sessions = len(sessions)
    figures.hours = round(
        sum(
            (s["ends_at"] - s["starts_at"]).total_seconds() / 3600
            for s in sessions
            if s["ends_at"] - s["starts_at"] < dt.timedelta(days=1)
        ),
        2,
    )
    events = Event.objects.filter(pk__in=event_ids).select_related("kind")
    figures.events = len(event_ids)
    figures.by_kind = dict(Counter(e.kind.name for e in events).most_common())
    labels = dict(Audience.choices)
    figures.by_audience = dict(Counter(str(labels[e.audience]) for e in events).most_common())
    # Registrations of those sessions, or of the whole event when the event has a session here.
    registrations = Registration.objects.filter(status=RegistrationStatus.CONFIRMED).filter(
        Q(session__in=session_ids) | Q(session__isnull=True, event__in=event_ids)
    )
    figures.registered = registrations.aggregate(n=Sum("places"))["n"] or 0
    figures.present = registrations.filter(attended=True).aggregate(n=Sum("places"))["n"] or 0
    bands = Headcount.objects.filter(session__in=session_ids).aggregate(
        **{band: Sum(band) for band in Headcount.BANDS}
    )
    figures.counted_by_band = {band: bands[band] or 0 for band in Headcount.BANDS}
    figures.counted = sum(figures.counted_by_band.values())
    low, high = _bounds(start, end)
    visits = ClassVisit.objects.filter(starts_at__gte=low, starts_at__lt=high, cancelled=False)
    if library is not None:
        visits = visits.filter(library=library)
    rows = list(visits.values("partner", "class_name", "pupils", "pupils_came"))
    figures.class_visits = len(rows)
    figures.classes = len({(r["partner"], r["class_name"].strip().lower()) for r in rows})
    figures.pupils = sum(
        r["pupils_came"] if r["pupils_came"] is not None else r["pupils"] for r in rows
    )
    partners = set(
        Event.partners.through.objects.filter(event__in=event_ids).values_list("partner", flat=True)
    )
    figures.partners = len(partners | {r["partner"] for r in rows})
    return figures


def per_library(start: dt.date, end: dt.date) -> list[Figures]:
    """Every active library's figures, then the network's (last)."""
    libraries = Library.objects.filter(is_active=True).order_by("name")
    return [*(for_period(lib, start, end) for lib in libraries), for_period(None, start, end)]
