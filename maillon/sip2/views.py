"""The SIP2 terminal accounts page: the coordinator edits, a librarian reads their library's.

Thin: every change is a function of ``accounts``. A new password is shown once, on the page
that answers the request that made it (never stored, never cached).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.network.permissions import Action, can, denial_message
from maillon.sip2 import accounts
from maillon.sip2.forms import NewTerminalForm, TerminalForm
from maillon.sip2.models import Terminal


def _visible(request: HttpRequest):
    if not can(request.user, Action.MANAGE):
        raise PermissionDenied(denial_message(Action.MANAGE))
    return accounts.terminals_for(request.user)


def _editable(request: HttpRequest, pk: int) -> Terminal:
    if not accounts.may_edit(request.user):
        raise PermissionDenied(denial_message(Action.ADMINISTER))
    return get_object_or_404(Terminal.objects.select_related("library"), pk=pk)


def _show_password(request: HttpRequest, terminal: Terminal, password: str) -> HttpResponse:
    response = render(
        request, "sip2/terminal_password.html", {"terminal": terminal, "password": password}
    )
    add_never_cache_headers(response)
    return response


def _refused(form, error: accounts.TerminalError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@staff_required
def terminal_list(request: HttpRequest) -> HttpResponse:
    terminals = list(_visible(request).order_by("library__name", "login"))
    for terminal in terminals:
        terminal.locked_until = accounts.locked_until(terminal)  # type: ignore[attr-defined]
    return render(
        request,
        "sip2/terminal_list.html",
        {"terminals": terminals, "may_edit": accounts.may_edit(request.user)},
    )


@staff_required
def terminal_create(request: HttpRequest) -> HttpResponse:
    if not accounts.may_edit(request.user):
        raise PermissionDenied(denial_message(Action.ADMINISTER))
    initial = {"can_checkout": True, "can_checkin": True, "can_renew": True}
    form = NewTerminalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            terminal, password = accounts.create_terminal(
                request.user, data.pop("login"), data.pop("library"), **data
            )
        except accounts.TerminalError as error:
            _refused(form, error)
        else:
            return _show_password(request, terminal, password)
    return render(request, "sip2/terminal_form.html", {"form": form})


@staff_required
def terminal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    terminal = get_object_or_404(_visible(request), pk=pk)
    may_edit = accounts.may_edit(request.user)
    form = None
    if may_edit:
        initial = {
            "library": terminal.library,
            "can_checkout": terminal.can_checkout,
            "can_checkin": terminal.can_checkin,
            "can_renew": terminal.can_renew,
            "fallback_encoding": terminal.fallback_encoding,
        }
        form = TerminalForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                accounts.change_terminal(request.user, terminal, **form.cleaned_data)
            except accounts.TerminalError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Terminal %(login)s saved.") % {"login": terminal})
                return redirect("sip2:list")
    elif request.method == "POST":
        raise PermissionDenied(denial_message(Action.ADMINISTER))
    return render(
        request,
        "sip2/terminal_detail.html",
        {
            "terminal": terminal,
            "form": form,
            "may_edit": may_edit,
            "locked_until": accounts.locked_until(terminal),
        },
    )


@staff_required
@require_POST
def terminal_active(request: HttpRequest, pk: int) -> HttpResponse:
    terminal = _editable(request, pk)
    active = request.POST.get("active") == "1"
    accounts.set_active(request.user, terminal, active)
    if active:
        messages.success(request, _("Terminal %(login)s enabled.") % {"login": terminal})
    else:
        messages.success(
            request,
            _("Terminal %(login)s disabled: it can no longer log in.") % {"login": terminal},
        )
    return redirect("sip2:detail", pk=terminal.pk)


@staff_required
@require_POST
def terminal_password(request: HttpRequest, pk: int) -> HttpResponse:
    terminal, password = accounts.reset_password(request.user, _editable(request, pk))
    return _show_password(request, terminal, password)


@staff_required
@require_POST
def terminal_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    terminal = _editable(request, pk)
    accounts.unlock(request.user, terminal)
    messages.success(
        request, _("Terminal %(login)s may try to log in again.") % {"login": terminal}
    )
    return redirect("sip2:detail", pk=terminal.pk)
