from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.deposits import services
from maillon.deposits.forms import (
    AllowanceForm,
    AnswerForm,
    DepositForm,
    LevelForm,
    RequestForm,
    SessionForm,
)
from maillon.deposits.models import (
    Deposit,
    DepositAllowance,
    DepositEntry,
    DepositLevel,
    DepositRequest,
    ExchangeSession,
)
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, can, libraries_for, require


def _mds(user):
    return libraries_for(user, Action.MANAGE).filter(kind=LibraryKind.DEPARTMENTAL)


@staff_required
def deposit_list(request: HttpRequest) -> HttpResponse:
    """Every deposit of the MD: items against the quota, due back, lost, last session."""
    mds = list(_mds(request.user))
    form = None
    if mds:
        open_ids = Deposit.objects.filter(closed_on__isnull=True).values("library")
        libraries = (
            Library.objects.filter(is_active=True)
            .exclude(kind=LibraryKind.DEPARTMENTAL)
            .exclude(pk__in=open_ids)
        )
        form = DepositForm(
            request.POST or None,
            libraries=libraries,
            initial={"opened_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                deposit = services.open_deposit(
                    request.user, mds[0], data["library"], data["level"], data["opened_on"]
                )
            except services.DepositError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("deposits:detail", pk=deposit.pk)
    deposits = Deposit.objects.filter(closed_on__isnull=True).select_related(
        "library", "level", "md"
    )
    lines = services.overview(deposits, timezone.localdate())
    return render(
        request,
        "deposits/list.html",
        {"lines": lines, "form": form, "any_lost": any(line["lost"] for line in lines)},
    )


def _deposit(request: HttpRequest, pk: int) -> Deposit:
    deposit = get_object_or_404(Deposit.objects.select_related("library", "md", "level"), pk=pk)
    require(request.user, Action.VIEW, deposit.library)
    return deposit


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _deposit(request, pk)
    today = timezone.localdate()
    is_md = can(request.user, Action.MANAGE, deposit.md)
    at_library = can(request.user, Action.CIRCULATE, deposit.library)
    return render(
        request,
        "deposits/detail.html",
        {
            "deposit": deposit,
            "summary": services.summary(deposit, today),
            "today": today,
            "sessions": deposit.sessions.all()[:30],
            "requests": deposit.requests.select_related("session").prefetch_related(
                "items__record"
            )[:30],
            "is_md": is_md,
            "at_library": at_library,
            "session_form": SessionForm(initial={"day": today, "kind": "bibliobus"}),
            "level_form": LevelForm(initial={"level": deposit.level}),
            "request_form": RequestForm(),
            "answer_form": AnswerForm(),
            "last": request.session.pop(f"deposit-{deposit.pk}", None),
        },
    )


@staff_required
@require_POST
def change_level(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _deposit(request, pk)
    form = LevelForm(request.POST)
    if form.is_valid():
        services.set_level(request.user, deposit, form.cleaned_data["level"])
        messages.success(request, _("Level changed."))
    return redirect("deposits:detail", pk=deposit.pk)


@staff_required
@require_POST
def new_session(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _deposit(request, pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the kind of the exchange."))
        return redirect("deposits:detail", pk=deposit.pk)
    try:
        session = services.open_session(
            request.user, deposit, form.cleaned_data["day"], form.cleaned_data["kind"]
        )
    except services.DepositError as error:
        messages.error(request, error.message)
        return redirect("deposits:detail", pk=deposit.pk)
    return redirect("deposits:session", pk=session.pk)


def _session(request: HttpRequest, pk: int) -> ExchangeSession:
    session = get_object_or_404(
        ExchangeSession.objects.select_related(
            "deposit", "deposit__library", "deposit__md", "deposit__level"
        ),
        pk=pk,
    )
    require(request.user, Action.VIEW, session.library_id)
    return session


def _entries(queryset):
    return queryset.select_related("item", "item__record", "item__item_type").order_by(
        "item__call_number", "item__barcode"
    )


@staff_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = _session(request, pk)
    deposit = exchange.deposit
    return render(
        request,
        "deposits/session.html",
        {
            "exchange": exchange,
            "deposit": deposit,
            "summary": services.summary(deposit, timezone.localdate()),
            "lent": _entries(DepositEntry.objects.filter(lent_in=exchange)),
            "returned": _entries(DepositEntry.objects.filter(returned_in=exchange)),
            "may_scan": exchange.closed_at is None and can(request.user, Action.MANAGE, deposit.md),
            "last": request.session.pop(f"session-{exchange.pk}", None),
        },
    )


def _scanned(request: HttpRequest) -> list[str]:
    return (request.POST.get("barcode", "") + "\n" + request.POST.get("barcodes", "")).split()


def _report(result: services.ScanResult, done_message: str) -> dict:
    return {
        "done": done_message % {"count": len(result.done)} if result.done else "",
        "refused": [message for _code, message in result.refused],
        "warnings": result.warnings,
    }


@staff_required
@require_POST
def scan(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    exchange = _session(request, pk)
    barcodes = _scanned(request)
    try:
        if direction == "sortie":
            result = services.lend(request.user, exchange, barcodes)
            done = ngettext(
                "%(count)d item lent on deposit.",
                "%(count)d items lent on deposit.",
                len(result.done),
            )
        elif direction == "retour":
            result = services.take_back(request.user, exchange, barcodes)
            done = ngettext(
                "%(count)d item taken back.", "%(count)d items taken back.", len(result.done)
            )
        else:
            return redirect("deposits:session", pk=exchange.pk)
    except services.DepositError as error:
        report = {"done": "", "refused": [error.message], "warnings": []}
    else:
        report = _report(result, done)
    request.session[f"session-{exchange.pk}"] = {"direction": direction, **report}
    return redirect("deposits:session", pk=exchange.pk)


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = _session(request, pk)
    services.close_session(request.user, exchange)
    messages.success(request, _("Session closed."))
    return redirect("deposits:detail", pk=exchange.deposit_id)


@staff_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _deposit(request, pk)
    result = services.send_back(request.user, deposit, _scanned(request), timezone.localdate())
    done = ngettext(
        "%(count)d item in the shuttle for the departmental library.",
        "%(count)d items in the shuttle for the departmental library.",
        len(result.done),
    )
    request.session[f"deposit-{deposit.pk}"] = _report(result, done)
    return redirect("deposits:detail", pk=deposit.pk)


@staff_required
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _deposit(request, pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.ask(request.user, deposit, form.cleaned_data["text"])
        except services.DepositError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Request sent to the departmental library."))
    else:
        messages.error(request, _("Say what you ask for: a title, an author, a theme."))
    return redirect("deposits:detail", pk=deposit.pk)


@staff_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    asked = get_object_or_404(DepositRequest.objects.select_related("deposit"), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        today_session = ExchangeSession.objects.filter(
            library=asked.deposit.library_id, day=timezone.localdate()
        ).first()
        try:
            services.answer(
                request.user,
                asked,
                form.cleaned_data["state"],
                form.cleaned_data["note"],
                session=today_session,
                barcodes=form.cleaned_data["barcodes"].split(),
            )
        except services.DepositError as error:
            messages.error(request, error.message)
    return redirect("deposits:detail", pk=asked.deposit_id)


@staff_required
def lost_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Items lost from the deposits, for billing the communes (one deposit with ?depot=)."""
    deposits = Deposit.objects.all()
    if request.GET.get("depot", "").isdigit():
        deposits = deposits.filter(pk=int(request.GET["depot"]))
    allowed = [d for d in deposits if can(request.user, Action.VIEW, d.library_id)]
    return table_response(
        "xlsx" if fmt == "xlsx" else "csv",
        "depots-pertes",
        services.lost_rows(allowed),
        title=_("Lost"),
    )


@staff_required
def levels(request: HttpRequest) -> HttpResponse:
    """The MD's levels and their quotas, as data: add or change one, take one away."""
    may_edit = _mds(request.user).exists()
    form = AllowanceForm(request.POST or None)
    if request.method == "POST" and may_edit and form.is_valid():
        data = form.cleaned_data
        services.set_allowance(
            request.user,
            data["level"],
            audience=data["audience"],
            item_type=data["item_type"],
            max_items=data["max_items"],
            strict=data["strict"],
        )
        messages.success(request, _("Quota saved."))
        return redirect("deposits:levels")
    return render(
        request,
        "deposits/levels.html",
        {
            "levels": DepositLevel.objects.prefetch_related("allowances__item_type"),
            "form": form if may_edit else None,
        },
    )


@staff_required
@require_POST
def remove_quota(request: HttpRequest, pk: int) -> HttpResponse:
    services.remove_allowance(request.user, get_object_or_404(DepositAllowance, pk=pk))
    messages.success(request, _("Quota removed."))
    return redirect("deposits:levels")
