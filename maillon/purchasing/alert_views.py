"""The holds-ratio alert's pages: the report (network or one library), each line one click onto
a selection list, and the thresholds the coordinator sets per item type."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Record
from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.purchasing import holds_ratio, selection
from maillon.purchasing.gaps import _open_lists
from maillon.purchasing.models import SelectionList, TitleSource
from maillon.purchasing.services import PurchasingError

SHOWN = 300


def _library(request: HttpRequest, key: str = "bibliotheque") -> Library | None:
    """The library asked for; "" is the network; absent, where the user works."""
    data = request.GET if request.method == "GET" else request.POST
    if key not in data:
        return current_library(request)
    code = data.get(key, "")
    library = get_object_or_404(Library, code=code) if code else None
    if library is not None:
        require(request.user, Action.VIEW, library)
    return library


def note_of(alert: holds_ratio.Alert) -> str:
    return ngettext(
        "Holds ratio: %(holds)d holds for %(copies)d copy (threshold %(n)d per copy)",
        "Holds ratio: %(holds)d holds for %(copies)d copies (threshold %(n)d per copy)",
        alert.copies,
    ) % {
        "holds": alert.holds,
        "copies": alert.copies,
        "n": alert.threshold,
    }


@staff_required
def report(request: HttpRequest) -> HttpResponseBase:
    library = _library(request)
    found = holds_ratio.alerts(library)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [
            _("Title"),
            _("Authors"),
            _("ISBN"),
            _("Holds waiting"),
            _("Holdable copies"),
            _("of which on order"),
            _("Threshold (holds per copy)"),
            _("Copies to buy"),
        ]
        rows = [
            [a.record.title, a.record.main_author, a.record.isbn, a.holds, a.copies]
            + [a.on_order, a.threshold, a.to_buy]
            for a in found
        ]
        name = f"ratio-reservations-{library.code if library else 'reseau'}"
        return table_response(fmt, name, [header, *rows], title=_("Holds ratio"))
    lists: list[SelectionList] = _open_lists(request) if can(request.user, Action.MANAGE) else []
    return render(
        request,
        "purchasing/holds_ratio.html",
        {
            "library": library,
            "alerts": found[:SHOWN],
            "count": len(found),
            "shown": SHOWN,
            "libraries": Library.objects.order_by("name"),
            "lists": lists,
            "back": request.get_full_path(),
            "ratios": holds_ratio.ratio_rows(),
        },
    )


@staff_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    """Put an alert's title on the chosen list, noted with its figures, then back."""
    chosen = get_object_or_404(SelectionList, pk=request.POST.get("list"))
    record = get_object_or_404(Record, pk=request.POST.get("record"))
    library = _library(request)
    alert = holds_ratio.alert_for(record, library)
    note = note_of(alert) if alert else _("Holds ratio")
    try:
        selection.propose(request.user, chosen, record, note=note, source=TitleSource.HOLDS)
    except PurchasingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(title)s” proposed on the list “%(list)s”.")
            % {"title": record.title, "list": chosen.name},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("purchasing:selection", pk=chosen.pk)


@staff_required
def thresholds(request: HttpRequest) -> HttpResponse:
    """The default threshold and one per item type (empty: the default)."""
    may_edit = can(request.user, Action.ADMINISTER)
    rows = holds_ratio.ratio_rows()
    typed: dict[str, str] = {}
    if request.method == "POST":
        require(request.user, Action.ADMINISTER)
        typed = {key: request.POST.get(key, "") for key in request.POST if key.startswith("n-")}
        per_type = {t.pk: typed.get(f"n-{t.pk}", "") for t, _n in rows if t is not None}
        try:
            holds_ratio.save_ratios(request.user, typed.get("n-default", ""), per_type)
        except PurchasingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thresholds saved."))
            return redirect("purchasing:holds_thresholds")
    shown = [
        (
            item_type,
            typed.get(f"n-{item_type.pk if item_type else 'default'}", "" if n is None else str(n)),
        )
        for item_type, n in rows
    ]
    return render(
        request, "purchasing/holds_thresholds.html", {"rows": shown, "may_edit": may_edit}
    )
