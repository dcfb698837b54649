"""The core collection's gaps, one click from a shared selection list: the answer purchasing
gives to the ``core_gap_actions`` question (maillon/core/usage.py), and the view it posts to."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Record
from maillon.core.decorators import staff_required
from maillon.network.permissions import Action, can
from maillon.purchasing import selection
from maillon.purchasing.models import SelectionList
from maillon.purchasing.services import PurchasingError


def _open_lists(request: HttpRequest) -> list[SelectionList]:
    """The lists still open, read once per page (the question is asked for every gap)."""
    if not hasattr(request, "_open_selection_lists"):
        today = timezone.localdate()
        request._open_selection_lists = list(  # type: ignore[attr-defined]
            SelectionList.objects.filter(Q(closed_at__isnull=True) & Q(closes_on__gte=today))
        )
    return request._open_selection_lists  # type: ignore[attr-defined]


def gap_action(record: Record, library, request: HttpRequest) -> str:
    """A form that puts the gap's title on an open list, for staff who may propose titles."""
    if not can(request.user, Action.MANAGE):
        return ""
    lists = _open_lists(request)
    if not lists:
        return ""
    # Without the request: the context processors (the staff's workplaces, the menus) would
    # run again for every gap of the page.
    return render_to_string(
        "purchasing/gap_action.html",
        {
            "record": record,
            "lists": lists,
            "back": request.get_full_path(),
            "csrf_token": get_token(request),
        },
    )


@staff_required
@require_POST
def propose_gap(request: HttpRequest) -> HttpResponse:
    """Put a core title a library lacks on the chosen list, then back to the gaps."""
    chosen = get_object_or_404(SelectionList, pk=request.POST.get("list"))
    record = get_object_or_404(Record, pk=request.POST.get("record"))
    try:
        selection.propose(request.user, chosen, record, note=_("Core collection gap"))
    except PurchasingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(title)s” proposed on the list “%(list)s”.")
            % {"title": record.title, "list": chosen.name},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("purchasing:selection", pk=chosen.pk)
