from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.audit.display import lines
from maillon.audit.services import entries_for
from maillon.catalogue.models import Item
from maillon.core.decorators import staff_required
from maillon.lots import printing, services
from maillon.lots.forms import LotForm, ReceiveForm, SelectionForm, SendForm
from maillon.lots.models import Lot
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, libraries_for, require


@staff_required
def lot_list(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.CIRCULATE)
    form = LotForm(
        request.POST or None, libraries=libraries, initial={"library": current_library(request)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.create(
                request.user, form.cleaned_data["library"], form.cleaned_data["name"]
            )
        except services.LotError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("lots:detail", code=lot.code)
    lots = Lot.objects.select_related("station", "destination").order_by("station__name", "name")
    return render(
        request,
        "lots/list.html",
        {
            "lots": lots,
            "form": form if libraries.exists() else None,
            "receive": ReceiveForm(),
        },
    )


def _lot(request: HttpRequest, code: str) -> Lot:
    lot = get_object_or_404(Lot.objects.select_related("station", "destination"), code=code)
    require(request.user, Action.VIEW, lot.station)
    return lot


@staff_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    lot = _lot(request, code)
    may_build = lot.state == Lot.State.AT_STATION and can(
        request.user, Action.CIRCULATE, lot.station
    )
    history = lines(entries_for(lot).select_related("user", "library").order_by("-at", "-pk")[:100])
    return render(
        request,
        "lots/detail.html",
        {
            "lot": lot,
            "contents": services.contents(lot),
            "history": history,
            "last": request.session.pop(f"lot-{lot.pk}", None),
            "may_build": may_build,
            "selection": SelectionForm(),
            "send": SendForm(exclude=lot.station_id),
        },
    )


@staff_required
@require_POST
def scan(request: HttpRequest, code: str) -> HttpResponse:
    lot = _lot(request, code)
    try:
        item = services.add(request.user, lot, request.POST.get("barcode", ""))
    except services.LotError as error:
        request.session[f"lot-{lot.pk}"] = {"kind": "refused", "message": error.message}
    else:
        request.session[f"lot-{lot.pk}"] = {
            "kind": "ok",
            "message": _("%(barcode)s put in the lot: %(title)s")
            % {"barcode": item.barcode, "title": item.record.title},
        }
    return redirect("lots:detail", code=lot.code)


@staff_required
@require_POST
def add_selection(request: HttpRequest, code: str) -> HttpResponse:
    lot = _lot(request, code)
    form = SelectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the selection."))
        return redirect("lots:detail", code=lot.code)
    data = form.cleaned_data
    chosen = services.selection(
        lot.station,
        collection=data["collection"].pk if data["collection"] else None,
        item_type=data["item_type"].pk if data["item_type"] else None,
        audience=data["audience"],
        call_prefix=data["call_prefix"],
        idle_months=data["idle_months"],
        title=data["title"],
    )
    try:
        added, refused = services.add_many(request.user, lot, chosen)
    except services.LotError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d item put in the lot.", "%(count)d items put in the lot.", added)
            % {"count": added},
        )
        for message in refused[:10]:
            messages.warning(request, message)
    return redirect("lots:detail", code=lot.code)


@staff_required
@require_POST
def remove(request: HttpRequest, code: str, item_pk: int) -> HttpResponse:
    lot = _lot(request, code)
    item = get_object_or_404(Item, pk=item_pk)
    try:
        services.remove(request.user, lot, item)
    except services.LotError as error:
        messages.error(request, error.message)
    return redirect("lots:detail", code=lot.code)


@staff_required
@require_POST
def send(request: HttpRequest, code: str) -> HttpResponse:
    lot = _lot(request, code)
    form = SendForm(request.POST, exclude=lot.station_id)
    if not form.is_valid():
        messages.error(request, _("Choose the library to send the lot to."))
        return redirect("lots:detail", code=lot.code)
    try:
        result = services.send(request.user, lot, form.cleaned_data["to_library"])
    except services.LotError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Lot sent: %(count)d item in the shuttle.",
                "Lot sent: %(count)d items in the shuttle.",
                len(result.sent),
            )
            % {"count": len(result.sent)},
        )
        if result.following:
            messages.warning(
                request,
                _("On loan, will go there when returned: %(items)s")
                % {"items": ", ".join(result.following)},
            )
    return redirect("lots:detail", code=lot.code)


@staff_required
def receive(request: HttpRequest) -> HttpResponse:
    """One scan of the lot's label at the current library receives the whole lot."""
    form = ReceiveForm(request.POST or None)
    result = None
    library = current_library(request)
    if request.method == "POST" and form.is_valid():
        if library is None:
            messages.error(request, _("Choose the library you work at first."))
        else:
            text = form.cleaned_data["barcodes"]
            try:
                lot = services.find(form.cleaned_data["code"])
                result = services.receive(
                    request.user, lot, library, text.split() if text.strip() else None
                )
            except services.LotError as error:
                form.add_error("code", error.message)
            else:
                form = ReceiveForm()
    return render(
        request, "lots/receive.html", {"form": form, "result": result, "library": library}
    )


@staff_required
def print_lot(request: HttpRequest, code: str) -> HttpResponse:
    lot = _lot(request, code)
    response = HttpResponse(printing.pdf(lot), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{lot.code}.pdf"'
    return response
