"""Staff pages of patron suggestions: taken at the desk, accepted or refused (thin)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.errors import DomainError
from maillon.core.params import number
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, libraries_for
from maillon.patrons.models import Patron
from maillon.purchasing import selection, suggestions
from maillon.purchasing.models import Fund, Order, SelectionList, Suggestion


def _price(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ".").strip()) if raw.strip() else None
    except InvalidOperation:
        return None


@staff_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.CIRCULATE)
    state = request.GET.get("etat", Suggestion.State.NEW)
    found = (
        Suggestion.objects.filter(library__in=libraries)
        .select_related("patron", "library", "record", "title_on_list__selection", "line__order")
        .order_by("-created_at", "-pk")
    )
    if state in Suggestion.State.values:
        found = found.filter(state=state)
    rows = list(found[:300])
    for s in rows:
        s.may_decide = s.state == Suggestion.State.NEW and can(  # type: ignore[attr-defined]
            request.user, Action.MANAGE, s.library_id
        )
    open_lists = [s for s in SelectionList.objects.filter(closed_at=None) if selection.is_open(s)]
    drafts = Order.objects.filter(
        state=Order.State.DRAFT, library__in=libraries_for(request.user, Action.MANAGE)
    ).select_related("supplier", "library")
    return render(
        request,
        "purchasing/suggestions.html",
        {
            "rows": rows,
            "state": state,
            "states": Suggestion.State.choices,
            "lists": open_lists,
            "drafts": drafts,
            "funds": Fund.objects.filter(
                library__in=libraries_for(request.user, Action.MANAGE)
            ).order_by("library__name", "-year", "name"),
            "library": current_library(request),
            "typed": request.POST if request.method == "POST" else {},
        },
    )


@staff_required
@require_POST
def desk(request: HttpRequest) -> HttpResponse:
    """A suggestion taken at the desk, for a patron found by card (or anonymous)."""
    library = current_library(request)
    card = request.POST.get("card", "").strip()
    patron = Patron.objects.filter(card_number=card).first() if card else None
    try:
        if library is None:
            raise DomainError("no_library", _("Choose the library you work at first."))
        if card and patron is None:
            raise DomainError(
                "unknown_card", _("No patron has the card %(card)s.") % {"card": card}
            )
        suggestions.suggest(
            patron,
            library,
            title=request.POST.get("title", ""),
            author=request.POST.get("author", ""),
            isbn=request.POST.get("isbn", ""),
            why=request.POST.get("why", ""),
            wants_hold=bool(request.POST.get("wants_hold")),
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return suggestion_list(request)  # the form keeps what was typed
    messages.success(request, _("Suggestion recorded."))
    return redirect("purchasing:suggestions")


@staff_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        if decision == "list":
            chosen = get_object_or_404(SelectionList, pk=number(request.POST, "selection"))
            suggestions.accept_to_list(
                request.user,
                suggestion,
                chosen,
                public_price=_price(request.POST.get("public_price", "")),
            )
            messages.success(request, _("Proposed on the list “%(name)s”.") % {"name": chosen.name})
        elif decision == "order":
            order = get_object_or_404(Order, pk=number(request.POST, "order"))
            fund = get_object_or_404(Fund, pk=number(request.POST, "fund"))
            price = _price(request.POST.get("public_price", ""))
            if price is None:
                raise DomainError("price_missing", _("Give the public price (e.g. 19,90)."))
            suggestions.accept_to_order(
                request.user,
                suggestion,
                order,
                fund,
                price,
                overspent_reason=request.POST.get("overspent_reason", ""),
            )
            messages.success(
                request, _("Added to the order %(number)s.") % {"number": order.number}
            )
        elif decision == "refuse":
            suggestions.refuse(request.user, suggestion, request.POST.get("reason", ""))
            messages.success(request, _("Suggestion refused: the patron sees why."))
        else:
            raise DomainError("decision_missing", _("Choose what to do with the suggestion."))
    except DomainError as error:
        messages.error(request, f"{suggestion.title} : {error.message}")
    return redirect("purchasing:suggestions")
