"""Staff pages of purchasing: budgets and suppliers (thin: every change is a service call)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.purchasing import services
from maillon.purchasing.forms import ContactForm, FundForm, SupplierForm
from maillon.purchasing.models import Fund, Supplier, SupplierContact


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    library = current_library(request)
    year = timezone.localdate().year
    funds = []
    if library is not None and can(request.user, Action.MANAGE, library):
        funds = services.figures(services.funds_for(library, year))
    return render(
        request,
        "purchasing/home.html",
        {"library": library, "year": year, "funds": funds},
    )


@staff_required
def budgets(request: HttpRequest) -> HttpResponse:
    """Every fund of the year at the libraries the user manages (all of them: coordinator)."""
    year = _year(request)
    libraries = libraries_for(request.user, Action.MANAGE)
    form = FundForm(
        request.POST or None,
        libraries=libraries,
        initial={"library": current_library(request), "year": year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fund(request.user, form.instance)
        except services.PurchasingError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Fund saved."))
            return redirect(f"{request.path}?annee={form.instance.year}")
    funds = services.figures(
        Fund.objects.filter(library__in=libraries, year=year).select_related("library")
    )
    by_library: dict = {}
    for found in funds:
        by_library.setdefault(found.fund.library, []).append(found)
    totals = {
        library: {
            "amount": sum(f.fund.amount for f in rows),
            "committed": sum(f.committed for f in rows),
            "spent": sum(f.spent for f in rows),
            "left": sum(f.left for f in rows),
            "planned": sum(f.planned for f in rows),
        }
        for library, rows in by_library.items()
    }
    return render(
        request,
        "purchasing/budgets.html",
        {
            "year": year,
            "years": [year - 1, year + 1],
            "groups": [(lib, rows, totals[lib]) for lib, rows in by_library.items()],
            "form": form if libraries.exists() else None,
        },
    )


@staff_required
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.select_related("library"), pk=pk)
    require(request.user, Action.MANAGE, fund.library)
    form = FundForm(
        request.POST or None,
        instance=fund,
        libraries=libraries_for(request.user, Action.MANAGE),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fund(request.user, form.instance)
        except services.PurchasingError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Fund saved."))
            return redirect(f"{reverse('purchasing:budgets')}?annee={fund.year}")
    return render(
        request,
        "purchasing/fund_form.html",
        {"form": form, "fund": fund, "figures": services.figures_of(fund)},
    )


@staff_required
def suppliers(request: HttpRequest) -> HttpResponse:
    found = Supplier.objects.select_related("medium").prefetch_related("contacts")
    rows = [(s, services.discount_warning(s.discount, s.medium)) for s in found]
    return render(
        request,
        "purchasing/suppliers.html",
        {"rows": rows, "may_edit": can(request.user, Action.ADMINISTER)},
    )


@staff_required
def supplier_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=pk) if pk else None
    if request.method == "POST":
        require(request.user, Action.ADMINISTER)
    form = SupplierForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        try:
            warning = services.save_supplier(request.user, form.instance)
        except services.PurchasingError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Supplier saved."))
            if warning:
                messages.warning(request, warning)
            return redirect("purchasing:supplier", pk=form.instance.pk)
    warning = services.discount_warning(supplier.discount, supplier.medium) if supplier else ""
    return render(
        request,
        "purchasing/supplier_form.html",
        {
            "form": form,
            "supplier": supplier,
            "warning": warning,
            "contact_form": ContactForm() if supplier else None,
            "may_edit": can(request.user, Action.ADMINISTER),
        },
    )


@staff_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    supplier = get_object_or_404(Supplier, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        form.instance.supplier = supplier
        form.save()
        messages.success(request, _("Contact added."))
    else:
        messages.error(request, _("The contact needs a name; check the e-mail address."))
    return redirect("purchasing:supplier", pk=pk)


@staff_required
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    get_object_or_404(SupplierContact, pk=contact_pk, supplier_id=pk).delete()
    messages.success(request, _("Contact removed."))
    return redirect("purchasing:supplier", pk=pk)
