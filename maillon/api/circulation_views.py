"""The staff JSON API: circulation and patrons, for self-check machines and portals.

Authenticated (see auth.py); every change goes through the circulation and patron services,
whose refusals come back with their own stable code and French message.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from maillon.catalogue.models import Item, Record
from maillon.circulation import services
from maillon.circulation.common import find_item, find_patron, status_label
from maillon.circulation.models import Hold, Loan, Transfer
from maillon.network.models import Library
from maillon.network.permissions import Action, can
from maillon.patrons.models import PatronCategory
from maillon.patrons.services import PatronError, register_patron

from .auth import acting_library, api_user
from .errors import ApiError, error_response

# Refusals that name something that does not exist; the others are conflicts with the state.
NOT_FOUND_CODES = frozenset({"unknown_card", "unknown_barcode"})
FORBIDDEN_CODES = frozenset({"override_forbidden"})
PATRON_CONFLICT_CODES = frozenset({"card_taken", "probable_duplicate"})


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def staff_api(*methods: str) -> Callable:
    """Authenticated JSON endpoint answering `methods`; refusals become JSON errors."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
        @csrf_exempt  # checked in api_user, for session requests only
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
            if request.method not in allowed:
                response = error_response(
                    405,
                    "method_not_allowed",
                    _("This address does not answer %(method)s requests.")
                    % {"method": request.method},
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                user = api_user(request)
                return view(request, user, *args, **kwargs)
            except ApiError as error:
                return error.response()
            except services.CirculationError as error:
                status = (
                    404
                    if error.code in NOT_FOUND_CODES
                    else 403
                    if error.code in FORBIDDEN_CODES
                    else 409
                )
                fields = {"overridable": error.overridable}
                if error.details:
                    fields["details"] = error.details
                return error_response(status, error.code, error.message, error_fields=fields)
            except PatronError as error:
                status = 409 if error.code in PATRON_CONFLICT_CODES else 400
                fields = {"field": error.field} if error.field else None
                return error_response(status, error.code, error.message, error_fields=fields)
            except PermissionDenied as error:
                return error_response(403, "forbidden", str(error) or _("Not allowed."))

        return wrapper

    return decorate


def _body(request: HttpRequest) -> dict:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", _("The request body is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The request body must be a JSON object."))
    return data


def _required(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ApiError(
            400, "missing_field", _("The field “%(field)s” is required.") % {"field": name}
        )
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiError(
            400, "invalid_field", _("The field “%(field)s” must be a string.") % {"field": name}
        )
    return str(value).strip()


def _library_by_code(code: str) -> Library:
    library = Library.objects.filter(code=code.upper()).first()
    if library is None:
        raise ApiError(
            404, "unknown_library", _("No library has the code %(code)s.") % {"code": code}
        )
    return library


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# Serialisation -------------------------------------------------------------------------------


def loan_data(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "item": loan.item.barcode,
        "title": loan.item.record.title,
        "record": loan.item.record_id,
        "patron": loan.patron.card_number if loan.patron else None,
        "library": loan.library.code,
        "checked_out_at": _iso(loan.checked_out_at),
        "due_on": _iso(loan.due_on),
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
        "item": hold.item.barcode if hold.item_id else None,
        "patron": hold.patron.card_number if hold.patron else None,
        "pickup_library": hold.pickup_library.code,
        "status": hold.status,
        "status_label": str(hold.get_status_display()),
        "position": position,
        "created_at": _iso(hold.created_at),
        "ready_until": _iso(hold.ready_until),
        "target": hold.target.barcode if hold.target_id else None,
    }


def _fresh_hold(pk: int) -> Hold:
    return Hold.objects.select_related("record", "item", "patron", "pickup_library", "target").get(
        pk=pk
    )


def _fresh_loan(pk: int) -> Loan:
    return Loan.objects.select_related("item", "item__record", "patron", "library").get(pk=pk)


# Endpoints -----------------------------------------------------------------------------------


@staff_api("POST")
def checkouts_view(request: HttpRequest, user) -> JsonResponse:
    data = _body(request)
    library = acting_library(user, data.get("library"))
    loan = services.checkout(
        user,
        library,
        _required(data, "patron"),
        _required(data, "item"),
        override_reason=str(data.get("override_reason") or ""),
    )
    return _json(loan_data(_fresh_loan(loan.pk)), status=201)


@staff_api("POST")
def checkins_view(request: HttpRequest, user) -> JsonResponse:
    data = _body(request)
    library = acting_library(user, data.get("library"))
    result = services.checkin(user, library, _required(data, "item"))
    return _json(result.as_dict())


@staff_api("POST")
def renewals_view(request: HttpRequest, user) -> JsonResponse:
    data = _body(request)
    library = acting_library(user, data.get("library"))
    loan = services.renew(user, library, _required(data, "item"))
    return _json(loan_data(_fresh_loan(loan.pk)))


@staff_api("POST")
def holds_view(request: HttpRequest, user) -> JsonResponse:
    data = _body(request)
    library = acting_library(user, data.get("library"))
    patron = find_patron(_required(data, "patron"))
    if data.get("item"):
        wanted: Record | Item = find_item(_required(data, "item"))
    elif data.get("record") is not None:
        try:
            wanted = Record.objects.get(pk=int(data["record"]))
        except (TypeError, ValueError, Record.DoesNotExist) as exc:
            raise ApiError(404, "record_not_found", _("No record has this number.")) from exc
    else:
        raise ApiError(400, "missing_field", _("Give a record or an item."))
    pickup = _library_by_code(_required(data, "pickup_library"))
    hold = services.place_hold(user, library, patron, wanted, pickup)
    return _json(hold_data(_fresh_hold(hold.pk)), status=201)


@staff_api("DELETE")
def hold_view(request: HttpRequest, user, pk: int) -> JsonResponse:
    hold = Hold.objects.filter(pk=pk).first()
    if hold is None:
        raise ApiError(404, "hold_not_found", _("No hold has this number."))
    library = acting_library(user, request.GET.get("library"))
    outcome = services.cancel_hold(user, library, hold)
    return _json(
        {
            "hold": hold_data(_fresh_hold(outcome.hold.pk)),
            "decision": outcome.decision.as_dict() if outcome.decision else None,
        }
    )


@staff_api("POST")
def patrons_view(request: HttpRequest, user) -> JsonResponse:
    data = _body(request)
    home = _library_by_code(_required(data, "home_library"))
    category = PatronCategory.objects.filter(code=_required(data, "category").upper()).first()
    if category is None:
        raise ApiError(400, "unknown_category", _("No patron category has this code."))
    birth_date = None
    if data.get("birth_date"):
        try:
            birth_date = dt.date.fromisoformat(str(data["birth_date"]))
        except ValueError as exc:
            raise ApiError(
                400, "invalid_date", _("The birth date must be written YYYY-MM-DD.")
            ) from exc
    fields = {
        "card_number": _required(data, "card"),
        "surname": _required(data, "surname"),
        "first_name": str(data.get("first_name") or "").strip(),
        "birth_date": birth_date,
        "category": category,
        "email": str(data.get("email") or "").strip(),
    }
    for flag in ("email_notices", "newsletters", "keep_history"):
        if flag in data:
            fields[flag] = bool(data[flag])
    try:
        patron = register_patron(user, home, **fields)
    except ValidationError as exc:
        raise ApiError(400, "invalid", "; ".join(exc.messages)) from exc
    return _json(patron_data(patron), status=201)


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
        "registered_on": _iso(patron.registered_on),
        "expires_on": _iso(patron.expires_on),
        "status": status,
        "blocks": [
            {
                "kind": b.kind,
                "label": str(b.get_kind_display()),
                "note": b.note,
                "since": _iso(b.created_at),
            }
            for b in blocks
        ],
        "loans": [loan_data(loan) for loan in services.loans_of(patron)],
        "holds": [hold_data(hold) for hold in services.holds_of(patron)],
    }


def _require_view(user) -> None:
    if not can(user, Action.VIEW):
        raise ApiError(403, "forbidden", _("You have no access to this library's data."))


@staff_api("GET")
def patron_view(request: HttpRequest, user, card: str) -> JsonResponse:
    _require_view(user)
    return _json(patron_data(find_patron(card)))


@staff_api("GET")
def item_view(request: HttpRequest, user, barcode: str) -> JsonResponse:
    _require_view(user)
    item = find_item(barcode)
    item = Item.objects.select_related("record", "home", "current", "item_type").get(pk=item.pk)
    loan = Loan.objects.filter(item=item, returned_at__isnull=True).first()
    transfer = (
        Transfer.objects.filter(item=item, received_at__isnull=True, cancelled_at__isnull=True)
        .select_related("from_library", "to_library")
        .first()
    )
    return _json(
        {
            "barcode": item.barcode,
            "record": item.record_id,
            "title": item.record.title,
            "call_number": item.call_number,
            "item_type": item.item_type.code,
            "status": item.status,
            "status_label": status_label(item.status),
            "home_library": item.home.code,
            "current_library": item.current.code,
            "due_on": _iso(loan.due_on) if loan else None,
            "transfer": {
                "from_library": transfer.from_library.code,
                "to_library": transfer.to_library.code,
                "reason": transfer.reason,
                "created_at": _iso(transfer.created_at),
                "sent_at": _iso(transfer.sent_at),
            }
            if transfer
            else None,
        }
    )
