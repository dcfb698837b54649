"""/api/v1/: the generated API's addresses, its OpenAPI document with the server it is served
from, JSON answers for methods and addresses it does not know."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .api import api
from .errors import error_response

app_name = "api"


def _json_methods(view):
    """HEAD answered as GET without a body; other unknown methods a JSON 405 with Allow."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
            if isinstance(response, HttpResponseNotAllowed):
                return response
            response.content = b""
        if response.get("Content-Type") == "application/json; charset=utf-8":
            response["Content-Type"] = "application/json"  # JSON is UTF-8 (RFC 8259)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = sorted(m.strip() for m in response["Allow"].split(",") if m.strip())
            if "GET" in allowed:
                allowed.append("HEAD")
            refusal = error_response(
                405,
                "method_not_allowed",
                _("This address does not answer %(method)s requests.") % {"method": request.method},
            )
            refusal["Allow"] = ", ".join(sorted(set(allowed)))
            return refusal
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


# What any operation may answer besides its own: refusals made before the operation is reached
# (maillon.core.middleware).
EVERY_OPERATION = {
    400: "The request is malformed (control characters, too many parameters…).",
    414: "The query string is too long.",
    503: "Busy: someone else is changing the same data; try again (Retry-After).",
}


@csrf_exempt
def openapi_view(request: HttpRequest) -> JsonResponse:
    document = dict(api.get_openapi_schema(path_prefix=""))
    document["servers"] = [{"url": request.build_absolute_uri("/api/v1").rstrip("/")}]
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in document["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]  # keyed by int, as ninja builds them
            for status, description in EVERY_OPERATION.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": error}
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found_view(request: HttpRequest, rest: str = "") -> JsonResponse:
    return error_response(404, "not_found", _("There is nothing at this address of the API."))


def _patterns() -> list:
    patterns, _app, _namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if hasattr(pattern, "callback"):
            pattern.callback = _json_methods(pattern.callback)
        wrapped.append(pattern)
    return wrapped


urlpatterns = [
    path("openapi.json", _json_methods(openapi_view), name="openapi"),
    *_patterns(),
    re_path(r"^(?P<rest>.*)$", not_found_view),
]
