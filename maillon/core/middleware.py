"""Edges of every request: characters no field may hold, and a lock that could not be had."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from maillon.core.errors import DomainError, Kind

# NUL cannot be stored by PostgreSQL, and no library data holds control characters other than
# tab and line breaks: such input is an error of the sender, answered 400, never a 500.
FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}
# The API's query strings are short (a search with its filters); a longer one is refused in the
# API's JSON shape. `maillon serve` lets gunicorn pass request lines up to 8,190 bytes, so that
# the refusal comes from here rather than from gunicorn's plain-text 400.
API_MAX_QUERY_STRING = 6000
# PostgreSQL's "lock_not_available" (lock_timeout reached) and "query_canceled".
BUSY_SQLSTATES = {"55P03", "57014"}


def has_forbidden(text: str) -> bool:
    return not FORBIDDEN.isdisjoint(text)


def strip_forbidden(text: str) -> str:
    return "".join(c for c in text if c not in FORBIDDEN)


def _bad_input(request: HttpRequest) -> bool:
    if has_forbidden(request.path):
        return True
    if any(has_forbidden(v) for k, vs in request.GET.lists() for v in [k, *vs]):
        if _is_api(request):
            return True
        # A page's query (a search pasted with a stray control byte) is read without them.
        cleaned = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            cleaned.setlist(strip_forbidden(key), [strip_forbidden(v) for v in values])
        cleaned._mutable = False
        request.GET = cleaned  # type: ignore[assignment]  # made immutable just above
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(
                has_forbidden(k) or has_forbidden(v)
                for k, vs in request.POST.lists()
                for v in [k, *vs]
            )
    return False


def _reraise(error: Exception) -> HttpResponse:
    raise error  # pages: Django's own 400 page


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The refusal in the shape the caller reads: the API's JSON error, or a page."""
    if _is_api(request):
        return JsonResponse(
            {"error": {"code": code, "message": message}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "refusal.html", {"message": message}, status=status)


class EdgeMiddleware:
    """Refuses control characters in the path, the API's query, form fields and JSON bodies
    (a page's query is read without them), and turns
    a lock that could not be had in time (PostgreSQL's lock_timeout, SQLite's busy timeout)
    into "busy, try again" (503) instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            bad = _bad_input(request)
        except SuspiciousOperation as error:  # too many fields, a body too large…
            return (
                refusal(
                    request,
                    400,
                    "bad_request",
                    _("The request is too large or has too many parameters."),
                )
                if _is_api(request)
                else _reraise(error)
            )
        if bad:
            return refusal(
                request,
                400,
                "invalid_characters",
                _("The request contains characters that are not allowed (a NUL or control byte)."),
            )
        if _is_api(request) and len(request.META.get("QUERY_STRING", "")) > API_MAX_QUERY_STRING:
            return refusal(
                request,
                414,
                "query_too_long",
                _("The query string is too long (%(limit)s characters at most).")
                % {"limit": API_MAX_QUERY_STRING},
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        busy = isinstance(exception, DomainError) and exception.kind == Kind.BUSY
        if isinstance(exception, OperationalError):
            cause = exception.__cause__
            sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
            busy = sqlstate in BUSY_SQLSTATES or "database is locked" in str(exception)
        if not busy:
            return None
        response = refusal(
            request,
            503,
            "busy",
            _("Someone else is changing the same data right now: try again in a moment."),
        )
        response["Retry-After"] = "2"
        return response


# Scripts, styles, images and fonts come from Maillon itself; nothing inline, nothing framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Pages that show a patron's or the staff's data: no copy kept by the browser or a proxy.
PRIVATE_PREFIXES = ("/pro/", "/compte/", "/admin/")


class HeadersMiddleware:
    """The Content-Security-Policy on every page, and `Cache-Control: no-store` on the staff
    pages, the patron's account and the API's answers to a signed-in caller."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        private = request.path.startswith(PRIVATE_PREFIXES) or (
            _is_api(request)
            and (
                "Authorization" in request.headers
                or getattr(getattr(request, "user", None), "is_authenticated", False)
            )
        )
        if private:
            response["Cache-Control"] = "no-store"
        return response
