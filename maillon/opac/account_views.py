"""The patron's account (/compte/): loans and holds, history, details, choices, their data.

Every row is looked up among the patron's own (another id is a 404, whatever it is); every
change goes through the circulation or patron services, whose French refusals are shown as is.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maillon.circulation import services
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold, Loan
from maillon.circulation.rules import policy
from maillon.core.text import label_value
from maillon.opac.forms import ConsentsForm, DetailsChangeForm
from maillon.opac.patron_session import patron_required, the_patron
from maillon.opac.patron_session import posted_data as _posted
from maillon.opac.personal_data import personal_data
from maillon.opac.views import _render
from maillon.patrons.change_requests import pending_request, request_details_change
from maillon.patrons.models import Patron
from maillon.patrons.services import PatronError, set_own_consents

# A collective borrower may have hundreds of loans: shown a page at a time.
LOANS_PER_PAGE = 50
HISTORY_PER_PAGE = 50


def _page(request: HttpRequest, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _open_loans(patron: Patron):
    return (
        Loan.objects.filter(patron=patron, returned_at__isnull=True)
        .select_related("item", "item__record", "library")
        .order_by("due_on", "pk")
    )


def _context(request: HttpRequest, section: str, **extra) -> dict:
    patron = the_patron(request)
    today = timezone.localdate()
    return {
        "patron": patron,
        "section": section,
        "today": today,
        "expired": patron.is_expired_on(today),
        **extra,
    }


@never_cache
@patron_required
def account(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    today = timezone.localdate()
    counts = Loan.objects.filter(patron=patron, returned_at__isnull=True).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    loans = _page(request, _open_loans(patron), LOANS_PER_PAGE)
    for loan in loans:
        loan.overdue = loan.due_on < today
    return _render(
        request,
        "account/home.html",
        _context(
            request,
            "home",
            loans=loans,
            loan_count=counts["total"],
            overdue_count=counts["overdue"],
            holds=services.holds_of(patron),
            blocked=patron.is_blocked,
        ),
    )


@require_POST
@patron_required
def renew(request: HttpRequest) -> HttpResponse:
    """One loan (``loan``=id) or every open loan (``all``)."""
    patron = the_patron(request)
    if request.POST.get("all"):
        loans = list(_open_loans(patron))
    else:
        loans = [get_object_or_404(_open_loans(patron), pk=_int(request.POST.get("loan")))]
    renewed = 0
    for loan in loans:
        try:
            loan = services.renew_own(patron, loan)
        except CirculationError as error:
            messages.error(request, label_value(loan.item.record.title, error.message))
        else:
            renewed += 1
            if len(loans) == 1:
                messages.success(
                    request,
                    _("“%(title)s” renewed: due back on %(date)s.")
                    % {"title": loan.item.record.title, "date": date_format(loan.due_on)},
                )
    if len(loans) > 1 and renewed:
        messages.success(request, _("%(count)d loans renewed.") % {"count": renewed})
    return redirect(reverse("opac:account") + "#prets")


def _int(value: str | None) -> int:
    try:
        number = int(value or "")
    except ValueError:
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


@require_POST
@patron_required
def hold_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel, suspend or resume one of the patron's own holds."""
    patron = the_patron(request)
    hold = get_object_or_404(
        Hold.objects.select_related("record"), pk=pk, patron=patron, status__in=ACTIVE_HOLD_STATUSES
    )
    action = request.POST.get("action")
    if action == "cancel" and request.POST.get("confirmed") != "1":
        # Losing one's place in line is not undone: ask first.
        return render(
            request,
            "opac/account/confirm_cancel.html",
            {"patron": patron, "hold": hold, "position": services.hold_position(hold)},
        )
    try:
        if action == "cancel":
            services.cancel_own_hold(patron, hold)
            done = _("Reservation of “%(title)s” cancelled.")
        elif action == "suspend":
            services.suspend_own_hold(patron, hold)
            done = _("Reservation of “%(title)s” suspended: it keeps its place in line.")
        elif action == "resume":
            services.resume_own_hold(patron, hold)
            done = _("Reservation of “%(title)s” active again.")
        else:
            raise Http404
    except CirculationError as error:
        messages.error(request, label_value(hold.record.title, error.message))
    else:
        messages.success(request, done % {"title": hold.record.title})
    return redirect(reverse("opac:account") + "#reservations")


@never_cache
@patron_required
def history(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    loans = None
    if patron.keep_history:
        loans = _page(
            request,
            Loan.objects.filter(patron=patron, returned_at__isnull=False)
            .select_related("item__record", "library")
            .order_by("-returned_at", "-pk"),
            HISTORY_PER_PAGE,
        )
    return _render(
        request,
        "account/history.html",
        _context(request, "history", loans=loans, delay=policy().anonymise_after_days),
    )


@never_cache
@patron_required
def details(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    form = DetailsChangeForm.for_patron(patron, _posted(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment")
        try:
            request_details_change(patron, data, comment)
        except PatronError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Your request is sent to your library, which will update your details.")
            )
            return redirect("opac:account_details")
    return _render(
        request,
        "account/details.html",
        _context(request, "details", form=form, pending=pending_request(patron)),
        status=400 if form.errors else 200,
    )


@never_cache
@patron_required
def consents(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    form = ConsentsForm(
        _posted(request),
        initial={
            "email_notices": patron.email_notices,
            "newsletters": patron.newsletters,
            "keep_history": patron.keep_history,
            "receipt": patron.receipt,
        },
    )
    if request.method == "POST" and form.is_valid():
        set_own_consents(patron, **form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("opac:account_consents")
    return _render(
        request,
        "account/consents.html",
        _context(request, "consents", form=form, delay=policy().anonymise_after_days),
    )


@never_cache
@patron_required
def export(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    body = json.dumps(personal_data(patron), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{patron.card_number}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
