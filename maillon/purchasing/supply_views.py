"""Supplies pages: the workshop's stock and the network's orders; an order's grid of needs
(each library fills its own column), sending, receiving and the split; the articles."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, require
from maillon.purchasing import supplies
from maillon.purchasing.forms import SupplyArticleForm, SupplyOrderForm
from maillon.purchasing.models import SupplyArticle, SupplyOrder
from maillon.purchasing.services import PurchasingError


@staff_required
def supplies_home(request: HttpRequest) -> HttpResponse:
    may_open = can(request.user, Action.ADMINISTER)
    form = SupplyOrderForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Action.ADMINISTER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = supplies.create_order(
                    request.user, data["season"], data["supplier"], data["needs_by"]
                )
            except PurchasingError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request, _("Supplies order opened: the libraries can give their needs.")
                )
                return redirect("purchasing:supply_order", pk=order.pk)
    workshop = supplies.workshop_library()
    return render(
        request,
        "purchasing/supplies.html",
        {
            "orders": SupplyOrder.objects.select_related("supplier", "receiving_library")[:20],
            "articles": SupplyArticle.objects.filter(active=True),
            "workshop": workshop,
            "may_use": workshop is not None and can(request.user, Action.MANAGE, workshop),
            "may_edit": may_open,
            "form": form if may_open else None,
        },
    )


@staff_required
def supply_order(request: HttpRequest, pk: int) -> HttpResponseBase:
    order = get_object_or_404(
        SupplyOrder.objects.select_related("supplier", "receiving_library"), pk=pk
    )
    here = current_library(request)
    mine = here if here is not None and can(request.user, Action.MANAGE, here) else None
    articles = list(SupplyArticle.objects.filter(active=True))
    typed: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "needs":
                workshop = request.POST.get("pour") == "atelier"
                library = None if workshop else mine
                if library is None and not workshop:
                    raise PurchasingError(
                        "no_library", _("Work at one of your libraries to give its needs.")
                    )
                typed = {k: request.POST.get(k, "") for k in request.POST if k.startswith("q-")}
                quantities = {a.pk: typed.get(f"q-{a.pk}", "") for a in articles}
                supplies.set_needs(request.user, order, library, quantities)
                messages.success(request, _("Needs saved."))
            elif action == "send":
                supplies.send(request.user, order)
                messages.success(request, _("Supplies order sent."))
            elif action == "receive":
                supplies.receive(request.user, order)
                messages.success(request, _("Supplies received: split them as below."))
        except PurchasingError as error:
            messages.error(request, error.message)
        else:
            return redirect("purchasing:supply_order", pk=order.pk)
    grid = supplies.grid(order)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [_("Article"), _("Unit")] + [
            lib.name if lib else _("Workshop stock") for lib in grid.columns
        ]
        rows = [[a.name, a.unit, *counts, total] for a, counts, total in grid.rows]
        return table_response(
            fmt,
            f"fournitures-{order.pk}",
            [[*header, _("Total")], *rows],
            title=_("Supplies"),
        )
    own = dict(order.needs.filter(library=mine).values_list("article_id", "quantity"))
    workshop_own = dict(order.needs.filter(library=None).values_list("article_id", "quantity"))
    is_open = order.state == SupplyOrder.State.OPEN
    return render(
        request,
        "purchasing/supply_order.html",
        {
            "order": order,
            "grid": grid,
            "mine": mine if is_open else None,
            "own_rows": [(a, typed.get(f"q-{a.pk}", own.get(a.pk, ""))) for a in articles],
            "workshop_rows": [(a, workshop_own.get(a.pk, "")) for a in articles],
            "may_workshop": is_open and can(request.user, Action.MANAGE, order.receiving_library),
            "may_send": is_open and can(request.user, Action.ADMINISTER),
            "may_receive": order.state == SupplyOrder.State.SENT
            and can(request.user, Action.MANAGE, order.receiving_library),
            "shares": supplies.shares(order) if order.state == SupplyOrder.State.RECEIVED else [],
        },
    )


@staff_required
@require_POST
def supply_use(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(SupplyArticle, pk=pk)
    try:
        article = supplies.use(request.user, article, request.POST.get("quantity", ""))
    except PurchasingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(article)s: %(n)d left at the workshop.")
            % {"article": article.name, "n": article.in_stock},
        )
        if article.low:
            messages.warning(request, _("Low stock: a line is in the next supplies order."))
    return redirect("purchasing:supplies")


@staff_required
def supply_article(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = get_object_or_404(SupplyArticle, pk=pk) if pk else None
    if request.method == "POST":
        require(request.user, Action.ADMINISTER)
    form = SupplyArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        try:
            supplies.save_article(request.user, form.instance)
        except PurchasingError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Article saved."))
            return redirect("purchasing:supplies")
    return render(
        request,
        "purchasing/supply_article.html",
        {"form": form, "article": article, "may_edit": can(request.user, Action.ADMINISTER)},
    )
