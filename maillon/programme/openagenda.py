"""Published events shaped like OpenAgenda's event model, so that a network hands its programme
to its département's agenda without retyping (docs: OpenAgenda API v3, event fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.timezone import localtime

from maillon.programme.models import PUBLIC_STATUSES, Event, EventStatus, Session

# OpenAgenda's status numbers.
STATUS = {
    EventStatus.PUBLISHED: 1,
    EventStatus.RESCHEDULED: 2,
    EventStatus.POSTPONED: 4,
    EventStatus.FULL: 5,
    EventStatus.CANCELLED: 6,
}
SHORT = 200  # OpenAgenda's short description is at most 200 characters


def public_events(library: str = "") -> QuerySet[Event]:
    events = (
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("library", "kind")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))
        .order_by("pk")
    )
    if library:
        events = events.filter(library__code=library)
    return events


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rsplit(" ", 1)[0] + "…"


def shape(event: Event, page_url: Callable[[Event], str], lang: str = "fr") -> dict[str, Any]:
    library = event.library
    location: dict[str, Any] = {
        "name": library.name,
        "address": ", ".join(p for p in (library.address, library.commune) if p),
        "postalCode": library.postcode,
        "city": library.commune,
    }
    if library.latitude is not None and library.longitude is not None:
        location["latitude"] = float(library.latitude)
        location["longitude"] = float(library.longitude)
    shaped: dict[str, Any] = {
        "extIds": [{"key": "maillon", "value": str(event.pk)}],
        "title": {lang: event.title},
        "description": {lang: _short(event.description or event.title)},
        "longDescription": {lang: event.description},
        "keywords": {lang: [event.kind.name]},
        "conditions": {lang: event.price_note} if event.price_note else {},
        "timings": [
            {"begin": localtime(s.starts_at).isoformat(), "end": localtime(s.ends_at).isoformat()}
            for s in event.sessions.all()
        ],
        "location": location,
        "attendanceMode": event.attendance_mode,
        "age": {"min": event.age_min, "max": event.age_max},
        "accessibility": {
            "hi": event.hearing,
            "ii": event.intellectual,
            "vi": event.visual,
            "pi": event.psychic,
            "mi": event.motor,
        },
        "registration": [{"type": "link", "value": page_url(event)}]
        if event.registration_required
        else [],
        "status": STATUS.get(EventStatus(event.status), 1),
    }
    if event.online_link:
        shaped["onlineAccessLink"] = event.online_link
    return shaped
