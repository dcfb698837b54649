"""The public part: search, records, libraries. Read only, readable from any site."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.catalogue.models import GONE_STATUSES, ItemStatus, Record
from maillon.catalogue.search import SearchResult, search
from maillon.catalogue.search.params import ParameterError, search_query
from maillon.circulation.models import Loan, Transfer
from maillon.network.models import Library

from . import schemas
from .errors import ApiError, JsonRedirect

router = Router(tags=["catalogue"])
ERRORS = {400: schemas.Error, 404: schemas.Error}


def _public(response: HttpResponse) -> None:
    response["Access-Control-Allow-Origin"] = "*"  # public data, readable from any site


def _record_url(request: HttpRequest, pk: int) -> str:
    return request.build_absolute_uri(reverse("api:record", args=[pk]))


def _next_search_page(request: HttpRequest, result: SearchResult) -> str | None:
    """The same search's next page (the query as sent, its page moved on), if there is one."""
    if result.page >= min(result.pages, schemas.MAX_SEARCH_PAGE):
        return None
    query = request.GET.copy()
    query["page"] = str(result.page + 1)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def search_payload(request: HttpRequest, result: SearchResult) -> dict:
    return {
        "total": result.total,
        "approximate": result.approximate,
        "only_stop_words": result.only_stop_words,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "next": _next_search_page(request, result),
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


@router.get(
    "/search",
    response={200: schemas.SearchResponse, 400: schemas.Error},
    url_name="search",
    summary="Search the network's catalogue",
    operation_id="search",
)
def search_view(request: HttpRequest, response: HttpResponse, params: Query[schemas.SearchParams]):
    _public(response)
    try:
        query = search_query(request.GET)  # also reads repeated and comma-separated values
    except ParameterError as error:
        raise ApiError(400, error.code, error.message) from error
    return search_payload(request, search(query))


def _circulation(items: list) -> tuple[dict[int, dt.date], dict[int, Library]]:
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
                "due_on": due.get(item.pk),
                "transfer_to": (
                    {"code": going[item.pk].code, "name": going[item.pk].name}
                    if item.pk in going
                    else None
                ),
            }
        )
    return list(per_library.values())


class RecordPath(schemas.Schema):
    id: int = schemas.Field(ge=1, description="Record number.")


@router.get(
    "/records/{id}",
    response={200: schemas.Record, 301: schemas.Error, 404: schemas.Error, 400: schemas.Error},
    url_name="record",
    summary="A record with its holdings in every library",
    description="A merged record answers 301 with the surviving record's id and url.",
    operation_id="getRecord",
)
def record_view(request: HttpRequest, response: HttpResponse, path: Path[RecordPath]):
    _public(response)
    pk = path.id
    record = Record.objects.defer("marc").filter(pk=pk).first()
    hops = 0
    while record is not None and record.merged_into_id and hops < 10:
        target, hops = record.merged_into_id, hops + 1
        record = Record.objects.defer("marc").filter(pk=target).first()
    if record is None:
        raise ApiError(404, "record_not_found", _("No record has this number."))
    if record.pk != pk:
        url = _record_url(request, record.pk)
        moved = JsonRedirect(
            url,
            "record_merged",
            _("This record was merged into record %d.") % record.pk,
            id=record.pk,
            url=url,
        )
        _public(moved)
        return moved
    return {
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


class Page(schemas.Schema):
    page: int = schemas.Field(1, ge=1, le=10000)
    per_page: int = schemas.Field(100, ge=1, le=500)


LIBRARY_FIELDS = (
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


@router.get(
    "/libraries",
    response={200: schemas.LibraryList, 400: schemas.Error},
    url_name="libraries",
    summary="The network's libraries, by name",
    operation_id="listLibraries",
)
def libraries_view(request: HttpRequest, response: HttpResponse, paging: Query[Page]):
    _public(response)
    active = Library.objects.filter(is_active=True).order_by("name")
    total = active.count()
    start = (paging.page - 1) * paging.per_page
    libraries = []
    for values in active.values(*LIBRARY_FIELDS)[start : start + paging.per_page]:
        for key in ("latitude", "longitude"):
            values[key] = float(values[key]) if values[key] is not None else None
        libraries.append(values)
    following = None
    if start + paging.per_page < total:
        following = request.build_absolute_uri(
            f"{reverse('api:libraries')}?page={paging.page + 1}&per_page={paging.per_page}"
        )
    return {
        "total": total,
        "page": paging.page,
        "per_page": paging.per_page,
        "next": following,
        "libraries": libraries,
    }
