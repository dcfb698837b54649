"""The booking rules page: every staff member reads the rules and seasonal limits; the MD's
staff and the coordinator change them (see `rules.may_edit`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.audit.display import last_lines
from maillon.bookings import rules
from maillon.bookings.forms import LimitForm, RuleForm
from maillon.bookings.models import BookingRule, SeasonalLimit
from maillon.bookings.services import BookingError
from maillon.core.decorators import staff_required
from maillon.network.permissions import Action, can


def _annotate(rows: list[Any], user) -> None:
    """Say on each row its last change and whether `user` may change it."""
    changes = last_lines(rows)
    for row in rows:
        row.last_change = changes.get(row.pk)
        row.editable = rules.may_edit(user, row.owner)


@staff_required
def rules_page(request: HttpRequest) -> HttpResponse:
    found = list(BookingRule.objects.select_related("kind", "owner").prefetch_related("documents"))
    # Most specific first: the order in which they win.
    found.sort(key=lambda r: (r.kind_id is None, r.owner_id is None, str(r.kind), str(r.owner)))
    limits = list(SeasonalLimit.objects.select_related("kind", "owner"))
    _annotate(found, request.user)
    _annotate(limits, request.user)
    return render(
        request,
        "bookings/rules.html",
        {
            "rules": found,
            "limits": limits,
            "may_add": rules.owners_for(request.user).exists(),
        },
    )


def _forms_args(request: HttpRequest) -> dict:
    return {
        "owners": rules.owners_for(request.user),
        "any_owner": can(request.user, Action.ADMINISTER),
    }


def _require_editor(request: HttpRequest, row: BookingRule | SeasonalLimit | None) -> None:
    """MD staff and the coordinator edit rules and limits, each only for owners they answer for."""
    if not rules.owners_for(request.user).exists() or (
        row is not None and not rules.may_edit(request.user, row.owner)
    ):
        raise PermissionDenied(
            _(
                "Only the departmental library’s staff and the network "
                "coordinator change the booking rules."
            )
        )


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("bookings:rules") + anchor)


@staff_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(BookingRule, pk=pk) if pk else None
    _require_editor(request, rule)
    # A bound ModelForm writes into its instance: give it a copy, the service changes the row.
    form = RuleForm(
        request.POST or None,
        instance=BookingRule.objects.get(pk=rule.pk) if rule else None,
        **_forms_args(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            rules.save_rule(request.user, rule, form.cleaned_data)
        except BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Rule saved. It applies to the bookings asked for from now on.")
            )
            return _back("#regles")
    return render(request, "bookings/rule_form.html", {"form": form, "rule": rule})


@staff_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(BookingRule, pk=pk)
    try:
        rules.delete_rule(request.user, rule)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rule deleted."))
    return _back("#regles")


@staff_required
def limit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    limit = get_object_or_404(SeasonalLimit, pk=pk) if pk else None
    _require_editor(request, limit)
    form = LimitForm(
        request.POST or None,
        instance=SeasonalLimit.objects.get(pk=limit.pk) if limit else None,
        **_forms_args(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            rules.save_limit(request.user, limit, form.cleaned_data)
        except BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Seasonal limit saved."))
            return _back("#saisons")
    return render(request, "bookings/limit_form.html", {"form": form, "limit": limit})


@staff_required
@require_POST
def limit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    limit = get_object_or_404(SeasonalLimit, pk=pk)
    try:
        rules.delete_limit(request.user, limit)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Seasonal limit deleted."))
    return _back("#saisons")
