"""The network calendar: every library's sessions over a period, with what breaks the
programme's coherence — clashes (same audience, same day, libraries close to each other) and
gaps (a library silent for months, an audience nobody serves). Read-only: nothing here writes.

"Close" is data (CalendarRules.clash_km): the distance between the libraries' coordinates, or
the same commune when one has none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from maillon.network.models import Library, LibraryKind
from maillon.programme.models import Audience, CalendarRules, EventStatus, Session

EARTH_KM = 6371.0
# Audiences whose events compete with each other; "everyone" and staff meetings do not.
COMPETING = [a for a in Audience.values if a not in (Audience.ALL, Audience.PROFESSIONALS)]


def local_day(value: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The day of `value` where the network is; pass `zone` when calling it for many values."""
    return value.astimezone(zone or timezone.get_current_timezone()).date()


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def sessions_between(
    start: dt.date,
    end: dt.date,
    *,
    libraries: Iterable[int] | QuerySet[Library] | None = None,
    library: int | None = None,
    audience: str = "",
    kind: str = "",
    programme: str = "",
) -> QuerySet[Session]:
    """Sessions from `start` to `end` (included), drafts too, soonest first. `library` keeps a
    library's own events and those it hosts with others."""
    sessions = Session.objects.filter(
        starts_at__lt=_start(end + dt.timedelta(days=1)), ends_at__gte=_start(start)
    ).select_related("event__library", "event__kind", "room")
    if libraries is not None:
        sessions = sessions.filter(event__library__in=libraries)
    if library is not None:
        sessions = sessions.filter(
            Q(event__library=library) | Q(event__other_libraries=library)
        ).distinct()
    if audience:
        sessions = sessions.filter(event__audience=audience)
    if kind:
        sessions = sessions.filter(event__kind__code=kind)
    if programme:
        sessions = sessions.filter(event__programme__slug=programme)
    return sessions.order_by("starts_at", "event__title")


@dataclass(slots=True)
class ShownEvent:
    pk: int
    title: str
    status: str
    audience: str
    library_id: int
    library: Library
    url: str


@dataclass(slots=True)
class ShownSession:
    """What the calendar shows and judges of a session (the rest is on the event's page)."""

    pk: int
    event_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    event: ShownEvent


def shown(sessions: QuerySet[Session]) -> list[ShownSession]:
    """`sessions` as plain rows, their events and libraries read once: a month of a
    département's network has hundreds of dates, and model instances (with their kind and
    room) cost the page most of its time."""
    rows = list(
        sessions.select_related(None).values_list(
            "pk",
            "starts_at",
            "ends_at",
            "event_id",
            "event__title",
            "event__status",
            "event__audience",
            "event__library_id",
        )
    )
    libraries = Library.objects.in_bulk({row[7] for row in rows})
    url = reverse("programme:event", args=[0])
    events: dict[int, ShownEvent] = {}
    found = []
    for pk, starts_at, ends_at, event_id, title, status, audience, library_id in rows:
        event = events.get(event_id)
        if event is None:
            event = events[event_id] = ShownEvent(
                event_id,
                title,
                status,
                audience,
                library_id,
                libraries[library_id],
                url.replace("/0/", f"/{event_id}/"),
            )
        found.append(ShownSession(pk, event_id, starts_at, ends_at, event))
    return found


def distance_km(a: Library, b: Library) -> float | None:
    """Great-circle distance between two libraries, None when one has no coordinates."""
    values = (a.latitude, a.longitude, b.latitude, b.longitude)
    if any(v is None for v in values):
        return None
    lat1, lon1, lat2, lon2 = (math.radians(float(v or 0)) for v in values)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def close(a: Library, b: Library, rules: CalendarRules) -> bool:
    if a.pk == b.pk:
        return True
    km = distance_km(a, b)
    if km is None:
        return a.commune.strip().lower() == b.commune.strip().lower()
    return km <= rules.clash_km


@dataclass
class Clash:
    day: dt.date
    audience: str
    sessions: list[Session | ShownSession] = field(default_factory=list)

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def libraries(self) -> list[Library]:
        seen: dict[int, Library] = {}
        for s in self.sessions:
            seen.setdefault(s.event.library_id, s.event.library)
        return list(seen.values())


def clashes(sessions: Iterable[Session | ShownSession], rules: CalendarRules) -> list[Clash]:
    """Sessions of different events for the same audience on the same day at libraries close to
    each other. Cancelled events and sessions lasting days (exhibitions) never clash."""
    zone = timezone.get_current_timezone()
    groups: dict[tuple[dt.date, str], list[Session | ShownSession]] = defaultdict(list)
    for s in sessions:
        if s.event.status == EventStatus.CANCELLED or s.event.audience not in COMPETING:
            continue
        if s.ends_at - s.starts_at >= dt.timedelta(days=1):
            continue
        groups[(local_day(s.starts_at, zone), s.event.audience)].append(s)
    near: dict[tuple[int, int], bool] = {}  # a month meets the same pairs of libraries often
    found = []
    for (day, audience), group in sorted(groups.items()):
        involved: set[int] = set()
        for i, s in enumerate(group):
            for t in group[i + 1 :]:
                if s.event_id == t.event_id:
                    continue
                pair = (s.event.library_id, t.event.library_id)
                if pair not in near:
                    near[pair] = close(s.event.library, t.event.library, rules)
                if near[pair]:
                    involved |= {s.pk, t.pk}
        if involved:
            found.append(Clash(day, audience, [s for s in group if s.pk in involved]))
    return found


@dataclass
class Gap:
    library: Library
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def library_gaps(start: dt.date, end: dt.date, rules: CalendarRules) -> list[Gap]:
    """Stretches of at least `rules.gap_months` months in [start, end] when an active library
    (not the departmental library, which serves libraries) has no event that is not cancelled."""
    libraries = list(Library.objects.filter(is_active=True).exclude(kind=LibraryKind.DEPARTMENTAL))
    days: dict[int, set[dt.date]] = defaultdict(set)
    sessions = (
        sessions_between(start, end)
        .exclude(event__status=EventStatus.CANCELLED)
        .values_list("event__library", "event__other_libraries", "starts_at")
    )
    for main, other, starts_at in sessions:
        day = local_day(starts_at)
        days[main].add(day)
        if other is not None:
            days[other].add(day)
    shortest = dt.timedelta(days=round(rules.gap_months * 30.44))
    gaps = []
    for library in libraries:
        edges = [
            start - dt.timedelta(days=1),
            *sorted(days[library.pk]),
            end + dt.timedelta(days=1),
        ]
        for before, after in zip(edges, edges[1:], strict=False):
            if after - before - dt.timedelta(days=1) >= shortest:
                gaps.append(
                    Gap(library, before + dt.timedelta(days=1), after - dt.timedelta(days=1))
                )
    return sorted(gaps, key=lambda g: (g.library.name, g.start))


def unserved_audiences(sessions: Iterable[Session | ShownSession]) -> list[str]:
    """The audiences (among those that compete: children, teenagers…) no event serves."""
    served = {s.event.audience for s in sessions if s.event.status != EventStatus.CANCELLED}
    return [str(Audience(a).label) for a in COMPETING if a not in served]


def outside_hours(library: Library, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """Does a session fall outside the library's opening hours (or on a closed day)? Allowed —
    an evening event is common — but said. Sessions over several days only need the first
    day open. Read the library with its opening hours and closures prefetched."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    hours = library.hours_on(start.date())
    if not hours:
        return True
    if start.date() != end.date():
        return False
    return not any(h.opens <= start.time() and end.time() <= h.closes for h in hours)


def month_from(value: str) -> dt.date:
    """The first day of the month written "2026-12" in a page's address; this month's when the
    value is missing or wrong."""
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def month_weeks(month: dt.date) -> list[list[dt.date]]:
    """The weeks (Monday first) covering `month`'s days, as dates."""
    first = month.replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    following = (first + dt.timedelta(days=32)).replace(day=1)
    weeks = []
    day = start
    while day < following:
        weeks.append([day + dt.timedelta(days=n) for n in range(7)])
        day += dt.timedelta(days=7)
    return weeks
