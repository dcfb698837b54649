from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.circulation.errors import CirculationError
from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.workshop import labels as label_sheets
from maillon.workshop import services
from maillon.workshop.models import Batch, LabelSheet, Task, WorkOrder, Workshop


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    workshop = Workshop.objects.select_related("library").first()
    here = current_library(request)
    context: dict[str, object] = {
        "workshop": workshop,
        "here": here,
        "kinds": WorkOrder.Kind.choices,
        "may_send": here is not None and can(request.user, Action.CIRCULATE, here),
    }
    if workshop is not None:
        context.update(
            figures=services.figures(workshop, timezone.localdate()),
            queued=WorkOrder.objects.filter(workshop=workshop, state=WorkOrder.State.QUEUED)
            .select_related("item__record", "home")
            .order_by("arrived_at")[:300],
            travelling=WorkOrder.objects.filter(
                workshop=workshop, state=WorkOrder.State.TRAVELLING
            ).select_related("item__record", "home")[:300],
            batches=Batch.objects.filter(workshop=workshop)[:30],
            at_workshop=can(request.user, Action.CIRCULATE, workshop.library),
        )
    return render(request, "workshop/queue.html", context)


@staff_required
@require_POST
def send(request: HttpRequest) -> HttpResponse:
    library = current_library(request)
    if library is None:
        messages.error(request, _("Choose the library you work at first."))
        return redirect("workshop:queue")
    try:
        order = services.send(
            request.user,
            library,
            request.POST.get("barcode", "").strip(),
            request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
        )
    except (services.WorkshopError, CirculationError) as error:
        messages.error(request, error.message)
    else:
        if order.state == WorkOrder.State.QUEUED:
            messages.success(request, _("In the workshop's queue."))
        else:
            messages.success(
                request,
                _("To send to the workshop by the shuttle: it is on today's list to send."),
            )
    return redirect("workshop:queue")


@staff_required
@require_POST
def create_batch(request: HttpRequest) -> HttpResponse:
    try:
        made = services.create_batch(request.user, request.POST.get("name", ""))
    except services.WorkshopError as error:
        messages.error(request, error.message)
        return redirect("workshop:queue")
    return redirect("workshop:batch", pk=made.pk)


def _batch(request: HttpRequest, pk: int) -> Batch:
    found = get_object_or_404(Batch.objects.select_related("workshop__library"), pk=pk)
    require(request.user, Action.VIEW, found.workshop.library)
    return found


@staff_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    orders = found.orders.select_related("item__record", "home", "return_transfer").order_by(
        "item__call_number"
    )
    return render(
        request,
        "workshop/batch.html",
        {
            "batch": found,
            "orders": orders,
            "tasks": Task.choices,
            "received": services.received(found),
            "sheets": list(LabelSheet.objects.all()) or [label_sheets.DEFAULT_SHEET],
            "may_work": can(request.user, Action.CIRCULATE, found.workshop.library),
        },
    )


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    try:
        action()
    except services.WorkshopError as error:
        messages.error(request, error.message)
    return redirect("workshop:batch", pk=pk)


@staff_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda: services.add_to_batch(request.user, pk, request.POST.get("barcode", "")),
    )


@staff_required
@require_POST
def work(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    order = get_object_or_404(WorkOrder, pk=order_pk, batch_id=pk)
    raw = request.POST.get("minutes", "0").strip() or "0"
    if not raw.isdigit():
        messages.error(request, _("Time spent is a number of minutes."))
        return redirect("workshop:batch", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.record_work(
            request.user,
            order,
            request.POST.getlist("tasks"),
            int(raw),
            replace=request.POST.get("replace") == "1",
        ),
    )


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.close_batch(request.user, pk))


@staff_required
@require_POST
def send_batch(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.send_batch(request.user, pk))


@staff_required
def labels(request: HttpRequest, pk: int) -> HttpResponse:
    """Spine or barcode labels for the batch's items (?type=spine|barcode&planche=ID&sauter=N)."""
    found = _batch(request, pk)
    kind = request.GET.get("type", "spine")
    if kind not in label_sheets.KINDS:
        kind = "spine"
    sheet_id = request.GET.get("planche", "")
    sheet = (
        get_object_or_404(LabelSheet, pk=int(sheet_id))
        if sheet_id.isdigit()
        else LabelSheet.objects.first() or label_sheets.DEFAULT_SHEET
    )
    skip_raw = request.GET.get("sauter", "0")
    skip = int(skip_raw) if skip_raw.isdigit() and int(skip_raw) < sheet.columns * sheet.rows else 0
    items = [
        o.item for o in found.orders.select_related("item__record").order_by("item__call_number")
    ]
    response = HttpResponse(
        label_sheets.pdf(items, sheet, kind, skip), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="etiquettes-{kind}-{found.pk}.pdf"'
    return response


@staff_required
def replacements(request: HttpRequest) -> HttpResponse:
    """Items the workshop proposes to buy again rather than repair, for a library."""
    here = current_library(request)
    code = request.GET.get("bibliotheque") or (here.code if here else "")
    library = get_object_or_404(Library, code=code) if code else None
    if library is not None:
        require(request.user, Action.VIEW, library)
    rows = (
        WorkOrder.objects.filter(home=library, replace=True)
        .select_related("item__record", "batch")
        .order_by("-batch__sent_at", "-pk")[:300]
        if library
        else []
    )
    return render(request, "workshop/replacements.html", {"library": library, "rows": rows})
