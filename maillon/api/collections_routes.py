"""The staff part for collection policy: weeding candidates and the core collection (read).

Reading needs any staff account; the lists come from the services (maillon.weeding,
maillon.corecollection), which decide what is proposed and what is lacking.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from maillon.corecollection import services as core
from maillon.corecollection.models import CoreList
from maillon.network.permissions import Action, require
from maillon.weeding import candidates
from maillon.weeding.rules import RuleBook

from . import collections_schemas as schemas
from .auth import library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS, require_view
from .errors import ApiError
from .lots_routes import _next
from .schemas import Error

router = Router(tags=["collections"], auth=staff_auth)
READ_ERRORS = {400: Error, 404: Error, 409: Error, **AUTH_ERRORS}


def _named(library) -> dict:
    return {"code": library.code, "name": library.name}


@router.get(
    "/weeding/candidates",
    response={200: schemas.CandidateList, **READ_ERRORS},
    url_name="weeding_candidates",
    summary="What the weeding criteria propose at a library today, with why (paged)",
    operation_id="listWeedingCandidates",
)
def candidates_view(request: HttpRequest, params: Query[schemas.CandidatesQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    library = library_by_code(params.library)
    require(request.auth, Action.VIEW, library)  # type: ignore[attr-defined]
    start = (params.page - 1) * params.per_page
    total, page = candidates.page(library, timezone.localdate(), start, params.per_page)
    labels = candidates.labels(RuleBook(library.pk))
    rows = [
        {
            "barcode": row.barcode,
            "call_number": row.call_number,
            "record": row.proposal.record_id,
            "title": row.title,
            "year": row.year,
            "dewey": row.proposal.dewey,
            "criterion": labels[row.proposal.criterion_id],
            "reasons": {
                **row.proposal.reasons,
                "elsewhere": row.elsewhere,
                "last_copy": row.last_copy,
            },
        }
        for row in page
    ]
    return {
        "library": _named(library),
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": _next(
            request,
            "api:weeding_candidates",
            params.page,
            params.per_page,
            total,
            library=params.library,
        ),
        "candidates": rows,
    }


def _latest() -> CoreList:
    found = core.latest()
    if found is None:
        raise ApiError(
            409, "not_computed", _("The core collection is not computed yet (nightly command).")
        )
    return found


def _core_page(
    request, name: str, found: CoreList, rows, params, for_library=None, **extra
) -> dict:
    total = rows.count()
    start = (params.page - 1) * params.per_page
    return {
        "start": found.start,
        "end": found.end,
        "computed_at": found.computed_at,
        "library": _named(for_library) if for_library else None,
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": _next(request, name, params.page, params.per_page, total, **extra),
        "titles": [
            {
                "record": t.record_id,
                "title": t.record.title,
                "audience": t.audience,
                "doc_type": t.doc_type,
                "rank": t.rank,
                "loans": t.loans,
                "holds": t.holds,
                "libraries": t.libraries,
            }
            for t in rows[start : start + params.per_page]
        ],
    }


@router.get(
    "/core-collection",
    response={200: schemas.CoreList, **READ_ERRORS},
    url_name="core_collection",
    summary="The network's most demanded titles per audience and kind (the latest list)",
    operation_id="getCoreCollection",
)
def core_view(request: HttpRequest, params: Query[schemas.CoreQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    found = _latest()
    rows = core.titles(found, audience=params.audience or "", doc_type=params.doc_type or "")
    return _core_page(
        request,
        "api:core_collection",
        found,
        rows,
        params,
        audience=params.audience,
        doc_type=params.doc_type,
    )


@router.get(
    "/core-collection/gaps",
    response={200: schemas.CoreList, **READ_ERRORS},
    url_name="core_collection_gaps",
    summary="The core titles a library holds no copy of, the most lent first",
    operation_id="getCoreCollectionGaps",
)
def gaps_view(request: HttpRequest, params: Query[schemas.GapsQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    library = library_by_code(params.library)
    found = _latest()
    rows = core.gaps(found, library, audience=params.audience or "")
    if params.doc_type:
        rows = rows.filter(doc_type=params.doc_type)
    return _core_page(
        request,
        "api:core_collection_gaps",
        found,
        rows,
        params,
        library,
        library=params.library,
        audience=params.audience,
        doc_type=params.doc_type,
    )
