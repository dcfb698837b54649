import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Item
from maillon.circulation import capacity
from maillon.circulation.errors import CirculationError
from maillon.core.decorators import staff_required
from maillon.core.errors import DomainError
from maillon.core.exports import table_response
from maillon.core.params import number
from maillon.lots import services as lots
from maillon.lots.models import Lot
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.rotation import board, printing, proposals, runsheet, services
from maillon.rotation.forms import CapacityForm, PlanForm, RouteForm, SwapForm
from maillon.rotation.models import Plan, PlanLibrary, ShuttleLimit, ShuttleStop


@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.prefetch_related("members__library").order_by("-start", "name")
    return render(
        request,
        "rotation/list.html",
        {"plans": plans, "may_edit": can(request.user, Action.ADMINISTER)},
    )


def _initial(plan: Plan) -> dict:
    members = list(plan.members.select_related("library"))
    lots = list(plan.lots.select_related("lot"))
    return {
        "name": plan.name,
        "kind": plan.kind,
        "every": plan.every,
        "unit": plan.unit,
        "start": plan.start,
        "exchanges": plan.exchanges,
        "end": plan.end,
        "libraries": ", ".join(m.library.code for m in members),
        "no_youth": ", ".join(m.library.code for m in members if not m.youth),
        "max_lots": "; ".join(f"{m.library.code}={m.max_lots}" for m in members if m.max_lots),
        "skips": "; ".join(
            f"{m.library.code}={','.join(map(str, m.skips))}" for m in members if m.skips
        ),
        "lots": [pl.lot for pl in lots],
        "youth_lots": [pl.lot for pl in lots if pl.youth_only],
    }


@staff_required
def plan_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    plan = get_object_or_404(Plan, pk=pk) if pk else None
    form = PlanForm(request.POST or None, initial=_initial(plan) if plan else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        members = [
            services.MemberInput(
                library=lib,
                youth=lib.pk not in data["no_youth"],
                max_lots=data["max_lots"].get(lib.code),
                skips=data["skips"].get(lib.code, []),
            )
            for lib in data["libraries"]
        ]
        try:
            plan = services.save_plan(
                request.user,
                plan,
                name=data["name"],
                kind=data["kind"],
                every=data["every"],
                unit=data["unit"],
                start=data["start"],
                exchanges=data["exchanges"],
                end=data["end"],
                members=members,
                lots_in=list(data["lots"]),
                youth_lots=list(data["youth_lots"]),
            )
            services.generate(request.user, plan)
        except services.PlanError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The plan is saved and its grid generated."))
            return redirect("rotation:detail", pk=plan.pk)
    return render(request, "rotation/form.html", {"form": form, "plan": plan})


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    may_edit = can(request.user, Action.ADMINISTER)
    if plan.published_at is None and not may_edit:
        raise Http404
    table = services.table(plan)
    # The notes hold the last full evaluation (generation or swap): the rules the check finds
    # and those only the route knows (stuck lots, lots outside the plan, missing shuttle days).
    issues = services.issues_of(plan)
    notes = [i for i in issues if not i.broken]
    libraries = Library.objects.filter(pk__in=[m.library_id for m in table.members])
    return render(
        request,
        "rotation/detail.html",
        {
            "plan": plan,
            "table": table,
            "broken": services.messages(plan, [i for i in issues if i.broken]),
            "notes": services.messages(plan, notes),
            "may_edit": may_edit,
            "swap": SwapForm(libraries=libraries, exchanges=table.exchanges) if may_edit else None,
            "runnable": {
                m.library_id
                for m in table.members
                if services.may_run(request.user, plan, m.library)
            },
        },
    )


def _plan_for_edit(request: HttpRequest, pk: int) -> Plan:
    require(request.user, Action.ADMINISTER)
    return get_object_or_404(Plan, pk=pk)


@staff_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_edit(request, pk)
    try:
        result = services.generate(request.user, plan)
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Grid generated: %(n)s exchange dates.") % {"n": len(result.spec.dates)}
        )
    return redirect("rotation:detail", pk=plan.pk)


@staff_required
@require_POST
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_edit(request, pk)
    libraries = Library.objects.filter(
        pk__in=PlanLibrary.objects.filter(plan=plan).values("library")
    )
    form = SwapForm(request.POST, libraries=libraries, exchanges=plan.dates.all())
    if not form.is_valid():
        messages.error(request, _("Choose an exchange and two libraries."))
        return redirect("rotation:detail", pk=plan.pk)
    try:
        broken = services.swap(
            request.user,
            plan,
            form.cleaned_data["number"],
            form.cleaned_data["first"],
            form.cleaned_data["second"],
        )
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        if broken:
            for text in services.messages(plan, broken):
                messages.warning(request, text)
        else:
            messages.success(request, _("Cells swapped: the grid keeps all its rules."))
    return redirect("rotation:detail", pk=plan.pk)


@staff_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_edit(request, pk)
    try:
        services.publish(request.user, plan)
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The grid is published: each library sees its next exchange."))
    return redirect("rotation:detail", pk=plan.pk)


@staff_required
@require_POST
def run(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    library = None
    if request.POST.get("library"):
        library = get_object_or_404(Library, code=request.POST["library"])
    try:
        result = services.run_exchange(request.user, plan, number, library)
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        if result.sent:
            messages.success(
                request,
                ngettext("%(n)s lot sent.", "%(n)s lots sent.", len(result.sent))
                % {"n": len(result.sent)},
            )
        else:
            messages.info(request, _("Nothing left to send on this date."))
        for text in result.refused:
            messages.error(request, text)
    return redirect("rotation:detail", pk=plan.pk)


def _readable(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan, pk=pk)
    if plan.published_at is None and not can(request.user, Action.ADMINISTER):
        raise Http404
    return plan


@staff_required
def print_grid(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    plan = _readable(request, pk)
    library = get_object_or_404(Library, code=code) if code else None
    response = HttpResponse(printing.pdf(plan, library), content_type="application/pdf")
    name = f"grille-{plan.pk}" + (f"-{library.code}" if library else "")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@staff_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _readable(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(  # type: ignore[return-value]
        fmt, f"grille-{plan.pk}", printing.rows(plan), title=_("Exchange grid")
    )


@staff_required
def exchange_board(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The live board of one exchange date: the coordinator sees every library; a library's
    staff see their own part (what to pack, what to receive)."""
    plan = _readable(request, pk)
    libraries = board.libraries_of(request.user, plan)
    found = board.board(plan, number, libraries, timezone.localdate())
    if found is None:
        raise Http404
    return render(request, "rotation/board.html", {"plan": plan, "board": found})


@staff_required
def capacities(request: HttpRequest) -> HttpResponse:
    """Each library's stock against its capacity; the coordinator sets the caps here."""
    may_edit = can(request.user, Action.ADMINISTER)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and may_edit and form.is_valid():
        data = form.cleaned_data
        try:
            capacity.set_capacity(
                request.user,
                data["library"],
                location=data["location"],
                max_items=data["max_items"],
                max_copies=data["max_copies"],
            )
        except CirculationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Capacity saved."))
            return redirect("rotation:capacities")
    libraries = list(Library.objects.filter(is_active=True).order_by("name"))
    return render(
        request,
        "rotation/capacities.html",
        {
            "lines": capacity.stock_against_capacity(libraries),
            "form": form if may_edit else None,
        },
    )


@staff_required
def shuttle_runs(request: HttpRequest) -> HttpResponse:
    """The coming shuttle runs, each with its volume against the limit; the coordinator sets
    the stop order and the limits here."""
    may_edit = can(request.user, Action.ADMINISTER)
    limit = ShuttleLimit.current()
    stops = " ".join(
        ShuttleStop.objects.order_by("position").values_list("library__code", flat=True)
    )
    form = RouteForm(
        request.POST or None,
        initial={"stops": stops, "max_items": limit.max_items, "max_crates": limit.max_crates},
    )
    if request.method == "POST" and may_edit and form.is_valid():
        data = form.cleaned_data
        try:
            runsheet.set_route(
                request.user, data["stops"].split(), data["max_items"], data["max_crates"]
            )
        except DomainError as error:
            form.add_error("stops", error.message)
        else:
            messages.success(request, _("Shuttle route saved."))
            return redirect("rotation:runs")
    return render(
        request,
        "rotation/runs.html",
        {
            "runs": runsheet.runs(timezone.localdate()),
            "limit": limit,
            "form": form if may_edit else None,
        },
    )


def _run(day: str) -> runsheet.Run:
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    run = runsheet.run_of(date, timezone.localdate())
    if run is None:
        raise Http404
    return run


@staff_required
def run_sheet(request: HttpRequest, day: str) -> HttpResponse:
    run = _run(day)
    for stop in run.stops:
        for side in (stop.on, stop.off):
            for tool in side.tools:
                # A booking's page is in the files of the two libraries it travels between.
                if not (
                    can(request.user, Action.VIEW_PRIVATE, stop.library)
                    or can(request.user, Action.VIEW_PRIVATE, tool.other)
                ):
                    tool.url = ""
    return render(request, "rotation/run.html", {"run": run})


@staff_required
def run_sheet_pdf(request: HttpRequest, day: str) -> HttpResponse:
    run = _run(day)
    response = HttpResponse(runsheet.pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="navette-{run.day}.pdf"'
    return response


@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """What to move to or from a library, and why, each one click from a lot or the shuttle."""
    libraries = Library.objects.filter(is_active=True).order_by("name")
    chosen = request.GET.get("library", "")
    library = (
        libraries.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    ) or current_library(request)
    months = request.GET.get("months", "12")
    months_n = int(months) if months.isdigit() and 1 <= int(months) <= 120 else 12
    found = proposals.proposals(library, months_n) if library is not None else []
    stations = {p.item.current_id for p in found}
    lots_at: dict[int, list[Lot]] = {}
    for lot in Lot.objects.filter(station_id__in=stations, state=Lot.State.AT_STATION).order_by(
        "name"
    ):
        lots_at.setdefault(lot.station_id, []).append(lot)
    for proposal in found:
        proposal.lots = lots_at.get(proposal.item.current_id, [])  # type: ignore[attr-defined]
    return render(
        request,
        "rotation/proposals.html",
        {
            "libraries": libraries,
            "library": library,
            "months": months_n,
            "proposals": found,
            "may_send": can(request.user, Action.ADMINISTER),
        },
    )


def _back_to_proposals(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("back", "")
    if target.startswith("/pro/plans-de-circulation/propositions/"):
        return redirect(target)
    return redirect("rotation:proposals")


@staff_required
@require_POST
def proposal_send(request: HttpRequest) -> HttpResponse:
    item = get_object_or_404(Item, pk=number(request.POST, "item"))
    to_library = get_object_or_404(Library, pk=number(request.POST, "to_library"))
    try:
        proposals.send(request.user, item, to_library)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(barcode)s now belongs %(library)s: send it by the shuttle.")
            % {"barcode": item.barcode, "library": to_library.to_name},
        )
    return _back_to_proposals(request)


@staff_required
@require_POST
def proposal_lot(request: HttpRequest) -> HttpResponse:
    item = get_object_or_404(Item, pk=number(request.POST, "item"))
    try:
        lot = lots.find(request.POST.get("lot", ""))
        lots.add(request.user, lot, item.barcode)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(barcode)s put in the lot %(code)s.") % {"barcode": item.barcode, "code": lot.code},
        )
    return _back_to_proposals(request)
