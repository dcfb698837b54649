"""The public agenda: the network's cultural programme, filtered by library, audience and date."""

from __future__ import annotations

import datetime as dt

import icalendar
from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library
from maillon.opac import network
from maillon.opac.patron_session import current_patron
from maillon.opac.views import not_found
from maillon.programme import dates, openagenda, programmes, registrations, schema_org
from maillon.programme.agenda import public_sessions
from maillon.programme.calendar import month_from, month_weeks
from maillon.programme.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    Audience,
    Event,
    EventStatus,
    Programme,
    Registration,
    Session,
)
from maillon.programme.services import ProgrammeError

PAGE = 60
MONTH_LIMIT = 2000  # a month of a département's network; the list view shows the rest
DAY_LINES = 6  # a day of the month shows this many dates, then "N more" (the list has all)
ICAL_LIMIT = 2000


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def agenda(request: HttpRequest) -> HttpResponse:
    """The events to come as a list (60 dates from a day on), or a month as a calendar."""
    library = request.GET.get("bibliotheque", "")[:20]
    audience = request.GET.get("public", "")
    if audience not in Audience.values:
        audience = ""
    day = _date(request.GET.get("du", ""))
    until = _date(request.GET.get("au", ""))
    programme = request.GET.get("programme", "")[:80]
    view = "mois" if request.GET.get("vue") == "mois" else "liste"
    month = month_from(request.GET.get("mois", ""))
    following = (month + dt.timedelta(days=32)).replace(day=1)
    if view == "mois":
        day, until = month, following - dt.timedelta(days=1)
    found = public_sessions(
        library=library, audience=audience, day=day, until=until, programme=programme
    )
    if view == "mois":
        # A month of the network has hundreds of dates: only what the grid shows is read.
        found = (
            found.select_related(None)
            .select_related("event__library")
            .only(
                "starts_at",
                "ends_at",
                "event__title",
                "event__status",
                "event__audience",
                "event__library__name",
            )
        )
    sessions = list(found[:PAGE] if view == "liste" else found[:MONTH_LIMIT])
    # Labels looked up once: get_FOO_display hashes lazy choices on every call.
    audiences = {value: str(label) for value, label in Audience.choices}
    statuses = {value: str(label) for value, label in EventStatus.choices}
    return render(
        request,
        "opac/agenda.html",
        {
            "network_name": network.network_name(),
            "view": view,
            "sessions": [
                (s, audiences[s.event.audience], statuses[s.event.status]) for s in sessions
            ],
            "weeks": _month_grid(month, sessions) if view == "mois" else [],
            "month": month,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "following": following,
            "libraries": Library.objects.filter(is_active=True).order_by("name"),
            "audiences": Audience.choices,
            "library": library,
            "audience": audience,
            "day": day if view == "liste" else None,
            "until": until if view == "liste" else None,
            "today": timezone.localdate(),
            "programmes": Programme.objects.filter(
                ends_on__gte=timezone.localdate(), events__status__in=PUBLIC_STATUSES
            )
            .distinct()
            .order_by("starts_on"),
            "programme": programme,
        },
    )


def _month_grid(month: dt.date, sessions: list[Session]) -> list[list[dict]]:
    """The month's weeks, each day with its dates (an exhibition shows on its first day)."""
    zone = timezone.get_current_timezone()
    by_day: dict[dt.date, list[Session]] = {}
    for session in sessions:
        start = max(session.starts_at.astimezone(zone).date(), month)
        by_day.setdefault(start, []).append(session)
    return [
        [
            {
                "day": d,
                "sessions": by_day.get(d, [])[:DAY_LINES],
                "more": max(len(by_day.get(d, [])) - DAY_LINES, 0),
                "in_month": d.month == month.month,
            }
            for d in week
        ]
        for week in month_weeks(month)
    ]


def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = (
        Event.objects.select_related("library", "kind")
        .prefetch_related("other_libraries", "partners")
        .filter(pk=pk)
        .first()
    )
    if event is None or not event.is_public:
        return not_found(request)
    now = timezone.now()
    sessions = list(event.sessions.select_related("room").filter(ends_at__gte=now))
    patron = current_patron(request)
    registration_open = (
        event.registration_required
        and bool(event.capacity)
        and event.status in OPEN_STATUSES
        and any(s.starts_at > now for s in sessions)
    )
    form = None
    if registration_open:
        upcoming = [s for s in sessions if s.starts_at > now]
        form = RegistrationForm(request.POST or None, event=event, sessions=upcoming, patron=patron)
        if request.method == "POST" and form.is_valid():
            answer = _register(request, event, form)
            if answer is not None:
                return answer
    return render(
        request,
        "opac/event.html",
        {
            "network_name": network.network_name(),
            "event": event,
            "sessions": sessions,
            "map_url": network.map_url(event.library),
            "registration_open": registration_open,
            "form": form,
            "patron": patron,
            "left": registrations.remaining(event) if registration_open else None,
            "json_ld": schema_org.event_json_ld(
                event,
                sessions,
                request.build_absolute_uri(),
                request.build_absolute_uri(reverse("opac:library", args=[event.library.code])),
            ),
        },
    )


def _session_label(session: Session) -> str:
    return dates.span(session.starts_at, session.ends_at)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    places = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=registrations.MAX_PLACES, initial=1
    )
    session = forms.ModelChoiceField(
        label=_("Date"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("all the dates"),
    )

    def __init__(self, *args, event: Event, sessions, patron=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        if len(sessions) > 1:
            field.queryset = event.sessions.filter(pk__in=[s.pk for s in sessions])
            field.label_from_instance = _session_label  # type: ignore[method-assign,assignment]
        else:
            del self.fields["session"]
        if patron is not None:
            del self.fields["name"], self.fields["email"], self.fields["phone"]


def _register(request: HttpRequest, event: Event, form: RegistrationForm) -> HttpResponse | None:
    data = form.cleaned_data
    patron = current_patron(request)
    try:
        registration = registrations.register(
            event,
            session=data.get("session"),
            patron=patron,
            name=data.get("name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            places=data["places"],
            base_url=request.build_absolute_uri("/"),
        )
    except ProgrammeError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    return redirect("opac:registration", registration.token)


def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    """What the person registered sees after registering, and the link in their e-mail."""
    registration = (
        Registration.objects.select_related("event__library", "session").filter(token=token).first()
    )
    if registration is None:
        return not_found(request)
    if request.method == "POST":
        promoted = registrations.cancel(registration, base_url=request.build_absolute_uri("/"))
        del promoted
        registration.refresh_from_db()
    return render(
        request,
        "opac/registration.html",
        {"network_name": network.network_name(), "registration": registration},
    )


def ical(request: HttpRequest, code: str = "") -> HttpResponse:
    """The agenda as an iCalendar feed: the network's, or one library's."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Maillon//agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", network.network_name())
    host = request.get_host()
    for session in public_sessions(library=code)[:ICAL_LIMIT]:
        event = session.event
        entry = icalendar.Event()
        entry.add("uid", f"session-{session.pk}@{host}")
        entry.add("summary", event.title)
        entry.add("dtstart", session.starts_at)
        entry.add("dtend", session.ends_at)
        entry.add("dtstamp", event.created_at)
        place = event.library.name + (f", {session.room.name}" if session.room else "")
        entry.add("location", f"{place}, {event.library.address} {event.library.commune}".strip())
        entry.add("description", event.description)
        entry.add("url", request.build_absolute_uri(reverse("opac:event", args=[event.pk])))
        if event.status == EventStatus.CANCELLED:
            entry.add("status", "CANCELLED")
        calendar.add_component(entry)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def openagenda_export(request: HttpRequest) -> JsonResponse:
    """The published events in OpenAgenda's shape (?bibliotheque=CODE for one library)."""
    code = request.GET.get("bibliotheque", "")[:20]

    def page(event: Event) -> str:
        return request.build_absolute_uri(reverse("opac:event", args=[event.pk]))

    events = [openagenda.shape(e, page) for e in openagenda.public_events(code)[:ICAL_LIMIT]]
    return JsonResponse({"events": events}, json_dumps_params={"ensure_ascii": False})


def programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A festival's public page: its published dates across the network, day by day."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        return not_found(request)
    sessions = list(programmes.sessions_of(programme, public=True))
    return render(
        request,
        "opac/programme.html",
        {
            "network_name": network.network_name(),
            "programme": programme,
            "sessions": sessions,
            "libraries": sorted({s.event.library for s in sessions}, key=lambda lib: lib.name),
        },
    )


def programme_leaflet(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme as a leaflet to print (PDF)."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        return not_found(request)
    response = HttpResponse(
        programmes.leaflet_pdf(programme, network.network_name()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{programme.slug}.pdf"'
    return response
