"""Staff pages of receiving and invoices (thin: every change is a receiving.* call)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.catalogue.models import ItemStatus
from maillon.core.decorators import staff_required
from maillon.core.params import number
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.purchasing import receiving
from maillon.purchasing.models import Invoice, OrderLine, Supplier
from maillon.purchasing.services import PurchasingError


@staff_required
def reception(request: HttpRequest) -> HttpResponse:
    """Scan an ISBN or EAN: the open lines it matches at the library one works at."""
    library = current_library(request)
    code = request.GET.get("code", "").strip()
    lines, error = [], ""
    if library is not None and code:
        require(request.user, Action.CIRCULATE, library)
        try:
            lines = receiving.open_lines(library, code)
        except PurchasingError as refusal:
            error = refusal.message
    return render(
        request,
        "purchasing/reception.html",
        {
            "library": library,
            "code": code,
            "lines": lines,
            "error": error,
            "statuses": [
                (ItemStatus.AVAILABLE, _("available at once")),
                (ItemStatus.IN_PROCESSING, _("in processing (to equip first)")),
            ],
            "typed": request.session.pop("purchasing_typed", {}),
        },
    )


@staff_required
@require_POST
def receive(request: HttpRequest, line_pk: int) -> HttpResponse:
    line = get_object_or_404(OrderLine.objects.select_related("order", "record"), pk=line_pk)
    barcodes = request.POST.get("barcodes", "").split()
    code = request.POST.get("code", "")
    quantity = number(request.POST, "quantity")
    try:
        if quantity != len(barcodes):
            raise PurchasingError(
                "count_mismatch",
                _("%(q)d copies confirmed but %(n)d barcodes scanned: one barcode per copy.")
                % {"q": quantity, "n": len(barcodes)},
            )
        receipt = receiving.receive(
            request.user,
            line,
            barcodes,
            status=request.POST.get("status", ItemStatus.AVAILABLE),
        )
    except PurchasingError as error:
        messages.error(request, f"{line.record.title} : {error.message}")
        # What was scanned comes back in the form (nothing lost).
        request.session["purchasing_typed"] = {
            "line": line.pk,
            "quantity": request.POST.get("quantity", ""),
            "barcodes": "\n".join(barcodes),
        }
        return redirect(f"{reverse('purchasing:reception')}?code={code}")
    messages.success(
        request,
        ngettext(
            "%(n)d copy of “%(title)s” received.",
            "%(n)d copies of “%(title)s” received.",
            receipt.quantity,
        )
        % {"n": receipt.quantity, "title": line.record.title},
    )
    return redirect("purchasing:reception")


def _amount(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ".").replace("\u00a0", "").replace(" ", "").strip())
    except InvalidOperation:
        return None


@staff_required
def invoices(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.MANAGE)
    library = current_library(request)
    if library is None or not can(request.user, Action.MANAGE, library):
        library = libraries.first()
    wanted = request.GET.get("fournisseur", "")
    # A hand-typed address may carry anything: only a number names a supplier.
    supplier = Supplier.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    pending = receiving.uninvoiced(supplier, library) if supplier and library else []
    typed = request.POST if request.method == "POST" else {}
    if request.method == "POST" and supplier and library:
        excl, incl = _amount(typed.get("excl", "")), _amount(typed.get("incl", ""))
        try:
            when = dt.date.fromisoformat(typed.get("date", ""))
        except ValueError:
            when = None
        try:
            if excl is None or incl is None:
                raise PurchasingError(
                    "amount_invalid", _("Give both amounts, e.g. 120,50."), field="excl"
                )
            invoice, warning = receiving.record_invoice(
                request.user,
                supplier,
                library,
                number=typed.get("number", ""),
                date=when,
                amount_excl_tax=excl,
                amount_incl_tax=incl,
                receipt_ids=[int(v) for v in request.POST.getlist("receipts") if v.isdigit()],
            )
        except PurchasingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Invoice %(number)s recorded.") % {"number": invoice.number}
            )
            if warning:
                messages.warning(request, warning)
            return redirect(f"{reverse('purchasing:invoices')}?fournisseur={supplier.pk}")
    return render(
        request,
        "purchasing/invoices.html",
        {
            "library": library,
            "supplier": supplier,
            "suppliers": Supplier.objects.all(),
            "pending": pending,
            "pending_total": receiving.receipts_total(pending),
            "typed": typed,
            "invoices": Invoice.objects.filter(library__in=libraries)
            .select_related("supplier", "library")
            .order_by("-date", "-pk")[:200],
        },
    )
