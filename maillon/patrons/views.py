"""Staff pages for patrons: thin, every change goes through services.py."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, denial_message, libraries_for, require
from maillon.patrons import access, change_requests, services
from maillon.patrons.conf import card_matches_pattern, normalize_card
from maillon.patrons.export import patrons_response
from maillon.patrons.folding import fold
from maillon.patrons.forms import BlockForm, CategoryForm, PatronForm
from maillon.patrons.models import (
    EXPIRY_WARNING_DAYS,
    ChangeRequestStatus,
    DetailsChangeRequest,
    Patron,
    PatronBlock,
    PatronCategory,
)
from maillon.patrons.services import PatronError

SEARCH_LIMIT = 100


def _with_status(patrons):
    active = PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
    return patrons.select_related("home_library", "category").annotate(blocked=Exists(active))


def _search_names(user, query: str) -> list[Patron]:
    """Every word must appear in the folded name: "herve bez" finds "Hervé-Bézier". Among the
    patrons `user` may find by name (access.searchable)."""
    words = fold(query).split()
    if not words:
        return []
    results = _with_status(access.searchable(user, Patron.objects.all()))
    for word in words:
        results = results.filter(search_name__contains=word)
    return list(results[: SEARCH_LIMIT + 1])


@staff_required
def search(request: HttpRequest) -> HttpResponse:
    """One box: a scanned card opens the patron, anything else searches names."""
    require(request.user, Action.VIEW)
    query = request.GET.get("q", "").strip()
    results: list[Patron] | None = None
    card_unknown = ""
    if query:
        patron = services.find_patron_by_card(query)
        if patron is not None:
            return redirect("patrons:detail", pk=patron.pk)
        if card_matches_pattern(normalize_card(query)):
            card_unknown = normalize_card(query)
        results = _search_names(request.user, query)
    here = current_library(request)
    return render(
        request,
        "patrons/search.html",
        {
            "query": query,
            "results": results[:SEARCH_LIMIT] if results is not None else None,
            "truncated": results is not None and len(results) > SEARCH_LIMIT,
            "card_unknown": card_unknown,
            "can_register": libraries_for(request.user, Action.CIRCULATE).exists(),
            "export_library": here if here and can(request.user, Action.MANAGE, here) else None,
            "today": timezone.localdate(),
            "whole_network": access.may_search_network(request.user),
        },
    )


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(
        Patron.objects.select_related("home_library", "category", "partner"), pk=pk
    )
    require(request.user, Action.VIEW, patron.home_library)
    access.record_read(request.user, patron, via="page", library=current_library(request))
    today = timezone.localdate()
    blocks = list(patron.blocks.select_related("library", "created_by", "lifted_by"))
    for block in blocks:
        block.can_lift = block.is_active and (  # type: ignore[attr-defined]  # for the template
            can(request.user, Action.CIRCULATE, block.library_id)
            or can(request.user, Action.CIRCULATE, patron.home_library_id)
        )
    return render(
        request,
        "patrons/detail.html",
        {
            "patron": patron,
            "today": today,
            "age": patron.age(today),
            "age_band": patron.age_band(today),
            "expired": patron.is_expired_on(today),
            "expires_soon": not patron.is_expired_on(today)
            and patron.expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
            "active_blocks": [b for b in blocks if b.is_active],
            "past_blocks": [b for b in blocks if not b.is_active],
            "can_edit": can(request.user, Action.CIRCULATE, patron.home_library),
            "can_block": _desk(request) is not None,
            "change_requests": list(
                patron.change_requests.filter(status=ChangeRequestStatus.PENDING)
            ),
        },
    )


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.CIRCULATE)
    require(request.user, Action.CIRCULATE)
    here = current_library(request)
    initial: dict[str, object] = {"card_number": normalize_card(request.GET.get("carte", ""))}
    if here is not None and libraries.filter(pk=here.pk).exists():
        initial["home_library"] = here
    asked = request.method == "POST" and "confirm_duplicate_asked" in request.POST
    form = PatronForm(
        request.POST or None, libraries=libraries, initial=initial, ask_duplicate=asked
    )
    candidates: list[Patron] = []
    if request.method == "POST" and form.is_valid():
        try:
            patron = services.register_patron(
                request.user,
                form.cleaned_data["home_library"],
                allow_duplicate=bool(form.cleaned_data.get("confirm_duplicate")),
                **form.service_fields(),
            )
        except PatronError as error:
            if error.code == "probable_duplicate":
                candidates = error.candidates
                form = PatronForm(request.POST, libraries=libraries, ask_duplicate=True)
                form.is_valid()
            _place(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered with card %(card)s.")
                % {"name": patron.full_name, "card": patron.card_number},
            )
            return redirect("patrons:detail", pk=patron.pk)
    return render(
        request,
        "patrons/form.html",
        {"form": form, "patron": None, "candidates": candidates},
        status=400 if form.errors else 200,
    )


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(Patron, pk=pk)
    require(request.user, Action.CIRCULATE, patron.home_library)
    libraries = libraries_for(request.user, Action.CIRCULATE) | Library.objects.filter(
        pk=patron.home_library_id
    )
    form = PatronForm(request.POST or None, instance=patron, libraries=libraries.distinct())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patron(
                request.user,
                patron,
                home_library=form.cleaned_data["home_library"],
                **form.service_fields(),
            )
        except PatronError as error:
            _place(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("patrons:detail", pk=patron.pk)
    return render(
        request,
        "patrons/form.html",
        {"form": form, "patron": patron},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(Patron, pk=pk)
    patron = services.renew_patron(request.user, patron)
    messages.success(
        request,
        _("Card renewed until %(date)s.") % {"date": patron.expires_on.strftime("%d/%m/%Y")},
    )
    return redirect("patrons:detail", pk=patron.pk)


@staff_required
def block(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(Patron.objects.select_related("home_library"), pk=pk)
    desk = _desk(request)
    if desk is None:
        raise PermissionDenied(denial_message(Action.CIRCULATE))
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_patron(request.user, patron, desk, **form.cleaned_data)
        except PatronError as error:
            _place(form, error)
        else:
            messages.success(request, _("The patron is blocked."))
            return redirect("patrons:detail", pk=patron.pk)
    return render(
        request,
        "patrons/block_form.html",
        {"form": form, "patron": patron, "desk": desk},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def lift(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    block = get_object_or_404(PatronBlock, pk=block_pk, patron_id=pk)
    try:
        services.lift_block(request.user, block)
    except PatronError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Block lifted."))
    return redirect("patrons:detail", pk=pk)


@staff_required
@require_POST
def decide_change(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Apply or dismiss what the patron asked to change from their online account."""
    change = get_object_or_404(DetailsChangeRequest, pk=request_pk, patron_id=pk)
    applying = request.POST.get("decision") == "apply"
    try:
        if applying:
            change_requests.apply_change_request(request.user, change)
        else:
            change_requests.dismiss_change_request(request.user, change)
    except PatronError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Details updated as requested.") if applying else _("Request dismissed.")
        )
    return redirect("patrons:detail", pk=pk)


@staff_required
def export(request: HttpRequest, code: str, fmt: str = "csv") -> HttpResponseBase:
    library = get_object_or_404(Library, code=code)
    require(request.user, Action.MANAGE, library)
    return patrons_response(library, timezone.localdate(), fmt)


@staff_required
def category_list(request: HttpRequest) -> HttpResponse:
    """The network's patron categories: read by all the staff, changed by a coordinator."""
    require(request.user, Action.VIEW)
    categories = PatronCategory.objects.annotate(patron_count=Count("patrons")).order_by(
        "-is_active", "name"
    )
    return render(
        request,
        "patrons/category_list.html",
        {
            "categories": categories,
            "can_administer": can(request.user, Action.ADMINISTER),
        },
    )


@staff_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(PatronCategory, pk=pk) if pk else None
    require(request.user, Action.ADMINISTER)
    # The heading names the category as saved; the form may carry a name being typed.
    heading = category.name if category else ""
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_category(request.user, form.instance)
        except PatronError as error:
            _place(form, error)
        else:
            messages.success(request, _("Category %(name)s saved.") % {"name": saved.name})
            return redirect("patrons:category_list")
    return render(
        request,
        "patrons/category_form.html",
        {
            "form": form,
            "category": category,
            "heading": heading,
            "patron_count": category.patrons.count() if category else 0,
        },
    )


def _desk(request: HttpRequest) -> Library | None:
    """The library the person works at now, if they may do desk work there."""
    here = current_library(request)
    if here is not None and can(request.user, Action.CIRCULATE, here):
        return here
    return None


def _place(form, error: PatronError) -> None:
    """Show a service refusal next to the field it is about, keeping what was typed."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
