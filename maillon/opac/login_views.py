"""Patron login and logout, and the password links (first password or a new one)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from maillon.core.sessions import PATRON_PREFIX
from maillon.opac import password_reset, patron_session
from maillon.opac.forms import LoginForm, PasswordRequestForm, SetPasswordForm
from maillon.opac.network import network_name
from maillon.opac.patron_session import posted_data as _posted
from maillon.patrons.conf import normalize_card
from maillon.patrons.services import PatronError, set_own_password
from maillon.throttling import services as throttle

RESET_SESSION_KEY = PATRON_PREFIX + "reset"  # patron side: kept by the staff logout
# The token leaves the address bar (and Referer headers) once read: the form page shows this.
SET_PASSWORD_TOKEN = "definir"


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    context.setdefault("network_name", network_name())
    return render(request, f"opac/account/{template}", context, status=status)


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = patron_session.safe_next(
        request, request.POST.get("suivant") or request.GET.get("suivant"), reverse("opac:account")
    )
    if patron_session.signed_in(request) is not None:
        return redirect(next_url)
    form = LoginForm(_posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        card, password = form.cleaned_data["card"], form.cleaned_data["password"]
        keys = patron_session.throttle_keys(request, card)
        locked_until = throttle.attempt(keys)
        if locked_until is not None:
            error = throttle.wait_message(locked_until)
        else:
            patron = patron_session.authenticate(card, password)
            if patron is not None:
                throttle.succeeded(keys)
                patron_session.login(request, patron)
                return redirect(next_url)
            error = _("Wrong card number or password, or no password created yet for this card.")
    elif request.method == "POST":
        error = _("Enter your card number and your password.")
    return _render(
        request,
        "login.html",
        {"form": form, "error": error, "next": next_url},
        status=400 if error else 200,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    patron_session.logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("opac:home")


@never_cache
def password_request(request: HttpRequest) -> HttpResponse:
    first = request.GET.get("premier") == "1" or request.POST.get("premier") == "1"
    form = PasswordRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        # Counted per card or address asked for and per client, so the page cannot flood a
        # mailbox; apart from logins, which it never locks.
        name = identifier if "@" in identifier else normalize_card(identifier)
        if throttle.attempt(throttle.link_keys("patron", name, request)) is None:
            password_reset.send_links(request, identifier)
        return redirect(reverse("opac:password_sent") + ("?premier=1" if first else ""))
    return _render(
        request,
        "password_request.html",
        {"form": form, "first": first},
        status=400 if form.errors else 200,
    )


def password_sent(request: HttpRequest) -> HttpResponse:
    return _render(request, "password_sent.html", {"first": request.GET.get("premier") == "1"})


@never_cache
def password_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Check the link, then move its token into the session and out of the address bar."""
    if token != SET_PASSWORD_TOKEN:
        if password_reset.patron_from_link(uidb64, token) is None:
            return _render(request, "password_link_invalid.html", {}, status=400)
        request.session[RESET_SESSION_KEY] = {"uid": uidb64, "token": token}
        return redirect("opac:password_link", uidb64=uidb64, token=SET_PASSWORD_TOKEN)
    kept = request.session.get(RESET_SESSION_KEY) or {}
    patron = (
        password_reset.patron_from_link(uidb64, kept.get("token", ""))
        if kept.get("uid") == uidb64
        else None
    )
    if patron is None:
        return _render(request, "password_link_invalid.html", {}, status=400)
    form = SetPasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            patron = set_own_password(patron, form.cleaned_data["password1"])
        except PatronError as error:
            form.add_error("password1", error.message)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            patron_session.login(request, patron)
            messages.success(request, _("Your password is saved: you are logged in."))
            return redirect("opac:account")
    return _render(
        request,
        "password_set.html",
        {"form": form, "patron": patron, "first": not patron.has_account},
        status=400 if form.errors else 200,
    )
