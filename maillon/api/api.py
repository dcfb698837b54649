"""/api/v1/: one django-ninja API whose OpenAPI document is generated from the typed schemas.

Every refusal answers with one shape, `{"error": {"code", "message", …}}`: the services'
DomainError by its kind (core/errors.py), request validation by the field at fault
(`invalid_page`, `missing_field`…), authentication and permissions, unknown addresses and methods.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from maillon.circulation.errors import CirculationError
from maillon.core.errors import DomainError

from .errors import ApiError, error_response

DESCRIPTION = """The network's catalogue (public, read only) and its circulation (staff).

* **Staff authentication**: `Authorization: Bearer <key>` (`maillon create-api-token USERNAME`),
  or a signed-in staff session with the CSRF token (`X-CSRFToken`) on writes.
* **Errors**: `{"error": {"code", "message"}}`; `code` is stable, `message` is French.
* **Lists** are paged: `page` and `per_page`, with `total` and the address of the next page.
* **Retries**: every POST honours an `Idempotency-Key` header (up to 200 characters). The same
  key with the same request within 24 hours answers the first answer again
  (`Idempotent-Replayed: true`) instead of acting twice; with another request it is refused
  (422 `idempotency_key_reused`).
"""


class JsonBody(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "invalid_json", _("The request body is not valid JSON.")) from exc


class Json(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # French stays readable


api = NinjaAPI(
    renderer=Json(),
    title="Maillon",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    parser=JsonBody(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response()


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A service's refusal, with the status its kind maps to (core/errors.py, the one place)."""
    fields: dict[str, object] = {}
    if isinstance(exc, CirculationError):
        fields["overridable"] = exc.overridable
    if exc.details:
        fields["details"] = exc.details
    if exc.field:
        fields["field"] = exc.field
    return error_response(exc.http_status, exc.code, exc.message, error_fields=fields or None)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, "forbidden", str(exc) or _("Not allowed."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        401,
        "authentication_required",
        _("Give an API token (Authorization: Bearer …) or sign in as staff."),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApiError):  # the body parser's refusal, wrapped by ninja
        return exc.__cause__.response()
    return error_response(exc.status_code, "bad_request", str(exc))


def _validation_code(error: dict[str, Any]) -> tuple[str, str]:
    """(code, field) for one pydantic error: a query or path parameter's own code
    (`invalid_page`), a body field missing or malformed, a body that is not a JSON object."""
    loc = [str(part) for part in error.get("loc", ())]
    kind = str(error.get("type", ""))
    where, name = (loc[0] if loc else ""), (loc[-1] if len(loc) > 1 else "")
    if where != "body":
        name = next((part for part in reversed(loc[1:]) if not part.isdigit()), name)
        return f"invalid_{name}", name
    fields = [part for part in loc[1:] if part != "payload" and not part.isdigit()]
    if not fields:
        return "invalid_json", ""
    field = fields[-1]
    if kind == "missing" or kind == "string_too_short":
        return "missing_field", field
    if kind.startswith("date"):
        return "invalid_date", field
    return "invalid_field", field


def _reason(error: dict[str, Any]) -> str:
    """Pydantic's complaint in the user's language."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "greater_than_equal":
        return _("it must be at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("it must be at most %(limit)s.") % {"limit": context.get("le")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("it must be a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("it must be true or false (1 or 0).")
    if kind == "literal_error":
        return _("it must be one of: %(values)s.") % {"values": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("it does not have the expected form.")
    if kind == "string_too_long":
        return _("it is too long.")
    return _("it has the wrong type.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    code, field = _validation_code(first)
    if code == "missing_field":
        message = _("The field “%(field)s” is required.") % {"field": field}
    elif code == "invalid_json":
        message = _("The request body must be a JSON object.")
    elif code == "invalid_date":
        message = _("The field “%(field)s” must be a date written YYYY-MM-DD.") % {"field": field}
    else:
        message = _("“%(field)s” is not valid: %(reason)s") % {
            "field": field,
            "reason": _reason(first),
        }
    return error_response(400, code, message, error_fields={"field": field} if field else None)


from . import (  # noqa: E402  (routes use `api`)
    bookings_routes,
    circulation_routes,
    collections_routes,
    lots_routes,
    offline_routes,
    programme_routes,
    public_routes,
    purchasing_routes,
    stats_routes,
)

api.add_router("", public_routes.router)
api.add_router("", circulation_routes.router)
api.add_router("", lots_routes.router)
api.add_router("", offline_routes.router)
api.add_router("", collections_routes.router)
api.add_router("", stats_routes.router)
api.add_router("", bookings_routes.router)
api.add_router("", programme_routes.router)
api.add_router("", purchasing_routes.router)
