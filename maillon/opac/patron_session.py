"""The patron's login on the public catalogue, kept apart from the staff's.

A patron is not a Django user: their id lives in the session under its own key, next to (never
instead of) a staff login, and ``request.patron`` is set by ``PatronSessionMiddleware``. The
session forgets the patron after ``MAILLON_PATRON_SESSION_MINUTES`` without a request (a card
used on a library's public computer), and when their password changes (a hash of it is kept).

Logging a patron in or out rotates the session key and keeps a staff login; the staff logout
keeps the patron's login in turn (see ``maillon.core.sessions``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from maillon.core.sessions import PATRON_PREFIX
from maillon.patrons.conf import normalize_card
from maillon.patrons.models import Patron
from maillon.throttling import services as throttle

# The patron side's session keys share a prefix: the staff logout keeps them (core.sessions).
PATRON_KEY = PATRON_PREFIX + "id"
HASH_KEY = PATRON_PREFIX + "hash"
SEEN_KEY = PATRON_PREFIX + "seen"
# Writing the session on every page costs a query: refresh "last seen" once a minute at most.
SEEN_RESOLUTION = 60


def idle_seconds() -> int:
    return settings.MAILLON_PATRON_SESSION_MINUTES * 60


def _password_hash(patron: Patron) -> str:
    return salted_hmac(
        "maillon.opac.patron_session", patron.password, algorithm="sha256"
    ).hexdigest()


def throttle_keys(request: HttpRequest, raw_card: str) -> list[throttle.Key]:
    # Apart from staff usernames: a card number never locks a staff account, or the reverse.
    return throttle.login_keys("patron", normalize_card(raw_card), request)


def authenticate(raw_card: str, password: str) -> Patron | None:
    """The patron if the card has an account and the password matches, else None.

    Unknown card, no password set yet and wrong password take the same time and give the
    same answer: nobody learns from the login page whether a card exists.
    """
    card = normalize_card(raw_card)
    patron = (
        Patron.objects.select_related("category", "home_library").filter(card_number=card).first()
        if card
        else None
    )
    if patron is not None and patron.has_account and patron.check_password(password):
        return patron
    if patron is None or not patron.has_account:
        make_password(password)  # the hasher's cost, as for a real check
    return None


def login(request: HttpRequest, patron: Patron) -> None:
    """A new session key (no fixation), then the patron in it; a staff login stays."""
    request.session.cycle_key()
    request.session[PATRON_KEY] = patron.pk
    request.session[HASH_KEY] = _password_hash(patron)
    request.session[SEEN_KEY] = int(time.time())
    request.patron = request._maillon_patron = patron  # type: ignore[attr-defined]


def logout(request: HttpRequest) -> None:
    """Forget the patron; a staff login in the same browser stays."""
    for key in (PATRON_KEY, HASH_KEY, SEEN_KEY):
        request.session.pop(key, None)
    request.session.cycle_key()
    request.patron = request._maillon_patron = None  # type: ignore[attr-defined]


def current_patron(request: HttpRequest) -> Patron | None:
    session = request.session
    pk = session.get(PATRON_KEY)
    if pk is None:
        return None
    now = int(time.time())
    seen = session.get(SEEN_KEY, 0)
    patron = (
        Patron.objects.select_related("category", "home_library").filter(pk=pk).first()
        if now - seen <= idle_seconds()
        else None
    )
    if patron is None or not constant_time_compare(
        session.get(HASH_KEY, ""), _password_hash(patron)
    ):
        logout(request)
        return None
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN_KEY] = now
    return patron


_UNSET = object()


def signed_in(request: HttpRequest) -> Patron | None:
    """The patron behind the request (read once per request), or None."""
    cached = getattr(request, "_maillon_patron", _UNSET)
    if cached is _UNSET:
        cached = current_patron(request)
        request._maillon_patron = cached  # type: ignore[attr-defined]
    return cast("Patron | None", cached)


def the_patron(request: HttpRequest) -> Patron:
    """The patron of a view wrapped in ``patron_required`` (already read: no query)."""
    patron = signed_in(request)
    if patron is None:
        raise PermissionDenied
    return patron


class PatronSessionMiddleware:
    """Sets ``request.patron`` (a Patron or None), read from the session on first use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.patron = SimpleLazyObject(lambda: signed_in(request))  # type: ignore[attr-defined]
        return self.get_response(request)


def safe_next(request: HttpRequest, wanted: str | None, default: str) -> str:
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def posted_data(request: HttpRequest):
    """The form data of a POST (even an empty one: every box unticked), None for a GET."""
    return request.POST if request.method == "POST" else None


def login_url(next_url: str) -> str:
    return reverse("opac:login") + "?" + urlencode({"suivant": next_url})


def patron_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets ``request.patron`` as a Patron; anyone else goes to the login first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        patron = signed_in(request)
        if patron is None:
            return redirect(login_url(request.get_full_path()))
        request.patron = patron  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
