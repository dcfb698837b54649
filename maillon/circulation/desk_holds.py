"""Holds at the desk, for the patron whose card is scanned: find a document, place the hold,
cancel, suspend, resume; and sending a copy to another library by hand (lists of the day).

Thin views over the hold and transfer services, like the rest of the desk: each POST names the
desk's library and the patron's card, the service locks and decides, a message says what
happened (the service's own French message when it refuses), then back to the page (POST,
redirect, GET).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Record
from maillon.circulation import services
from maillon.circulation.common import find_patron
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold
from maillon.circulation.views import _desk_library, _desk_url
from maillon.core.decorators import staff_required
from maillon.core.text import label_value
from maillon.network.models import Library
from maillon.patrons.conf import normalize_card


def _patron_hold(request: HttpRequest, card: str) -> Hold | None:
    """The hold named by the form, if it is still this patron's and active; a stale page (the
    hold closed meanwhile, another patron's) gets a message instead of acting."""
    hold = (
        Hold.objects.filter(pk=_int(request.POST.get("hold")), patron__card_number=card)
        .select_related("record")
        .first()
    )
    if hold is None or hold.status not in ACTIVE_HOLD_STATUSES:
        messages.error(request, _("This hold is no longer active on this patron's account."))
        return None
    return hold


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@staff_required
@require_POST
def place_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    record = Record.objects.filter(pk=_int(request.POST.get("record"))).first()
    pickup = Library.objects.filter(pk=_int(request.POST.get("pickup"))).first()
    if record is None or pickup is None:
        messages.error(request, _("Choose a document and a pickup library."))
        return redirect(_desk_url(card))
    try:
        hold = services.place_hold(request.user, library, find_patron(card), record, pickup)
    except CirculationError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(card, reserver=request.POST.get("reserver", "")))
    messages.success(
        request,
        _("Hold placed on %(title)s, for pickup %(at_library)s.")
        % {"title": record.title, "at_library": pickup.at_name},
    )
    target = hold.target
    if target is not None and target.current_id == library.pk:
        messages.info(
            request,
            _("A copy is on the shelves here (%(barcode)s): it is on today's pull list.")
            % {"barcode": target.barcode},
        )
    return redirect(_desk_url(card))


@staff_required
@require_POST
def cancel_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    hold = _patron_hold(request, card)
    if hold is not None and request.POST.get("confirmed") != "1":
        return render(
            request,
            "circulation/confirm_cancel.html",
            {"library": library, "card": card, "hold": hold},
        )
    if hold is not None:
        try:
            outcome = services.cancel_hold(request.user, library, hold)
        except CirculationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Hold on %(title)s cancelled.") % {"title": hold.record.title}
            )
            if outcome.decision is not None:
                # The copy was waiting on a shelf: the desk must move it.
                messages.warning(
                    request, label_value(outcome.decision.item.barcode, outcome.decision.message)
                )
    return redirect(_desk_url(card))


@staff_required
@require_POST
def suspend_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    hold = _patron_hold(request, card)
    if hold is None:
        return redirect(_desk_url(card))
    until = None
    if request.POST.get("until"):
        try:
            until = dt.date.fromisoformat(request.POST["until"])
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD, or none."))
            return redirect(_desk_url(card))
    try:
        services.suspend_hold(request.user, library, hold, until)
    except CirculationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("Hold on %(title)s suspended until %(date)s.")
                % {"title": hold.record.title, "date": date_format(until, "SHORT_DATE_FORMAT")}
            )
            if until
            else _("Hold on %(title)s suspended until it is resumed.")
            % {"title": hold.record.title},
        )
    return redirect(_desk_url(card))


@staff_required
@require_POST
def resume_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    hold = _patron_hold(request, card)
    if hold is not None:
        try:
            services.resume_hold(request.user, library, hold)
        except CirculationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Hold on %(title)s waits again, at its place in line.")
                % {"title": hold.record.title},
            )
    return redirect(_desk_url(card))


@staff_required
@require_POST
def transfer_view(request: HttpRequest) -> HttpResponse:
    """Send a copy of this library's shelves to another library (lists of the day)."""
    library = _desk_library(request, posted=True)
    barcode = request.POST.get("barcode", "").strip()
    destination = Library.objects.filter(pk=_int(request.POST.get("to_library"))).first()
    back = redirect(reverse("circulation:day") + "#envoi")
    if not barcode or destination is None:
        messages.error(request, _("Scan the item and choose the library to send it to."))
        return back
    try:
        transfer = services.create_transfer(request.user, library, barcode, destination)
    except CirculationError as error:
        messages.error(request, error.message)
        return back
    messages.success(
        request,
        _("%(barcode)s goes to %(library)s: it is on the list of items to send.")
        % {"barcode": transfer.item.barcode, "library": destination.name},
    )
    return back
