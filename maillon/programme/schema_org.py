"""An event as schema.org/Event JSON-LD on its public page, so that search engines and the
agendas that read pages list it with its dates, place and status: one Event per date to come
(as search engines expect for an event with several dates)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from maillon.programme.models import AttendanceMode, Event, EventStatus, Session

SCHEMA = "https://schema.org/"
STATUS = {
    EventStatus.PUBLISHED: "EventScheduled",
    EventStatus.FULL: "EventScheduled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.CANCELLED: "EventCancelled",
}
MODE = {
    AttendanceMode.ON_SITE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}
# A <script> block ends at "</": these characters are written as escapes inside the JSON.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _place(event: Event, library_url: str) -> list[dict] | dict:
    library = event.library
    place: dict = {
        "@type": "Place",
        "name": library.name,
        "url": library_url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": library.address,
            "postalCode": library.postcode,
            "addressLocality": library.commune,
            "addressCountry": "FR",
        },
    }
    if event.attendance_mode == AttendanceMode.ON_SITE or not event.online_link:
        return place
    online: dict = {"@type": "VirtualLocation", "url": event.online_link}
    return online if event.attendance_mode == AttendanceMode.ONLINE else [place, online]


def event_json_ld(
    event: Event, sessions: Iterable[Session], page_url: str, library_url: str
) -> SafeString:
    """The JSON-LD of `event`'s `sessions`, ready to go inside a script block."""
    common: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page_url,
        "eventStatus": SCHEMA + STATUS.get(EventStatus(event.status), "EventScheduled"),
        "eventAttendanceMode": SCHEMA + MODE[AttendanceMode(event.attendance_mode)],
        "location": _place(event, library_url),
        "organizer": {"@type": "Organization", "name": event.library.name, "url": library_url},
        "isAccessibleForFree": not event.price_note,
    }
    if event.description:
        common["description"] = event.description
    if event.age_min is not None or event.age_max is not None:
        common["typicalAgeRange"] = f"{event.age_min or 0}-{event.age_max or ''}"
    dates = [
        {
            **common,
            "startDate": timezone.localtime(s.starts_at).isoformat(),
            "endDate": timezone.localtime(s.ends_at).isoformat(),
        }
        for s in sessions
    ]
    found = dates[0] if len(dates) == 1 else dates
    return mark_safe(json.dumps(found, ensure_ascii=False).translate(ESCAPES))  # noqa: S308
