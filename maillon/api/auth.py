"""Who is calling the staff API, and at which library they act.

Two ways in: `Authorization: Bearer <key>` (an ApiToken; no CSRF, the header cannot be forged
by another site) or the staff session of the desk pages (CSRF checked, as for any form).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from maillon.network.current import workplaces
from maillon.network.models import Library
from maillon.network.permissions import Action, can, is_staff_member
from maillon.throttling import services as throttle

from .errors import ApiError
from .models import ApiToken


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):  # type: ignore[override]
        return reason  # the reason instead of Django's HTML page


def _nothing(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def _csrf_failure(request) -> str | None:
    check = _CsrfCheck(_nothing)
    check.process_request(request)
    return check.process_view(request, _nothing, (), {})  # type: ignore[return-value]


def _token_user(request: HttpRequest, header: str):
    """The owner of the bearer token. Wrong tokens are counted per client address, as wrong
    passwords are (maillon.throttling): past the limit, every token from that address is
    refused (429) until the lock ends, so that trying keys gains nothing."""
    keys = throttle.token_keys(request)
    until = throttle.locked(keys)
    if until is None:
        scheme, _sep, key = header.partition(" ")
        user = ApiToken.user_for(key.strip()) if scheme.lower() == "bearer" else None
        if user is not None:
            return user
        until = throttle.attempt(keys)
        if until is None:
            raise ApiError(401, "invalid_token", _("This API token is unknown or revoked."))
    seconds = max(1, int((until - timezone.now()).total_seconds()))
    raise ApiError(
        429,
        "too_many_attempts",
        throttle.wait_message(until),
        headers={"Retry-After": str(seconds)},
    )


def api_user(request):
    """The acting user; ApiError 401 (nobody, bad token), 403 (not staff, CSRF), 429 (too many
    wrong tokens from this address)."""
    header = request.headers.get("Authorization", "")
    if header:
        return _token_user(request, header)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise ApiError(
            401,
            "authentication_required",
            _("Give an API token (Authorization: Bearer …) or sign in as staff."),
        )
    if not is_staff_member(user):
        raise ApiError(403, "staff_only", _("This part of the API is for library staff."))
    if request.method not in ("GET", "HEAD", "OPTIONS") and _csrf_failure(request):
        raise ApiError(
            403, "csrf_failed", _("The CSRF check failed: reload the page and try again.")
        )
    return user


def library_by_code(code: str) -> Library:
    """The library with this code (any case, blanks ignored); 404 unknown_library."""
    library = Library.objects.filter(code=str(code).strip().upper()).first()
    if library is None:
        raise ApiError(
            404, "unknown_library", _("No library has the code %(code)s.") % {"code": code}
        )
    return library


def acting_library(user, code: str | None) -> Library:
    """The library given by code when the user may do desk work there; else their first
    workplace where they may. A code the user may not act at is refused, not ignored."""
    if code:
        library = library_by_code(code)
        if not can(user, Action.CIRCULATE, library):
            raise ApiError(
                403,
                "library_forbidden",
                _("Your role does not allow circulation work at %(library)s.")
                % {"library": library.name},
            )
        return library
    for library in workplaces(user):
        if can(user, Action.CIRCULATE, library):
            return library
    raise ApiError(
        403, "no_workplace", _("This account may not do circulation work at any library.")
    )


class StaffAuth(HttpBearer):
    """For the OpenAPI document, a bearer token; in fact a token or a staff session
    (api_user), whose refusals are the API's own JSON errors."""

    def __call__(self, request: HttpRequest) -> Any:
        return api_user(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return api_user(request)


staff_auth = StaffAuth()
