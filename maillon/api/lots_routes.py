"""The staff part for collections on the move: lots (read, send, receive) and circulation plans
with their exchange grid.

Every change goes through the lots service (maillon.lots.services), whose refusals come back
with their code and French message (api.py); reading needs any staff account.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.catalogue.items import status_label
from maillon.lots import services as lots
from maillon.lots.models import Lot
from maillon.network.permissions import Action, can
from maillon.rotation import services as plans
from maillon.rotation.models import Plan

from . import lots_schemas as schemas
from .auth import acting_library, library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS, WRITE_ERRORS, require_view
from .errors import ApiError
from .idempotency import once
from .schemas import Error, Schema
from .schemas import Field as SchemaField

router = Router(tags=["lots"], auth=staff_auth)
READ_ERRORS = {400: Error, 404: Error, **AUTH_ERRORS}


class LotPath(Schema):
    code: str = SchemaField(min_length=1, max_length=20, description="Lot code (LOT00012).")


def _named(library) -> dict:
    return {"code": library.code, "name": library.name}


def _summary(lot: Lot, count: int) -> dict:
    return {
        "code": lot.code,
        "name": lot.name,
        "status": lot.state,
        "status_label": str(lot.get_state_display()),
        "station": _named(lot.station),
        "destination": _named(lot.destination) if lot.destination else None,
        "count": count,
    }


def lot_data(lot: Lot) -> dict:
    lot = Lot.objects.select_related("station", "destination").get(pk=lot.pk)
    contents = lots.contents(lot)
    return {
        **_summary(lot, contents.count),
        "value": f"{contents.value:.2f}",
        "unpriced": contents.unpriced,
        "items": [
            {
                "barcode": item.barcode,
                "title": item.record.title,
                "call_number": item.call_number,
                "status": item.status,
                "status_label": status_label(item.status),
                "owner": item.owner.code,
                "home_library": item.home.code,
                "current_library": item.current.code,
                "price": f"{item.price:.2f}" if item.price is not None else None,
            }
            for item in contents.items
        ],
    }


def _next(request: HttpRequest, name: str, page: int, per_page: int, total: int, **extra):
    if page * per_page >= total:
        return None
    query = urlencode(
        {"page": page + 1, "per_page": per_page, **{k: v for k, v in extra.items() if v}}
    )
    return request.build_absolute_uri(f"{reverse(name)}?{query}")


@router.get(
    "/lots",
    response={200: schemas.LotList, **READ_ERRORS},
    url_name="lots",
    summary="The network's lots (crates), by name",
    operation_id="listLots",
)
def lots_view(request: HttpRequest, params: Query[schemas.LotsQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    found = Lot.objects.select_related("station", "destination").annotate(items=Count("entries"))
    if params.library:
        library = library_by_code(params.library)
        found = found.filter(Q(station=library) | Q(destination=library))
    if params.status:
        found = found.filter(state=params.status)
    found = found.order_by("name", "pk")
    total = found.count()
    start = (params.page - 1) * params.per_page
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": _next(
            request,
            "api:lots",
            params.page,
            params.per_page,
            total,
            library=params.library,
            status=params.status,
        ),
        "lots": [
            _summary(lot, lot.items)  # type: ignore[attr-defined]
            for lot in found[start : start + params.per_page]
        ],
    }


@router.get(
    "/lots/{code}",
    response={200: schemas.Lot, **READ_ERRORS},
    url_name="lot",
    summary="A lot's contents, count, value, where it is and whether it travels",
    operation_id="getLot",
)
def lot_view(request: HttpRequest, path: Path[LotPath]):
    require_view(request.auth)  # type: ignore[attr-defined]
    return lot_data(lots.find(path.code))


@router.post(
    "/lots/{code}/send",
    response={200: schemas.SendResult, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="lot_send",
    summary="Send the whole lot to a library in one scan",
    operation_id="sendLot",
)
def send_view(request: HttpRequest, path: Path[LotPath], body: schemas.SendRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        lot = lots.find(path.code)
        to_library = library_by_code(body.to_library)
        result = lots.send(user, lot, to_library)
        return 200, schemas.SendResult.model_validate(
            {"lot": lot_data(lot), "sent": result.sent, "following": result.following}
        )

    return once(request, user, work)


@router.post(
    "/lots/{code}/receive",
    response={200: schemas.ReceiveResult, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="lot_receive",
    summary="Receive the whole lot at a library: what is missing or extra",
    operation_id="receiveLot",
)
def receive_view(request: HttpRequest, path: Path[LotPath], body: schemas.ReceiveRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        lot = lots.find(path.code)
        library = acting_library(user, body.library)
        result = lots.receive(user, lot, library, body.barcodes)
        return 200, schemas.ReceiveResult.model_validate(
            {
                "lot": lot_data(lot),
                "received": result.received,
                "missing": result.missing,
                "extra": result.extra,
                "following": result.following,
                "already": result.already,
            }
        )

    return once(request, user, work)


# Circulation plans ----------------------------------------------------------------------------


def _readable_plans(user):
    found = Plan.objects.all()
    if not can(user, Action.ADMINISTER):
        found = found.filter(published_at__isnull=False)
    return found


def plan_summary(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "name": plan.name,
        "kind": plan.kind,
        "kind_label": str(plan.get_kind_display()),
        "start": plan.start,
        "published": plan.published_at is not None,
        "exchanges": plan.dates.count(),
        "libraries": [m.library.code for m in plan.members.select_related("library")],
        "lots": [pl.lot.code for pl in plan.lots.select_related("lot")],
    }


@router.get(
    "/rotation-plans",
    response={200: schemas.PlanList, **READ_ERRORS},
    url_name="rotation_plans",
    summary="Circulation plans (published ones; drafts too for the coordinator)",
    operation_id="listRotationPlans",
)
def plans_view(request: HttpRequest, params: Query[schemas.PlansQuery]):
    user = request.auth  # type: ignore[attr-defined]
    require_view(user)
    found = _readable_plans(user).order_by("-start", "name", "pk")
    total = found.count()
    start = (params.page - 1) * params.per_page
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": _next(request, "api:rotation_plans", params.page, params.per_page, total),
        "plans": [plan_summary(p) for p in found[start : start + params.per_page]],
    }


@router.get(
    "/rotation-plans/{id}/grid",
    response={200: schemas.Grid, **READ_ERRORS},
    url_name="rotation_grid",
    summary="A plan's exchange grid: each date and library, the lots received, sent and kept",
    operation_id="getRotationGrid",
)
def grid_view(request: HttpRequest, path: Path[schemas.PlanPath]):
    user = request.auth  # type: ignore[attr-defined]
    require_view(user)
    plan = _readable_plans(user).filter(pk=path.id).first()
    if plan is None:
        raise ApiError(404, "plan_not_found", _("No circulation plan has this number."))
    table = plans.table(plan)
    codes = {m.library_id: m.library.code for m in table.members}
    lot_codes = {pl.lot_id: pl.lot.code for pl in plan.lots.select_related("lot")}
    texts = plans.messages(plan, table.issues)
    return {
        "plan": plan_summary(plan),
        "start": [
            {"library": member.library.code, "lots": [c.lot.code for c in cells]}
            for member, cells in table.starting
        ],
        "exchanges": [
            {
                "number": exchange.number,
                "planned": exchange.planned,
                "run_at": exchange.run_at,
                "libraries": [
                    {
                        "library": member.library.code,
                        "received": [
                            {
                                "lot": c.lot.code,
                                "from_library": c.from_library.code if c.from_library else "",
                                "day": c.day,
                                "arrival": c.arrival,
                            }
                            for c in slot.received
                        ],
                        "sent": [
                            {
                                "lot": c.lot.code,
                                "to_library": c.library.code,
                                "day": c.day,
                                "arrival": c.arrival,
                            }
                            for c in slot.sent
                        ],
                        "kept": [c.lot.code for c in slot.kept],
                    }
                    for member, slot in row
                ],
            }
            for exchange, row in table.rows()
        ],
        "broken": [
            {
                "code": issue.code,
                "exchange": issue.exchange,
                "library": codes.get(issue.library) if issue.library else None,
                "lot": lot_codes.get(issue.lot) if issue.lot else None,
                "message": text,
            }
            for issue, text in zip(table.issues, texts, strict=True)
            if issue.broken
        ],
    }
