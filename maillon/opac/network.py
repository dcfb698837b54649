"""The network as the public sees it: its name, the libraries' hours, closures, map links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from maillon.network.models import WEEKDAYS, Closure, Library, LibraryKind, OpeningHours

# Head library first, reading points after member libraries, the departmental library last.
KIND_ORDER: dict[str, int] = {
    LibraryKind.HEAD: 0,
    LibraryKind.MEMBER: 1,
    LibraryKind.READING_POINT: 2,
    LibraryKind.DEPARTMENTAL: 3,
}


def network_name() -> str:
    """`MAILLON_NETWORK_NAME` when the settings give one, else named after the head library."""
    name = getattr(settings, "MAILLON_NETWORK_NAME", "")
    if name:
        return name
    place = (
        Library.objects.filter(kind=LibraryKind.HEAD, is_active=True)
        .order_by("pk")
        .values_list("commune", flat=True)
        .first()
    )
    if place:
        return _("%(place)s library network") % {"place": place}
    return _("Library network")


def public_libraries(today: dt.date) -> QuerySet[Library]:
    """Active libraries with their hours and the closures still to come (prefetched)."""
    return Library.objects.filter(is_active=True).prefetch_related(
        "opening_hours",
        Prefetch(
            "closures", to_attr="upcoming_closures", queryset=Closure.objects.filter(end__gte=today)
        ),
    )


def ordered(libraries) -> list[Library]:
    return sorted(libraries, key=lambda lib: (KIND_ORDER.get(lib.kind, 9), lib.name))


@dataclass
class Day:
    number: int
    name: str
    spans: list[OpeningHours]
    is_today: bool


def week(library: Library, today: dt.date) -> list[Day]:
    """Monday to Sunday with the usual opening spans of each day (several a day possible)."""
    spans: dict[int, list[OpeningHours]] = {}
    for hours in library.opening_hours.all():
        spans.setdefault(hours.weekday, []).append(hours)
    return [
        Day(
            number,
            str(name),
            sorted(spans.get(number, []), key=lambda h: h.opens),
            number == today.isoweekday(),
        )
        for number, name in WEEKDAYS
    ]


def _upcoming(library: Library) -> list[Closure]:
    """The closures prefetched by ``public_libraries``."""
    return library.upcoming_closures  # type: ignore[attr-defined]


def closures_to_come(library: Library) -> list[Closure]:
    return sorted(_upcoming(library), key=lambda c: c.start)


def closed_today(library: Library, today: dt.date) -> Closure | None:
    return next((c for c in _upcoming(library) if c.start <= today <= c.end), None)


def today_spans(library: Library, today: dt.date) -> list[OpeningHours]:
    if closed_today(library, today):
        return []
    return sorted(
        (h for h in library.opening_hours.all() if h.weekday == today.isoweekday()),
        key=lambda h: h.opens,
    )


def map_url(library: Library) -> str:
    if library.latitude is None or library.longitude is None:
        return ""
    lat, lon = f"{library.latitude:.6f}", f"{library.longitude:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def next_shuttle_day(library: Library, today: dt.date) -> dt.date | None:
    """The shuttle's next call after today, skipping closures (uses the prefetched ones)."""
    days = set(library.shuttle_days or [])
    if not days:
        return None
    day = today
    for _i in range(366):
        day += dt.timedelta(days=1)
        if day.isoweekday() in days and not any(
            c.start <= day <= c.end for c in _upcoming(library)
        ):
            return day
    return None
