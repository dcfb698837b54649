"""The staff part for the animation resources: what is free over a period, booking and
cancelling. Every change goes through the bookings service; a refusal comes back with its code,
its French message and what would work (`details.proposal`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.bookings import availability, services
from maillon.bookings.models import Booking, Resource

from . import bookings_schemas as schemas
from .auth import library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS, WRITE_ERRORS, require_view
from .errors import ApiError
from .idempotency import once
from .schemas import Error, Schema
from .schemas import Field as SchemaField

router = Router(tags=["bookings"], auth=staff_auth)
READ_ERRORS = {400: Error, 404: Error, **AUTH_ERRORS}


def booking_data(booking: Booking) -> dict:
    booking = Booking.objects.select_related("resource", "library").get(pk=booking.pk)
    return {
        "id": booking.pk,
        "resource": booking.resource_id,
        "resource_title": booking.resource.title,
        "library": {"code": booking.library.code, "name": booking.library.name},
        "start": booking.start,
        "end": booking.end,
        "taken_until": booking.taken_until(timezone.localdate()),
        "status": booking.status,
        "status_label": str(booking.get_status_display()),
    }


@router.get(
    "/resources",
    response={200: schemas.ResourceList, **READ_ERRORS},
    url_name="resources",
    summary="Animation resources, with their availability over a period",
    operation_id="listResources",
)
def resources_view(request: HttpRequest, params: Query[schemas.ResourcesQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    if (params.start is None) != (params.end is None):
        raise ApiError(400, "period_incomplete", _("Give both the first and the last day."))
    if params.start and params.end and params.end < params.start:
        raise ApiError(400, "end_before_start", _("The last day comes before the first."))
    found = Resource.objects.select_related("kind", "owner").order_by("kind__name", "title", "pk")
    if params.kind:
        found = found.filter(kind__code=params.kind)
    if params.owner:
        found = found.filter(owner=library_by_code(params.owner))
    if params.barcode:
        found = found.filter(barcode__iexact=params.barcode.strip())
    total = found.count()
    first = (params.page - 1) * params.per_page
    page = list(found[first : first + params.per_page])
    today = timezone.localdate()
    spans: dict[int, list[tuple[dt.date, dt.date]]] = {}
    rules = {}
    if params.start and params.end:
        last = params.end + dt.timedelta(days=availability.longest_buffer())
        spans = availability.taken_spans([r.pk for r in page], params.start, last, today)
        rules = availability.rules_for(page)
    following = None
    if first + params.per_page < total:
        query = {
            k: v
            for k, v in {
                "page": params.page + 1,
                "per_page": params.per_page,
                "start": params.start,
                "end": params.end,
                "kind": params.kind,
                "owner": params.owner,
                "barcode": params.barcode,
            }.items()
            if v
        }
        following = request.build_absolute_uri(f"{reverse('api:resources')}?{urlencode(query)}")
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": following,
        "resources": [
            {
                "id": resource.pk,
                "title": resource.title,
                "barcode": resource.barcode,
                "crates": resource.crates,
                "kind": resource.kind.code,
                "kind_label": resource.kind.name,
                "owner": {"code": resource.owner.code, "name": resource.owner.name},
                "audience": resource.audience,
                "bookable": resource.bookable,
                "available": (
                    resource.bookable
                    and availability.fits(
                        rules[resource.pk],
                        spans.get(resource.pk, []),
                        params.start,
                        params.end,
                        today,
                    )
                )
                if params.start and params.end
                else None,
                "taken": [{"start": s, "until": u} for s, u in spans.get(resource.pk, [])],
            }
            for resource in page
        ],
    }


@router.post(
    "/bookings",
    response={201: schemas.Booking, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="bookings",
    summary="Book a resource for a library: the booking, or the rule that refuses it",
    operation_id="book",
)
def bookings_view(request: HttpRequest, body: schemas.BookingRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        resource = Resource.objects.filter(pk=body.resource).first()
        if resource is None:
            raise ApiError(404, "resource_not_found", _("No resource has this number."))
        library = library_by_code(body.library)
        booking = services.request_booking(user, library, resource, body.start, body.end)
        return 201, schemas.Booking.model_validate(booking_data(booking))

    return once(request, user, work)


class BookingPath(Schema):
    id: int = SchemaField(ge=1, description="Booking number.")


@router.delete(
    "/bookings/{id}",
    response={200: schemas.Booking, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="booking",
    summary="Cancel a booking (its library, before delivery)",
    operation_id="cancelBooking",
)
def booking_view(request: HttpRequest, path: Path[BookingPath]):
    user = request.auth  # type: ignore[attr-defined]
    booking = Booking.objects.filter(pk=path.id).first()
    if booking is None:
        raise ApiError(404, "booking_not_found", _("No booking has this number."))
    booking = services.cancel(user, booking)
    return booking_data(booking)
