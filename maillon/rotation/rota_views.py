"""Staff pages of the rotas: single items moving between libraries on a schedule."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.decorators import staff_required
from maillon.core.errors import DomainError
from maillon.core.params import number
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.rotation import rotas
from maillon.rotation.models import Rota, RotaItem


@staff_required
def rota_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            rota = rotas.create(
                request.user,
                request.POST.get("name", ""),
                cyclical=bool(request.POST.get("cyclical")),
                description=request.POST.get("description", ""),
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("rotation:rotas")
        return redirect("rotation:rota", pk=rota.pk)
    found = Rota.objects.prefetch_related("stages__library").order_by("name")
    return render(
        request,
        "rotation/rotas.html",
        {"rotas": found, "may_edit": can(request.user, Action.ADMINISTER)},
    )


def _act(request: HttpRequest, rota: Rota) -> None:
    """One form of the rota's page: a stage, a scanned item, an item taken off."""
    require(request.user, Action.ADMINISTER)
    action = request.POST.get("action")
    if action == "stage":
        library = Library.objects.filter(pk=number(request.POST, "library")).first()
        if library is None:
            messages.error(request, _("Choose the stage's library."))
            return
        rotas.add_stage(request.user, rota, library, number(request.POST, "days"))
        messages.success(request, _("Stage added: %(library)s.") % {"library": library.name})
    elif action == "scan":
        entry = rotas.add_item(request.user, rota, request.POST.get("barcode", ""))
        messages.success(
            request,
            _("%(barcode)s — %(title)s is on the rota.")
            % {"barcode": entry.item.barcode, "title": entry.item.record.title},
        )
    elif action == "remove":
        entry = get_object_or_404(RotaItem, pk=number(request.POST, "entry"), rota=rota)
        rotas.remove_item(request.user, entry)
        messages.success(
            request, _("%(barcode)s is off the rota.") % {"barcode": entry.item.barcode}
        )


@staff_required
def rota_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_object_or_404(Rota, pk=pk)
    if request.method == "POST":
        try:
            _act(request, rota)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("rotation:rota", pk=rota.pk)
    return render(
        request,
        "rotation/rota.html",
        {
            "rota": rota,
            "stages": rota.stages.select_related("library"),
            "rows": rotas.where(rota, timezone.localdate()),
            "libraries": Library.objects.order_by("name"),
            "may_edit": can(request.user, Action.ADMINISTER),
        },
    )
