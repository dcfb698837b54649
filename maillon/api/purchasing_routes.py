"""The staff part for concerted purchasing: selection lists with the network's figures, a
library's commitment, an order with its lines.

Every change goes through the purchasing services (maillon.purchasing), whose refusals come
back with their code and French message (api.py). Commitments need MANAGE at the committing
library, an order is read by the staff of its library (and the coordinator).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.network.current import workplaces
from maillon.network.models import Library
from maillon.network.permissions import Action, can
from maillon.purchasing import documents, selection
from maillon.purchasing.models import Commitment, Fund, Order, SelectionList, SelectionTitle

from . import purchasing_schemas as schemas
from .auth import library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS, WRITE_ERRORS, require_view
from .errors import ApiError
from .idempotency import once
from .schemas import Error, Schema
from .schemas import Field as SchemaField

router = Router(tags=["purchasing"], auth=staff_auth)
READ_ERRORS = {400: Error, 404: Error, **AUTH_ERRORS}


class IdPath(Schema):
    id: int = SchemaField(ge=1, le=2**62)


def _record(record) -> dict:
    return {
        "id": record.pk,
        "title": record.title,
        "author": record.main_author,
        "isbn": record.isbn,
    }


def _fund(fund: Fund) -> dict:
    return {"id": fund.pk, "code": fund.code, "name": fund.name, "year": fund.year}


def _named(library) -> dict:
    return {"code": library.code, "name": library.name}


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _commitment(c: Commitment) -> dict:
    return {
        "id": c.pk,
        "library": _named(c.library),
        "fund": _fund(c.fund),
        "quantity": c.quantity,
        "ordered": c.line_id is not None,
        "seen": {k: v for k, v in c.seen.items() if isinstance(v, int)},
    }


def _summary(chosen: SelectionList, titles: int, today) -> dict:
    return {
        "id": chosen.pk,
        "name": chosen.name,
        "closes_on": chosen.closes_on,
        "open": selection.is_open(chosen, today),
        "titles": titles,
    }


@router.get(
    "/selection-lists",
    response={200: schemas.ListPage, **READ_ERRORS},
    url_name="selection_lists",
    summary="The network's selection lists, newest closing date first",
    operation_id="listSelectionLists",
)
def lists_view(request: HttpRequest, params: Query[schemas.ListsQuery]):
    require_view(request.auth)  # type: ignore[attr-defined]
    today = timezone.localdate()
    found = SelectionList.objects.annotate(n=Count("titles")).order_by("-closes_on", "-pk")
    if params.open is True:
        found = found.filter(closed_at=None, closes_on__gte=today)
    elif params.open is False:
        found = found.exclude(closed_at=None, closes_on__gte=today)
    total = found.count()
    start = (params.page - 1) * params.per_page
    following = None
    if params.page * params.per_page < total:
        query: dict[str, object] = {"page": params.page + 1, "per_page": params.per_page}
        if params.open is not None:
            query["open"] = str(params.open).lower()
        following = request.build_absolute_uri(
            f"{reverse('api:selection_lists')}?{urlencode(query)}"
        )
    return {
        "total": total,
        "page": params.page,
        "per_page": params.per_page,
        "next": following,
        "lists": [
            _summary(s, s.n, today)  # type: ignore[attr-defined]
            for s in found[start : start + params.per_page]
        ],
    }


def list_data(chosen: SelectionList) -> dict:
    rows = selection.rows(chosen)
    codes = {c.library_id: c.library.code for row in rows for c in row.commitments}
    missing = {lib for row in rows for lib in row.network.held} - set(codes)
    if missing:
        codes.update(dict(Library.objects.filter(pk__in=missing).values_list("pk", "code")))
    return {
        **_summary(chosen, len(rows), timezone.localdate()),
        "description": chosen.description,
        "proposed": [
            {
                "id": row.title.pk,
                "record": _record(row.title.record),
                "public_price": _money(row.title.public_price),
                "cap": row.title.cap,
                "left": row.left,
                "network": {
                    "held": row.network.held_total,
                    "held_by": [
                        {"library": codes[lib], "copies": n}
                        for lib, n in sorted(row.network.held.items(), key=lambda x: codes[x[0]])
                    ],
                    "on_order": row.network.on_order_total,
                    "holds_waiting": row.network.holds,
                    "loans_12_months": row.network.loans,
                },
                "commitments": [_commitment(c) for c in row.commitments],
            }
            for row in rows
        ],
    }


@router.get(
    "/selection-lists/{id}",
    response={200: schemas.SelectionListOut, **READ_ERRORS},
    url_name="selection_list",
    summary="A list's titles with the network's holdings, orders, holds, loans and commitments",
    operation_id="getSelectionList",
)
def list_view(request: HttpRequest, path: Path[IdPath]):
    require_view(request.auth)  # type: ignore[attr-defined]
    return list_data(_selection(path.id))


def _selection(pk: int) -> SelectionList:
    found = SelectionList.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "unknown_list", _("No selection list has the id %(id)s.") % {"id": pk})
    return found


def _committing_library(user, code: str | None):
    if code:
        library = library_by_code(code)
        if not can(user, Action.MANAGE, library):
            raise ApiError(
                403,
                "library_forbidden",
                _("Your role does not allow committing for %(library)s.")
                % {"library": library.name},
            )
        return library
    for library in workplaces(user):
        if can(user, Action.MANAGE, library):
            return library
    raise ApiError(403, "no_workplace", _("This account manages no library's purchases."))


@router.post(
    "/selection-lists/{id}/commitments",
    response={201: schemas.CommitmentOut, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="selection_list_commitments",
    summary="A library commits copies of a proposed title from one of its funds",
    operation_id="commit",
)
def commit_view(request: HttpRequest, path: Path[IdPath], body: schemas.CommitmentIn):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        chosen = _selection(path.id)
        title = SelectionTitle.objects.filter(pk=body.title, selection=chosen).first()
        if title is None:
            raise ApiError(
                404,
                "unknown_title",
                _("The list has no proposed title with the id %(id)s.") % {"id": body.title},
            )
        library = _committing_library(user, body.library)
        fund = Fund.objects.filter(pk=body.fund).first()
        if fund is None:
            raise ApiError(404, "unknown_fund", _("No fund has the id %(id)s.") % {"id": body.fund})
        made = selection.commit(
            user,
            title,
            library,
            fund,
            body.quantity,
            overspent_reason=body.overspent_reason,
        )
        made = Commitment.objects.select_related("library", "fund").get(pk=made.pk)
        return 201, schemas.CommitmentOut.model_validate(_commitment(made))

    return once(request, user, work)


@router.get(
    "/orders/{id}",
    response={200: schemas.OrderOut, **READ_ERRORS},
    url_name="order",
    summary="An order with its lines, prices and what was received",
    operation_id="getOrder",
)
def order_view(request: HttpRequest, path: Path[IdPath]):
    user = request.auth  # type: ignore[attr-defined]
    order = Order.objects.select_related("library", "supplier").filter(pk=path.id).first()
    if order is None:
        raise ApiError(404, "unknown_order", _("No order has the id %(id)s.") % {"id": path.id})
    if not can(user, Action.CIRCULATE, order.library):
        raise ApiError(403, "forbidden", _("You have no access to this library's data."))
    lines = documents.lines_of(order)
    totals = documents.totals(lines)
    return {
        "id": order.pk,
        "number": order.number,
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "library": _named(order.library),
        "supplier": {
            "id": order.supplier.pk,
            "name": order.supplier.name,
            "gln": order.supplier.gln,
            "contract_lot": order.supplier.contract_lot,
        },
        "sent_at": order.sent_at,
        "lines": [
            {
                "id": line.pk,
                "record": _record(line.record),
                "fund": _fund(line.fund),
                "quantity": line.quantity,
                "received": line.received,
                "cancelled": line.cancelled,
                "public_price": _money(line.public_price),
                "discount": _money(line.discount),
                "net_price": _money(line.net_price),
                "vat_rate": _money(line.vat_rate),
                "total": _money(line.total),
            }
            for line in lines
        ],
        "totals": {
            "excl_tax": _money(totals["excl"]),
            "vat": _money(totals["vat"]),
            "incl_tax": _money(totals["incl"]),
        },
    }
