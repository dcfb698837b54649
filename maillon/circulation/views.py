"""The circulation desk: checkout, check-in, the lists of the day, slips.

Thin pages over ``services``: every change goes through a service, which locks and decides.
Forms POST then redirect (the patron's card stays in the URL, ``?carte=…``), so a reload or a
double submit never lends twice (and the service would refuse anyway). Each POST names the
library whose desk it came from; it must be the library the user works at now, where they may
circulate.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.circulation import receipts, services
from maillon.circulation.common import find_item, find_patron, initials
from maillon.circulation.errors import CirculationError
from maillon.circulation.hold_search import hold_candidates, pickup_libraries
from maillon.circulation.models import Hold, Loan, Transfer
from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.core.params import number
from maillon.core.text import label_value
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, denial_message, require
from maillon.patrons.conf import normalize_card

PENDING_OVERRIDE = "maillon_desk_override"
# A copy on loan to someone else, scanned for this patron: offer to check it in and lend it.
PENDING_RELEND = "maillon_desk_relend"
CHECKINS = "maillon_desk_checkins"
CHECKINS_KEPT = 12


def _desk_library(request: HttpRequest, *, posted: bool = False) -> Library:
    """The library whose desk this is: where the user works now, and may circulate.

    A POST carries the library its form was drawn for; another one (a stale tab, a forged
    form) is refused rather than silently applied to the current library.
    """
    library = current_library(request)
    if library is None:
        raise PermissionDenied(denial_message(Action.CIRCULATE))
    require(request.user, Action.CIRCULATE, library)
    if posted and request.POST.get("library", "") != str(library.pk):
        raise PermissionDenied(
            _("This form was drawn for another library's desk: reload the page and try again.")
        )
    return library


def _desk_url(card: str = "", **params) -> str:
    query = {"carte": card} if card else {}
    query.update({k: v for k, v in params.items() if v})
    url = reverse("circulation:desk")
    return f"{url}?{urlencode(query)}" if query else url


# The desk: a card, then items ----------------------------------------------------------------


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request)
    today = timezone.localdate()
    card = normalize_card(request.GET.get("carte", ""))
    patron = None
    card_error = ""
    if card:
        try:
            patron = find_patron(card)
        except CirculationError as error:
            card_error = error.message
    context = {
        "library": library,
        "today": today,
        "card": card,
        "card_error": card_error,
        "patron": patron,
        "can_manage": can(request.user, Action.MANAGE, library),
    }
    if patron is not None:
        loans = services.loans_of(patron)
        for loan in loans:
            # Read by the template; not model fields.
            loan.overdue = loan.due_on < today  # type: ignore[attr-defined]
            loan.lent_today = timezone.localdate(loan.checked_out_at) == today  # type: ignore[attr-defined]
        relend = request.session.get(PENDING_RELEND)
        if relend and (
            relend.get("card") != patron.card_number or relend.get("library") != library.pk
        ):
            relend = None
        context["relend"] = relend
        pending = request.session.get(PENDING_OVERRIDE)
        if pending and (
            pending.get("card") != patron.card_number or pending.get("library") != library.pk
        ):
            pending = None
        context.update(
            {
                "loans": loans,
                "holds": services.holds_of(patron),
                "blocks": list(patron.active_blocks),
                "expired": patron.is_expired_on(today),
                "pending": pending if context["can_manage"] else None,
                "overdue_count": sum(1 for loan in loans if loan.due_on < today),
                # The loan ticket covers what was lent here today (see receipts.py).
                "lent_here_today": len(
                    [
                        loan
                        for loan in loans
                        if loan.lent_today and loan.library_id == library.pk  # type: ignore[attr-defined]
                    ]
                ),
            }
        )
        context.update(_explanation(request, library, patron))
        context.update(_hold_search(request, patron))
    return render(request, "circulation/desk.html", context)


def _hold_search(request: HttpRequest, patron) -> dict:
    """The "place a hold" box: what was looked for, the records found, where to pick up."""
    query = request.GET.get("reserver", "").strip()
    return {
        "hold_query": query,
        "hold_candidates": hold_candidates(query) if query else [],
        "pickups": pickup_libraries() if query else [],
        "default_pickup": patron.home_library_id,
        # A suspension ends after today (the service refuses today or before).
        "suspend_from": timezone.localdate() + dt.timedelta(days=1),
    }


def _explanation(request: HttpRequest, library: Library, patron) -> dict:
    """ "Which rule applies?" for this patron and a scanned item, at this library."""
    barcode = request.GET.get("regle", "").strip()
    if not barcode:
        return {}
    try:
        item = find_item(barcode)
        explanation = services.explain_rule(library, patron.category, item.item_type)
    except CirculationError as error:
        return {"rule_barcode": barcode, "rule_error": error.message}
    return {"rule_barcode": barcode, "rule_item": item, "explanation": explanation}


@staff_required
@require_POST
def checkout_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    barcode = request.POST.get("barcode", "").strip()
    overriding = request.POST.get("override") == "1"
    reason = request.POST.get("override_reason", "").strip()
    if not barcode:
        messages.error(request, _("Scan or type an item barcode."))
        return redirect(_desk_url(card))
    if overriding and not reason:
        messages.error(request, _("Give a reason to override the refusal."))
        return redirect(_desk_url(card))
    try:
        loan = services.checkout(
            request.user, library, card, barcode, override_reason=reason if overriding else None
        )
    except CirculationError as error:
        messages.error(request, error.message)
        if error.code == "already_on_loan":  # in the desk's hands: offer to take it back
            request.session[PENDING_RELEND] = {
                "card": card,
                "library": library.pk,
                "barcode": barcode,
            }
        if error.overridable and can(request.user, Action.MANAGE, library):
            request.session[PENDING_OVERRIDE] = {
                "card": card,
                "library": library.pk,
                "barcode": barcode,
                "refusals": error.details.get("refusals")
                or [{"code": error.code, "message": error.message}],
            }
        else:
            request.session.pop(PENDING_OVERRIDE, None)
        return redirect(_desk_url(card))
    request.session.pop(PENDING_OVERRIDE, None)
    request.session.pop(PENDING_RELEND, None)
    messages.success(request, _lent(loan))
    return redirect(_desk_url(card))


def _lent(loan) -> str:
    text = _("%(title)s (%(barcode)s) lent until %(date)s.") % {
        "title": loan.item.record.title,
        "barcode": loan.item.barcode,
        "date": date_format(loan.due_on, "SHORT_DATE_FORMAT"),
    }
    if loan.override_codes:
        text += " " + _("Override recorded: %(reason)s") % {"reason": loan.override_reason}
    return text


@staff_required
@require_POST
def relend_view(request: HttpRequest) -> HttpResponse:
    """A copy on loan to someone else, at the desk: check it in and lend it in one step."""
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    barcode = request.POST.get("barcode", "").strip()
    request.session.pop(PENDING_RELEND, None)
    try:
        done = services.checkin_and_lend(request.user, library, card, barcode)
    except CirculationError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(card))
    if done.loan is None:
        messages.warning(
            request,
            _("Checked in, not lent: %(answer)s") % {"answer": done.checkin.message},
        )
    else:
        messages.success(request, _("Checked in, then lent.") + " " + _lent(done.loan))
    return redirect(_desk_url(card))


@staff_required
@require_POST
def renew_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    card = normalize_card(request.POST.get("carte", ""))
    loan = (
        Loan.objects.filter(pk=number(request.POST, "loan"), returned_at__isnull=True)
        .select_related("item")
        .first()
    )
    if loan is None:
        messages.error(request, _("This loan has been returned."))
        return redirect(_desk_url(card))
    try:
        loan = services.renew(request.user, library, loan)
    except CirculationError as error:
        messages.error(request, label_value(loan.item.barcode, error.message))
    else:
        messages.success(
            request,
            _("%(barcode)s renewed until %(date)s.")
            % {"barcode": loan.item.barcode, "date": date_format(loan.due_on, "SHORT_DATE_FORMAT")},
        )
    return redirect(_desk_url(card))


# The loan ticket ----------------------------------------------------------------------------


def _desk_patron(card: str):
    try:
        return find_patron(card)
    except CirculationError as error:
        raise Http404(error.message) from error


@staff_required
def receipt_view(request: HttpRequest) -> HttpResponse:
    """Today's loan ticket at this desk, on receipt-printer paper; `imprimer=1` opens the print
    dialog by itself."""
    library = _desk_library(request)
    patron = _desk_patron(normalize_card(request.GET.get("carte", "")))
    return render(
        request,
        "circulation/receipt.html",
        {"receipt": receipts.receipt_for(patron, library), "desk": _desk_url(patron.card_number)},
    )


@staff_required
@require_POST
def receipt_send_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    patron = _desk_patron(normalize_card(request.POST.get("carte", "")))
    try:
        address = receipts.email_receipt(request.user, library, patron)
    except CirculationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The ticket was sent to %(email)s.") % {"email": address})
    return redirect(_desk_url(patron.card_number))


# Check-in ------------------------------------------------------------------------------------


@staff_required
def checkin_page(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request)
    results = [r for r in request.session.get(CHECKINS, []) if r.get("library") == library.pk]
    return render(
        request,
        "circulation/checkin.html",
        {"library": library, "latest": results[0] if results else None, "earlier": results[1:]},
    )


@staff_required
@require_POST
def checkin_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    barcode = request.POST.get("barcode", "").strip()
    if not barcode:
        messages.error(request, _("Scan or type an item barcode."))
        return redirect("circulation:checkin")
    try:
        result = services.checkin(request.user, library, barcode)
    except CirculationError as error:
        messages.error(request, error.message)
        return redirect("circulation:checkin")
    entry = result.as_dict()
    entry.update(
        {
            "library": library.pk,
            "title": result.item.record.title,
            "at": timezone.localtime().strftime("%H:%M"),
        }
    )
    request.session[CHECKINS] = [entry, *request.session.get(CHECKINS, [])][:CHECKINS_KEPT]
    return redirect("circulation:checkin")


# Slips ---------------------------------------------------------------------------------------


@staff_required
def transfer_slip(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(
        Transfer.objects.select_related(
            "item", "item__record", "from_library", "to_library", "hold", "hold__patron"
        ),
        pk=pk,
    )
    require(request.user, Action.CIRCULATE, transfer.from_library)
    patron = transfer.hold.patron if transfer.hold else None
    return render(
        request,
        "circulation/slip_transfer.html",
        {
            "transfer": transfer,
            "item": transfer.item,
            "patron_card": patron.card_number if patron else "",
            "patron_initials": initials(patron),
        },
    )


@staff_required
def hold_slip(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        Hold.objects.select_related("record", "target", "patron", "pickup_library"), pk=pk
    )
    require(request.user, Action.CIRCULATE, hold.pickup_library)
    return render(
        request,
        "circulation/slip_hold.html",
        {
            "hold": hold,
            "item": hold.target,
            "patron_card": hold.patron.card_number if hold.patron else "",
            "patron_initials": initials(hold.patron),
        },
    )


# The lists of the day ------------------------------------------------------------------------


@staff_required
def day_lists(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request)
    today = timezone.localdate()
    shelf = services.hold_shelf(library)
    for hold in shelf:
        # Read by the template; not model fields.
        hold.patron_initials = initials(hold.patron)  # type: ignore[attr-defined]
        hold.expired = bool(hold.ready_until and hold.ready_until < today)  # type: ignore[attr-defined]
    return render(
        request,
        "circulation/day.html",
        {
            "library": library,
            "today": today,
            "pull": services.pull_list(library, today),
            "shelf": shelf,
            "shuttle": services.shuttle_lists(library, today),
            # Any active library may receive a manual send, pickup point or not (the MD too).
            "destinations": Library.objects.filter(is_active=True)
            .exclude(pk=library.pk)
            .order_by("name"),
        },
    )


@staff_required
@require_POST
def send_view(request: HttpRequest) -> HttpResponse:
    library = _desk_library(request, posted=True)
    barcode = request.POST.get("barcode", "").strip()
    try:
        transfer = services.send_transfer(request.user, library, barcode)
    except CirculationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(barcode)s is in the shuttle for %(library)s.")
            % {"barcode": barcode, "library": transfer.to_library.name},
        )
    return redirect(reverse("circulation:day") + "#navette")


@staff_required
def pull_list_export(request: HttpRequest, fmt: str = "csv") -> HttpResponseBase:
    library = _desk_library(request)
    today = timezone.localdate()
    header: list[object] = [
        _("Barcode"),
        _("Call number"),
        _("Location"),
        _("Title"),
        _("Pickup library"),
        _("Card"),
        _("Placed on"),
    ]
    rows = [
        [
            entry.item.barcode,
            entry.item.call_number,
            entry.item.location,
            entry.item.record.title,
            entry.destination.name,
            entry.patron_card,
            timezone.localdate(entry.hold.created_at),
        ]
        for entry in services.pull_list(library, today)
    ]
    return table_response(
        fmt,
        f"prelevements-{library.code}-{today.isoformat()}",
        [header, *rows],
        title=_("Pull list"),
    )
