from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Item
from maillon.core.decorators import staff_required
from maillon.inventory import services
from maillon.inventory.forms import InventoryForm, UploadForm
from maillon.inventory.models import Inventory
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, libraries_for, require

MAX_UPLOAD = 2 * 1024 * 1024  # 2 MB: some 150,000 barcodes


@staff_required
def inventory_list(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.CIRCULATE)
    form = InventoryForm(
        request.POST or None, libraries=libraries, initial={"library": current_library(request)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inventory = services.start(
                request.user,
                data["library"],
                data["name"],
                call_from=data["call_from"],
                call_to=data["call_to"],
                location=data["location"],
            )
        except services.InventoryError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("inventory:detail", pk=inventory.pk)
    inventories = Inventory.objects.select_related("library").filter(library__in=libraries)
    rows = services.summaries(list(inventories[:50]))
    return render(
        request,
        "inventory/list.html",
        {"rows": rows, "form": form if libraries.exists() else None},
    )


def _inventory(request: HttpRequest, pk: int) -> Inventory:
    inventory = get_object_or_404(Inventory.objects.select_related("library"), pk=pk)
    require(request.user, Action.VIEW, inventory.library)
    return inventory


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    last = request.session.pop(f"inventory-{pk}", None)
    # At the shelf (after a scan) the figures only; the lists when asked (or once closed).
    at_shelf = request.GET.get("rayon") == "1" and inventory.state == Inventory.State.OPEN
    report = None if at_shelf else services.report(inventory)
    return render(
        request,
        "inventory/detail.html",
        {
            "inventory": inventory,
            "report": report,
            "summary": services.progress(inventory) if report is None else report,
            "last": last,
            "upload": UploadForm(),
            "may_scan": inventory.state == Inventory.State.OPEN
            and can(request.user, Action.CIRCULATE, inventory.library),
            "may_close": inventory.state == Inventory.State.OPEN
            and can(request.user, Action.MANAGE, inventory.library),
        },
    )


@staff_required
@require_POST
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    try:
        result = services.scan(request.user, inventory, request.POST.get("barcode", ""))
    except services.InventoryError as error:
        messages.error(request, error.message)
    else:
        request.session[f"inventory-{pk}"] = {"kind": result.kind, "message": result.message}
    return redirect(reverse("inventory:detail", args=[pk]) + "?rayon=1")


@staff_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of barcodes."))
        return redirect("inventory:detail", pk=pk)
    data = form.cleaned_data["file"]
    if data.size > MAX_UPLOAD:
        messages.error(request, _("The file is too large (2 MB at most)."))
        return redirect("inventory:detail", pk=pk)
    text = data.read().decode("utf-8", errors="replace").replace("\x00", "")
    try:
        counts = services.scan_file(request.user, inventory, text.splitlines())
    except services.InventoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(read)d barcode read (%(unknown)d unknown, %(repeated)d already scanned).",
                "%(read)d barcodes read (%(unknown)d unknown, %(repeated)d already scanned).",
                counts["read"],
            )
            % counts,
        )
    return redirect("inventory:detail", pk=pk)


@staff_required
@require_POST
def fix(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    item = get_object_or_404(Item, pk=item_pk)
    try:
        result = services.fix(request.user, inventory, item)
    except services.InventoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{item.barcode} : {result.message}")
    return redirect("inventory:detail", pk=pk)


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory(request, pk)
    try:
        marked = services.close(
            request.user, inventory, mark_missing=request.POST.get("mark_missing") == "1"
        )
    except services.InventoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Inventory closed: %(count)d item recorded missing.",
                "Inventory closed: %(count)d items recorded missing.",
                marked,
            )
            % {"count": marked},
        )
    return redirect("inventory:detail", pk=pk)
