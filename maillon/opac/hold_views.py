"""Reserving from a record page: pickup library, expected delay, confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillon.catalogue.models import Record
from maillon.circulation import services
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold
from maillon.opac.hold_estimate import estimate, pickup_points
from maillon.opac.patron_session import patron_required, the_patron
from maillon.opac.views import MAX_RECORD_ID, _render, not_found


@patron_required
def reserve(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the choice and the estimate (the choice in ?retrait=CODE); POST confirms."""
    patron = the_patron(request)
    record = (
        Record.objects.defer("marc").filter(pk=pk, merged_into=None).first()
        if pk <= MAX_RECORD_ID
        else None
    )
    if record is None:
        return not_found(request, _("No record has the number %(pk)s.") % {"pk": pk})
    # Said before the choice of library, in the patron's words, rather than after confirming.
    held = Hold.objects.filter(
        patron=patron, record=record, status__in=ACTIVE_HOLD_STATUSES
    ).first()
    if held is not None:
        message = _("You have already reserved this document.")
        return _render(
            request,
            "reserve.html",
            {"record": record, "held": held, "error": message},
            status=400 if request.method == "POST" else 200,
        )
    libraries = list(pickup_points())
    wanted = request.POST.get("retrait") or request.GET.get("retrait") or ""
    pickup = (
        next((lib for lib in libraries if lib.code == wanted), None)
        or next((lib for lib in libraries if lib.pk == patron.home_library_id), None)
        or (libraries[0] if libraries else None)
    )
    error = ""
    if request.method == "POST" and pickup is not None:
        if wanted != pickup.code:
            error = _("Choose the library where you will pick the document up.")
        else:
            try:
                hold = services.place_own_hold(patron, record, pickup)
            except CirculationError as refusal:
                error = refusal.message
            else:
                messages.success(
                    request,
                    _("Your reservation of “%(title)s” is recorded, for pickup %(at_library)s.")
                    % {"title": record.title, "at_library": pickup.at_name},
                )
                return redirect(reverse("opac:account") + f"#reservation-{hold.pk}")
    today = timezone.localdate()
    guess = estimate(record, patron, pickup, today) if pickup is not None else None
    return _render(
        request,
        "reserve.html",
        {
            "record": record,
            "libraries": libraries,
            "pickup": pickup,
            "estimate": guess,
            "arrival": date_format(guess.arrival, "l j F") if guess and guess.arrival else "",
            "error": error,
            "expired": patron.is_expired_on(today),
        },
        status=400 if error else 200,
    )
