"""The cultural programme in /api/v1/: the public agenda's events (read by anyone), events
created by staff, and registrations by a signed-in patron or by staff for a patron or a visitor.

Every change goes through the programme's services (maillon.programme), whose refusals come back
with their code and French message (api.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.circulation.common import find_patron
from maillon.opac.patron_session import current_patron
from maillon.patrons.models import Patron
from maillon.programme import registrations, services
from maillon.programme.models import (
    PUBLIC_STATUSES,
    Event,
    EventKind,
    Programme,
    Room,
    Session,
)

from . import programme_schemas as schemas
from .auth import _csrf_failure, api_user, library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS, WRITE_ERRORS
from .errors import ApiError
from .idempotency import once
from .schemas import Error, Schema
from .schemas import Field as SchemaField

router = Router(tags=["events"])
READ_ERRORS = {400: Error, 404: Error}


class EventPath(Schema):
    id: int = SchemaField(ge=1, description="Event id.")


def _named(library) -> dict:
    return {"code": library.code, "name": library.name}


YEARS = range(1900, 2200)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _day(value: dt.date | None, field: str) -> dt.date | None:
    if value is not None and value.year not in YEARS:
        raise ApiError(
            400,
            f"invalid_{field}",
            _("“%(field)s” is not valid: %(reason)s")
            % {"field": field, "reason": _("the year is out of range.")},
            error_fields={"field": field},
        )
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    """A date and time of the network's zone when it comes without an offset."""
    _day(value.date(), "sessions")
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def event_data(request: HttpRequest, event: Event) -> dict:
    """An event as the API shows it (its sessions and other libraries prefetched)."""
    per_session = event.registration_required and len(event.sessions.all()) > 1
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "kind": event.kind.code,
        "kind_label": event.kind.name,
        "audience": event.audience,
        "audience_label": str(event.get_audience_display()),
        "age_min": event.age_min,
        "age_max": event.age_max,
        "status": event.status,
        "status_label": str(event.get_status_display()),
        "status_note": event.status_note,
        "library": _named(event.library),
        "other_libraries": [_named(lib) for lib in event.other_libraries.all()],
        "programme": event.programme.slug if event.programme else None,
        "attendance_mode": event.attendance_mode,
        "registration_required": event.registration_required,
        "capacity": event.capacity,
        "remaining": registrations.remaining(event),
        "price_note": event.price_note,
        "accessibility": event.accessibility(),
        "sessions": [
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "room": s.room.name if s.room else None,
                "remaining": registrations.remaining(event, s) if per_session else None,
            }
            for s in event.sessions.all()
        ],
        "url": request.build_absolute_uri(reverse("opac:event", args=[event.pk]))
        if event.is_public
        else "",
    }


def _events() -> Any:
    return Event.objects.select_related("library", "kind", "programme").prefetch_related(
        "other_libraries",
        Prefetch("sessions", queryset=Session.objects.select_related("room").order_by("starts_at")),
    )


@router.get(
    "/events",
    response={200: schemas.EventList, **READ_ERRORS},
    url_name="events",
    summary="The public agenda's events, soonest first, with filters",
    operation_id="listEvents",
)
def events_view(request: HttpRequest, params: Query[schemas.EventsQuery]):
    first = _day(params.from_, "from") or timezone.localdate()
    _day(params.to, "to")
    sessions = Session.objects.filter(event__status__in=PUBLIC_STATUSES, ends_at__gte=_start(first))
    if params.to:
        sessions = sessions.filter(starts_at__lt=_start(params.to + dt.timedelta(days=1)))
    if params.library:
        library = library_by_code(params.library)
        sessions = sessions.filter(Q(event__library=library) | Q(event__other_libraries=library))
    if params.audience:
        sessions = sessions.filter(event__audience=params.audience)
    if params.kind:
        sessions = sessions.filter(event__kind__code=params.kind)
    if params.programme:
        sessions = sessions.filter(event__programme__slug=params.programme)
    # Each event once, at its first date in the period.
    order: dict[int, dt.datetime] = {}
    for event_id, starts_at in sessions.order_by("starts_at", "pk").values_list(
        "event", "starts_at"
    ):
        order.setdefault(event_id, starts_at)
    ids = list(order)
    total = len(ids)
    start = (params.page - 1) * params.per_page
    page_ids = ids[start : start + params.per_page]
    found = _events().in_bulk(page_ids)
    following = None
    if start + params.per_page < total:
        query = {
            "page": params.page + 1,
            "per_page": params.per_page,
            "library": params.library,
            "audience": params.audience,
            "kind": params.kind,
            "programme": params.programme,
            "from": params.from_.isoformat() if params.from_ else None,
            "to": params.to.isoformat() if params.to else None,
        }
        following = request.build_absolute_uri(
            f"{reverse('api:events')}?{urlencode({k: v for k, v in query.items() if v})}"
        )
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": following,
        "events": [event_data(request, found[pk]) for pk in page_ids],
    }


def _public_event(pk: int) -> Event:
    event = _events().filter(pk=pk, status__in=PUBLIC_STATUSES).first()
    if event is None:
        raise ApiError(
            404, "unknown_event", _("No public event has the number %(id)s.") % {"id": pk}
        )
    return event


@router.get(
    "/events/{id}",
    response={200: schemas.EventOut, **READ_ERRORS},
    url_name="event",
    summary="One public event: its dates, places left, accessibility",
    operation_id="getEvent",
)
def event_view(request: HttpRequest, path: Path[EventPath]):
    return event_data(request, _public_event(path.id))


def _find(model, **lookup) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is None:
        field = next(iter(lookup))
        raise ApiError(
            404,
            f"unknown_{model._meta.model_name}",
            _("Nothing is known as “%(value)s”.") % {"value": lookup[field]},
            error_fields={"field": field},
        )
    return found


@router.post(
    "/events",
    response={201: schemas.EventOut, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="events_create",
    summary="Create an event with its dates (staff of its library)",
    operation_id="createEvent",
    auth=staff_auth,
)
def create_view(request: HttpRequest, body: schemas.EventIn):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = library_by_code(body.library)
        kind = _find(EventKind, code=body.kind)
        programme = _find(Programme, slug=body.programme) if body.programme else None
        room = _find(Room, pk=body.room) if body.room else None
        with transaction.atomic():
            event = services.create_event(
                user,
                library,
                title=body.title,
                kind=kind,
                description=body.description,
                audience=body.audience,
                age_min=body.age_min,
                age_max=body.age_max,
                capacity=body.capacity,
                registration_required=body.registration_required,
                price_note=body.price_note,
                attendance_mode=body.attendance_mode,
                programme=programme,
            )
            spans = [(_moment(s.starts_at), _moment(s.ends_at)) for s in body.sessions]
            services.add_sessions(user, event, spans, room)
            if body.publish:
                services.publish(user, event)
        return 201, schemas.EventOut.model_validate(event_data(request, _events().get(pk=event.pk)))

    return once(request, user, work)


def patron_or_staff(request: HttpRequest) -> Any:
    """A patron signed in on the public catalogue (CSRF checked), else a staff token or
    session (api_user's refusals)."""
    if not request.headers.get("Authorization"):
        patron = current_patron(request)
        if patron is not None:
            if _csrf_failure(request):
                raise ApiError(
                    403, "csrf_failed", _("The CSRF check failed: reload the page and try again.")
                )
            return patron
    return api_user(request)


@router.post(
    "/events/{id}/registrations",
    response={201: schemas.RegistrationOut, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="event_registrations",
    summary="Register for an event: registered, or on the waiting list when full",
    operation_id="registerForEvent",
    auth=patron_or_staff,
)
def register_view(request: HttpRequest, path: Path[EventPath], body: schemas.RegistrationIn):
    caller = request.auth  # type: ignore[attr-defined]
    is_patron = isinstance(caller, Patron)

    def work():
        event = _public_event(path.id)
        session = _find(Session, pk=body.session, event=event) if body.session else None
        if is_patron:
            if body.card:
                raise ApiError(
                    403, "staff_only", _("Only staff register someone else by card number.")
                )
            patron = caller
        else:
            patron = find_patron(body.card) if body.card else None
        registration = registrations.register(
            event,
            session=session,
            patron=patron,
            name=body.name,
            email=body.email,
            phone=body.phone,
            places=body.places,
            base_url=request.build_absolute_uri("/"),
        )
        return 201, schemas.RegistrationOut.model_validate(
            {
                "id": registration.pk,
                "event": event.pk,
                "session": registration.session_id,
                "status": registration.status,
                "places": registration.places,
                "cancel_url": request.build_absolute_uri(
                    reverse("opac:registration", args=[registration.token])
                ),
            }
        )

    # Idempotency keys are kept per caller: a patron must not share a staff user's keys.
    keyed = SimpleNamespace(pk=f"patron-{caller.pk}") if is_patron else caller
    return once(request, keyed, work)
