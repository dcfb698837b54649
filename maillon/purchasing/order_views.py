"""Staff pages of orders (thin: every change is an orders.* call)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.core.params import number
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.purchasing import documents, orders, titles
from maillon.purchasing.models import Fund, Order, OrderLine, SelectionList, Supplier
from maillon.purchasing.services import PurchasingError


def _order(request: HttpRequest, pk: int) -> Order:
    order = get_object_or_404(Order.objects.select_related("supplier__medium", "library"), pk=pk)
    require(request.user, Action.CIRCULATE, order.library)
    return order


@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.CIRCULATE)
    found = (
        Order.objects.filter(library__in=libraries)
        .select_related("supplier", "library")
        .order_by("-created_at", "-pk")[:300]
    )
    managed = libraries_for(request.user, Action.MANAGE)
    return render(
        request,
        "purchasing/orders.html",
        {
            "orders": found,
            "suppliers": Supplier.objects.filter(active=True),
            "libraries": managed,
        },
    )


@staff_required
@require_POST
def order_new(request: HttpRequest) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=number(request.POST, "supplier"))
    library = get_object_or_404(
        libraries_for(request.user, Action.MANAGE), pk=number(request.POST, "library")
    )
    order = orders.new_order(request.user, supplier, library)
    return redirect("purchasing:order", pk=order.pk)


@staff_required
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(SelectionList, pk=pk)
    supplier = Supplier.objects.filter(pk=number(request.POST, "supplier")).first()
    if supplier is None:
        messages.error(request, _("Choose the supplier."))
        return redirect("purchasing:selection", pk=pk)
    try:
        built = orders.build_from_list(request.user, chosen, supplier)
    except PurchasingError as error:
        messages.error(request, error.message)
        return redirect("purchasing:selection", pk=pk)
    messages.success(
        request,
        ngettext("%(n)d order to review.", "%(n)d orders to review.", len(built.orders))
        % {"n": len(built.orders)},
    )
    if built.unpriced:
        messages.warning(
            request,
            _("Left out, without a public price: %(titles)s.")
            % {"titles": ", ".join(built.unpriced)},
        )
    return redirect("purchasing:orders")


@staff_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    lines = documents.lines_of(order)
    for line in lines:
        line.late = orders.is_late(line)  # type: ignore[attr-defined]
        line.due = orders.due_on(line)  # type: ignore[attr-defined]
    manage = can(request.user, Action.MANAGE, order.library)
    return render(
        request,
        "purchasing/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "totals": documents.totals(lines),
            "warnings": orders.warnings(order),
            "manage": manage,
            "draft": order.state == Order.State.DRAFT,
            "late": any(line.late for line in lines),  # type: ignore[attr-defined]
            "funds": Fund.objects.filter(library=order.library).order_by("-year", "name"),
        },
    )


@staff_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    try:
        orders.send(request.user, order)
    except PurchasingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Order sent: its copies are on order, patrons may hold them now."),
        )
    return redirect("purchasing:order", pk=pk)


@staff_required
@require_POST
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    """A line by ISBN (the catalogue, else the BnF) on a draft order."""
    order = _order(request, pk)
    try:
        fund = Fund.objects.filter(pk=number(request.POST, "fund")).first()
        if fund is None:
            raise PurchasingError("fund_missing", _("Choose the fund the copies are bought from."))
        try:
            price = Decimal(request.POST.get("public_price", "").replace(",", ".").strip())
            quantity = int(request.POST.get("quantity", ""))
        except (InvalidOperation, ValueError) as exc:
            raise PurchasingError(
                "line_invalid", _("Give a number of copies and a price (e.g. 19,90).")
            ) from exc
        record, _from_bnf = titles.by_isbn(
            request.user, order.library, request.POST.get("isbn", "")
        )
        orders.add_line(
            request.user,
            order,
            record,
            fund,
            quantity,
            price,
            overspent_reason=request.POST.get("overspent_reason", ""),
        )
    except PurchasingError as error:
        messages.error(request, error.message)
    return redirect("purchasing:order", pk=pk)


@staff_required
@require_POST
def cancel_line(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    order = _order(request, pk)
    line = get_object_or_404(OrderLine, pk=line_pk, order=order)
    raw = request.POST.get("quantity", "").strip()
    try:
        orders.cancel_line(
            request.user,
            line,
            reason=request.POST.get("reason", ""),
            quantity=int(raw) if raw.isdigit() else None,
        )
    except PurchasingError as error:
        messages.error(request, f"{line.record.title} : {error.message}")
    else:
        messages.success(request, _("Line cancelled."))
    return redirect("purchasing:order", pk=pk)


@staff_required
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    order = _order(request, pk)
    if fmt == "pdf":
        response = HttpResponse(documents.order_pdf(order), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
        return response
    return table_response(fmt, order.number, documents.rows(order), title=order.number)


@staff_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    try:
        late = orders.claim(request.user, order)
    except PurchasingError as error:
        messages.error(request, error.message)
        return redirect("purchasing:order", pk=pk)
    response = HttpResponse(documents.claim_pdf(order, late), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="relance-{order.number}.pdf"'
    return response
