"""The staff part: circulation and patrons, for self-check machines and portals.

Authenticated (auth.py); every change goes through the circulation and patron services, whose
refusals come back with their own stable code and French message (api.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from maillon.catalogue.models import Item, Record
from maillon.circulation import services
from maillon.circulation.common import find_item, find_patron, status_label
from maillon.circulation.models import Hold, Loan, Transfer
from maillon.network.permissions import Action, can
from maillon.patrons import access
from maillon.patrons.models import PatronCategory
from maillon.patrons.services import register_patron

from . import schemas
from .auth import acting_library, library_by_code, staff_auth
from .collection_facts import item_collections
from .errors import ApiError
from .idempotency import once

router = Router(tags=["circulation"], auth=staff_auth)
AUTH_ERRORS = {401: schemas.Error, 403: schemas.Error, 429: schemas.Error}
WRITE_ERRORS = {400: schemas.Error, 404: schemas.Error, 409: schemas.Error, 422: schemas.Error}


def loan_data(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "item": loan.item.barcode,
        "title": loan.item.record.title,
        "record": loan.item.record_id,
        "patron": loan.patron.card_number if loan.patron else None,
        "library": loan.library.code,
        "checked_out_at": loan.checked_out_at,
        "due_on": loan.due_on,
        "renewals": loan.renewals,
        "overridden": bool(loan.override_codes),
    }


def hold_data(hold: Hold) -> dict:
    position = getattr(hold, "position", None)
    if not hasattr(hold, "position"):
        position = services.hold_position(hold)
    return {
        "id": hold.pk,
        "record": hold.record_id,
        "title": hold.record.title,
        "item": hold.item.barcode if hold.item else None,
        "patron": hold.patron.card_number if hold.patron else None,
        "pickup_library": hold.pickup_library.code,
        "status": hold.status,
        "status_label": str(hold.get_status_display()),
        "position": position,
        "created_at": hold.created_at,
        "ready_until": hold.ready_until,
        "target": hold.target.barcode if hold.target else None,
    }


def _fresh_hold(pk: int) -> Hold:
    return Hold.objects.select_related("record", "item", "patron", "pickup_library", "target").get(
        pk=pk
    )


def _fresh_loan(pk: int) -> Loan:
    return Loan.objects.select_related("item", "item__record", "patron", "library").get(pk=pk)


@router.post(
    "/checkouts",
    response={201: schemas.Loan, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="checkouts",
    summary="Lend an item to a patron",
    operation_id="checkout",
)
def checkouts_view(request: HttpRequest, body: schemas.CheckoutRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = acting_library(user, body.library)
        loan = services.checkout(
            user, library, body.patron, body.item, override_reason=body.override_reason
        )
        return 201, schemas.Loan.model_validate(loan_data(_fresh_loan(loan.pk)))

    return once(request, user, work)


@router.post(
    "/checkins",
    response={200: schemas.CheckinResult, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="checkins",
    summary="Check an item in: what to do with it",
    operation_id="checkin",
)
def checkins_view(request: HttpRequest, body: schemas.CheckinRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = acting_library(user, body.library)
        result = services.checkin(user, library, body.item)
        return 200, schemas.CheckinResult.model_validate(result.as_dict())

    return once(request, user, work)


@router.post(
    "/renewals",
    response={200: schemas.Loan, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="renewals",
    summary="Renew the loan of an item",
    operation_id="renew",
)
def renewals_view(request: HttpRequest, body: schemas.RenewalRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = acting_library(user, body.library)
        loan = services.renew(user, library, body.item)
        return 200, schemas.Loan.model_validate(loan_data(_fresh_loan(loan.pk)))

    return once(request, user, work)


@router.post(
    "/holds",
    response={201: schemas.Hold, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="holds",
    summary="Place a hold on a record or an item",
    operation_id="placeHold",
)
def holds_view(request: HttpRequest, body: schemas.HoldRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = acting_library(user, body.library)
        patron = find_patron(body.patron)
        wanted: Record | Item
        if body.item:
            wanted = find_item(body.item)
        elif body.record is not None:
            found = Record.objects.filter(pk=body.record).first()
            if found is None:
                raise ApiError(404, "record_not_found", _("No record has this number."))
            wanted = found
        else:
            raise ApiError(400, "missing_field", _("Give a record or an item."))
        pickup = library_by_code(body.pickup_library)
        hold = services.place_hold(user, library, patron, wanted, pickup)
        return 201, schemas.Hold.model_validate(hold_data(_fresh_hold(hold.pk)))

    return once(request, user, work)


class HoldPath(schemas.Schema):
    id: int = schemas.Field(ge=1, description="Hold number.")


class DeskQuery(schemas.Schema):
    library: str | None = schemas.Field(None, max_length=20, description=schemas.LIBRARY_HELP)


@router.delete(
    "/holds/{id}",
    response={200: schemas.HoldCancellation, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="hold",
    summary="Cancel a hold",
    operation_id="cancelHold",
)
def hold_view(request: HttpRequest, path: Path[HoldPath], desk: Query[DeskQuery]):
    user = request.auth  # type: ignore[attr-defined]
    hold = Hold.objects.filter(pk=path.id).first()
    if hold is None:
        raise ApiError(404, "hold_not_found", _("No hold has this number."))
    library = acting_library(user, desk.library)
    outcome = services.cancel_hold(user, library, hold)
    return {
        "hold": hold_data(_fresh_hold(outcome.hold.pk)),
        "decision": outcome.decision.as_dict() if outcome.decision else None,
    }


@router.post(
    "/patrons",
    response={201: schemas.Patron, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="patrons",
    summary="Register a patron (e.g. a portal's pre-registration)",
    operation_id="registerPatron",
)
def patrons_view(request: HttpRequest, body: schemas.PatronRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        home = library_by_code(body.home_library)
        category = PatronCategory.objects.filter(code=body.category.upper()).first()
        if category is None:
            raise ApiError(400, "unknown_category", _("No patron category has this code."))
        fields = {
            "card_number": body.card,
            "surname": body.surname,
            "first_name": body.first_name.strip(),
            "birth_date": body.birth_date,
            "category": category,
            "email": body.email.strip(),
        }
        for flag in ("email_notices", "newsletters", "keep_history"):
            if getattr(body, flag) is not None:
                fields[flag] = getattr(body, flag)
        try:
            patron = register_patron(user, home, **fields)
        except DjangoValidationError as exc:
            raise ApiError(400, "invalid", "; ".join(exc.messages)) from exc
        return 201, schemas.Patron.model_validate(patron_data(patron))

    return once(request, user, work)


def patron_data(patron) -> dict:
    blocks = list(patron.active_blocks)
    status = "blocked" if blocks else "expired" if patron.is_expired else "ok"
    return {
        "card": patron.card_number,
        "surname": patron.surname,
        "first_name": patron.first_name,
        "category": patron.category.code,
        "home_library": patron.home_library.code,
        "email": patron.email,
        "registered_on": patron.registered_on,
        "expires_on": patron.expires_on,
        "status": status,
        "blocks": [
            {
                "kind": b.kind,
                "label": str(b.get_kind_display()),
                "note": b.note,
                "since": b.created_at,
            }
            for b in blocks
        ],
        "loans": [loan_data(loan) for loan in services.loans_of(patron)],
        "holds": [hold_data(hold) for hold in services.holds_of(patron)],
    }


def require_view(user) -> None:
    """Reading a patron (by card: the single card works everywhere, and a read by staff of
    another library is recorded, see maillon.patrons.access) or an item: any staff account."""
    if not can(user, Action.VIEW):
        raise ApiError(403, "forbidden", _("You have no access to this library's data."))


class CardPath(schemas.Schema):
    card: str = schemas.Field(min_length=1, max_length=40, description="Card number.")


class BarcodePath(schemas.Schema):
    barcode: str = schemas.Field(min_length=1, max_length=40, description="Barcode.")


@router.get(
    "/patrons/{card}",
    response={200: schemas.Patron, 404: schemas.Error, 400: schemas.Error, **AUTH_ERRORS},
    url_name="patron",
    summary="A patron's status, loans and holds",
    operation_id="getPatron",
)
def patron_view(request: HttpRequest, path: Path[CardPath]):
    user = request.auth  # type: ignore[attr-defined]
    require_view(user)
    patron = find_patron(path.card)
    access.record_read(user, patron, via="api")
    return patron_data(patron)


@router.get(
    "/items/{barcode}",
    response={200: schemas.ItemState, 404: schemas.Error, 400: schemas.Error, **AUTH_ERRORS},
    url_name="item",
    summary="Where an item is and what it is doing",
    operation_id="getItem",
)
def item_view(request: HttpRequest, path: Path[BarcodePath]):
    user = request.auth  # type: ignore[attr-defined]
    require_view(user)
    item = find_item(path.barcode)
    item = Item.objects.select_related("record", "home", "current", "item_type").get(pk=item.pk)
    loan = Loan.objects.filter(item=item, returned_at__isnull=True).first()
    transfer = (
        Transfer.objects.filter(item=item, received_at__isnull=True, cancelled_at__isnull=True)
        .select_related("from_library", "to_library")
        .first()
    )
    return {
        "barcode": item.barcode,
        "record": item.record_id,
        "title": item.record.title,
        "call_number": item.call_number,
        "item_type": item.item_type.code,
        "status": item.status,
        "status_label": status_label(item.status),
        "home_library": item.home.code,
        "current_library": item.current.code,
        "due_on": loan.due_on if loan else None,
        "transfer": {
            "from_library": transfer.from_library.code,
            "to_library": transfer.to_library.code,
            "reason": transfer.reason,
            "created_at": transfer.created_at,
            "sent_at": transfer.sent_at,
        }
        if transfer
        else None,
        **item_collections(item),
    }
