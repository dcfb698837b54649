"""Public read-only JSON API, version 1. Thin: search and records come from the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from maillon.catalogue.models import GONE_STATUSES, ItemStatus, Record
from maillon.catalogue.search import SearchResult, search
from maillon.catalogue.search.params import ParameterError, search_query
from maillon.circulation.models import Loan, Transfer
from maillon.network.models import Library

from .errors import ApiError, JsonRedirect, error_response
from .openapi import openapi_document


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, readable from any site
    return response


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """GET (and HEAD) only; ApiError becomes its JSON answer."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        if request.method not in ("GET", "HEAD"):
            response = error_response(
                405, "method_not_allowed", _("This address only answers GET requests.")
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return error.response()

    return wrapper


def _record_url(request: HttpRequest, pk: int) -> str:
    return request.build_absolute_uri(reverse("api:record", args=[pk]))


def search_payload(request: HttpRequest, result: SearchResult) -> dict:
    return {
        "total": result.total,
        "approximate": result.approximate,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "subtitle": hit.subtitle,
                "authors": hit.authors,
                "year": hit.year,
                "doc_type": hit.doc_type,
                "isbn": hit.isbn,
                "url": _record_url(request, hit.id),
            }
            for hit in result.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
    }


@api_view
def search_view(request: HttpRequest) -> JsonResponse:
    try:
        query = search_query(request.GET)
    except ParameterError as error:
        raise ApiError(400, error.code, error.message) from error
    return _json(search_payload(request, search(query)))


def _circulation(items: list) -> tuple[dict[int, object], dict[int, Library]]:
    """Due date of each copy on loan and destination of each copy in transit: two queries
    for the whole record, however many copies."""
    ids = [item.pk for item in items]
    due = dict(
        Loan.objects.filter(item_id__in=ids, returned_at__isnull=True).values_list(
            "item_id", "due_on"
        )
    )
    going = {
        transfer.item_id: transfer.to_library
        for transfer in Transfer.objects.filter(
            item_id__in=ids, received_at__isnull=True, cancelled_at__isnull=True
        ).select_related("to_library")
    }
    return due, going


def _holdings(record: Record) -> list[dict]:
    per_library: dict[int, dict] = {}
    items = list(
        record.items.exclude(status__in=GONE_STATUSES)
        .select_related("home", "current", "item_type", "collection")
        .order_by("home__name", "call_number", "id")
    )
    due, going = _circulation(items)
    for item in items:
        library = per_library.setdefault(
            item.home_id,
            {
                "library": {"code": item.home.code, "name": item.home.name},
                "available": 0,
                "items": [],
            },
        )
        library["available"] += item.status == ItemStatus.AVAILABLE
        library["items"].append(
            {
                "call_number": item.call_number,
                "status": item.status,
                "status_label": str(item.get_status_display()),
                "item_type": {"code": item.item_type.code, "name": item.item_type.name},
                "collection": item.collection.name if item.collection else None,
                "current_library": (item.current.code if item.current_id != item.home_id else None),
                "due_on": due[item.pk].isoformat() if item.pk in due else None,
                "transfer_to": (
                    {"code": going[item.pk].code, "name": going[item.pk].name}
                    if item.pk in going
                    else None
                ),
            }
        )
    return list(per_library.values())


@api_view
def record_view(request: HttpRequest, pk: int) -> JsonResponse:
    record = Record.objects.defer("marc").filter(pk=pk).first()
    hops = 0
    while record is not None and record.merged_into_id and hops < 10:
        target, hops = record.merged_into_id, hops + 1
        record = Record.objects.defer("marc").filter(pk=target).first()
    if record is None:
        raise ApiError(404, "record_not_found", _("No record has this number."))
    if record.pk != pk:
        url = _record_url(request, record.pk)
        response = JsonRedirect(
            url,
            "record_merged",
            _("This record was merged into record %d.") % record.pk,
            id=record.pk,
            url=url,
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return _json(
        {
            "id": record.pk,
            "title": record.title,
            "subtitle": record.subtitle,
            "other_titles": record.other_titles,
            "authors": record.authors,
            "publisher": record.publisher,
            "year": record.year,
            "isbn": record.isbn,
            "language": record.language,
            "classification": record.classification,
            "subjects": record.subjects,
            "series": record.series,
            "summary": record.summary,
            "doc_type": record.doc_type,
            "audience": record.audience,
            "holdings": _holdings(record),
        }
    )


@api_view
def libraries_view(request: HttpRequest) -> JsonResponse:
    fields = (
        "code",
        "name",
        "kind",
        "commune",
        "postcode",
        "address",
        "phone",
        "email",
        "website",
        "latitude",
        "longitude",
    )
    libraries = []
    for values in Library.objects.filter(is_active=True).order_by("name").values(*fields):
        for key in ("latitude", "longitude"):
            values[key] = float(values[key]) if values[key] is not None else None
        libraries.append(values)
    return _json({"libraries": libraries})


@api_view
def openapi_view(request: HttpRequest) -> JsonResponse:
    return _json(openapi_document(request.build_absolute_uri("/api/v1")))


@api_view
def not_found_view(request: HttpRequest, path: str = "") -> JsonResponse:
    raise ApiError(404, "not_found", _("There is nothing at this address of the API."))
