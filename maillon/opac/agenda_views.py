"""The public agenda: the network's cultural programme, filtered by library, audience and date."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from maillon.network.models import Library
from maillon.opac import network
from maillon.opac.views import not_found
from maillon.programme.agenda import public_sessions
from maillon.programme.models import Audience, Event

PAGE = 60


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def agenda(request: HttpRequest) -> HttpResponse:
    library = request.GET.get("bibliotheque", "")[:20]
    audience = request.GET.get("public", "")
    if audience not in Audience.values:
        audience = ""
    day = _date(request.GET.get("du", ""))
    until = _date(request.GET.get("au", ""))
    sessions = list(
        public_sessions(library=library, audience=audience, day=day, until=until)[:PAGE]
    )
    return render(
        request,
        "opac/agenda.html",
        {
            "network_name": network.network_name(),
            "sessions": sessions,
            "libraries": Library.objects.filter(is_active=True).order_by("name"),
            "audiences": Audience.choices,
            "library": library,
            "audience": audience,
            "day": day,
            "until": until,
            "today": timezone.localdate(),
        },
    )


def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = (
        Event.objects.select_related("library", "kind")
        .prefetch_related("other_libraries", "partners")
        .filter(pk=pk)
        .first()
    )
    if event is None or not event.is_public:
        return not_found(request)
    return render(
        request,
        "opac/event.html",
        {
            "network_name": network.network_name(),
            "event": event,
            "sessions": event.sessions.select_related("room").filter(ends_at__gte=timezone.now()),
            "map_url": network.map_url(event.library),
        },
    )
