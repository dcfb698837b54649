from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.core.params import number
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.weeding import offers, pv, services
from maillon.weeding.forms import CampaignForm, CriterionForm, DeliberationForm, OfferPeriodForm
from maillon.weeding.models import (
    Campaign,
    Candidate,
    Criterion,
    Decision,
    Deliberation,
    Ioupi,
    Offer,
    OfferPeriod,
)


@staff_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    libraries = libraries_for(request.user, Action.MANAGE)
    form = CampaignForm(
        request.POST or None,
        libraries=libraries,
        initial={"library": current_library(request)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                request.user,
                data["library"],
                data["name"],
                dewey_from=data["dewey_from"],
                dewey_to=data["dewey_to"],
                offer_destination=data["offer_destination"],
            )
        except services.WeedingError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("weeding:campaign", pk=campaign.pk)
    campaigns = (
        Campaign.objects.select_related("library")
        .annotate(
            items=Count("candidates"),
            withdrawn=Count(
                "candidates",
                filter=Q(candidates__decision=Decision.WITHDRAW, candidates__outcome=""),
            ),
        )
        .order_by("-created_at")
    )
    return render(
        request,
        "weeding/campaign_list.html",
        {"campaigns": campaigns, "form": form if libraries.exists() else None},
    )


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("library"), pk=pk)
    require(request.user, Action.VIEW, campaign.library)
    return campaign


@staff_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    candidates = list(
        campaign.candidates.select_related("item__record", "criterion").order_by(
            "item__call_number", "item__barcode"
        )
    )
    by_type: dict[str, list[tuple[str, str]]] = {}
    for c in candidates:
        doc_type = c.item.record.doc_type
        if doc_type not in by_type:
            by_type[doc_type] = services.allowed_destinations(doc_type)
        c.destinations = by_type[doc_type]  # type: ignore[attr-defined]
    decided = sum(1 for c in candidates if c.decision != Decision.PENDING)
    return render(
        request,
        "weeding/campaign_detail.html",
        {
            "campaign": campaign,
            "candidates": candidates,
            "decided": decided,
            "classes": services.counts_by_class(campaign),
            "decisions": Decision.choices,
            "ioupi": Ioupi.choices,
            "may_decide": campaign.state == Campaign.State.REVIEW
            and can(request.user, Action.CIRCULATE, campaign.library),
            "may_confirm": services.may_confirm(request.user, campaign),
            "found": request.GET.get("trouve"),
        },
    )


@staff_required
@require_POST
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        candidate = services.find_by_scan(request.user, campaign, request.POST.get("barcode", ""))
    except services.WeedingError as error:
        messages.error(request, error.message)
        return redirect("weeding:campaign", pk=campaign.pk)
    url = reverse("weeding:campaign", args=[campaign.pk])
    return redirect(f"{url}?trouve={candidate.pk}#c{candidate.pk}")


@staff_required
@require_POST
def decide(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    candidate = get_object_or_404(Candidate, pk=candidate_pk, campaign=campaign)
    try:
        services.decide(
            request.user,
            candidate,
            request.POST.get("decision", ""),
            ioupi=request.POST.get("ioupi", ""),
            destination=request.POST.get("destination", ""),
            override=request.POST.get("override", ""),
        )
    except services.WeedingError as error:
        messages.error(request, f"{candidate.item.barcode} : {error.message}")
    url = reverse("weeding:campaign", args=[campaign.pk])
    return redirect(f"{url}#c{candidate.pk}")


@staff_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        done = services.confirm(request.user, campaign)
    except services.WeedingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Campaign confirmed: %(withdrawn)d withdrawn, %(repair)d sent to repair, "
                "%(offered)d offered to the network, %(kept)d kept."
            )
            % {
                "withdrawn": done.withdrawn,
                "repair": done.repair,
                "offered": done.offered,
                "kept": done.kept,
            },
        )
        if done.not_done:
            messages.warning(
                request,
                ngettext(
                    "%(count)d decision could not be carried out: see the list.",
                    "%(count)d decisions could not be carried out: see the list.",
                    len(done.not_done),
                )
                % {"count": len(done.not_done)},
            )
    return redirect("weeding:campaign", pk=campaign.pk)


def _pv_name(campaign: Campaign) -> str:
    return f"pv-desherbage-{slugify(campaign.library.code)}-{campaign.number or campaign.pk}"


@staff_required
def pv_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    campaign = _campaign(request, pk)
    if campaign.state != Campaign.State.CONFIRMED:
        messages.error(request, _("The procès-verbal exists once the campaign is confirmed."))
        return redirect("weeding:campaign", pk=campaign.pk)
    if fmt == "pdf":
        response = HttpResponse(pv.pdf(campaign), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{_pv_name(campaign)}.pdf"'
        return response
    return table_response(fmt, _pv_name(campaign), pv.rows(campaign), title=_("Withdrawn"))


@staff_required
def criteria(request: HttpRequest) -> HttpResponse:
    rows = Criterion.objects.select_related("library", "item_type").order_by(
        "library__name", "dewey_from", "label"
    )
    return render(
        request,
        "weeding/criteria.html",
        {
            "network_rows": [r for r in rows if r.library_id is None],
            "library_rows": [r for r in rows if r.library_id is not None],
            "may_edit_network": can(request.user, Action.ADMINISTER),
            "own_libraries": libraries_for(request.user, Action.MANAGE),
        },
    )


@staff_required
def criterion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    row = get_object_or_404(Criterion, pk=pk) if pk else None
    library = row.library if row else None
    if row is None and request.GET.get("bibliotheque"):
        library = get_object_or_404(Library, code=request.GET["bibliotheque"])
    if library is None:
        require(request.user, Action.ADMINISTER)  # the network's table: the coordinator
    else:
        require(request.user, Action.MANAGE, library)
    form = CriterionForm(request.POST or None, instance=row)
    if request.method == "POST":
        if request.POST.get("delete") and row is not None:
            row.delete()
            messages.success(request, _("Criterion deleted."))
            return redirect("weeding:criteria")
        if form.is_valid():
            saved = form.save(commit=False)
            saved.library = library
            saved.save()
            messages.success(request, _("Criterion saved."))
            return redirect("weeding:criteria")
    return render(
        request, "weeding/criterion_form.html", {"form": form, "row": row, "library": library}
    )


@staff_required
def deliberation(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    if not can(request.user, Action.MANAGE, library):
        raise PermissionDenied(_("Your role does not allow changing this library's data."))
    current = Deliberation.objects.filter(library=library).first()
    form = DeliberationForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.library = library
        saved.save()
        messages.success(request, _("Deliberation saved."))
        return redirect("weeding:list")
    return render(request, "weeding/deliberation_form.html", {"form": form, "library": library})


@staff_required
def offered(request: HttpRequest) -> HttpResponse:
    """Items libraries of the network offered when weeding: claim one (it comes by the
    shuttle and becomes the claimant's); what my libraries offered and who claimed it."""
    today = timezone.localdate()
    mine = libraries_for(request.user, Action.MANAGE)
    here = current_library(request)
    claimant = here if here is not None and mine.filter(pk=here.pk).exists() else mine.first()
    period_form = None
    if can(request.user, Action.ADMINISTER):
        network_period = OfferPeriod.objects.filter(library__isnull=True).first()
        period_form = OfferPeriodForm(
            request.POST if request.POST.get("days") else None,
            instance=network_period,
            initial={"days": services.offer_days(0)},
        )
        if request.method == "POST" and period_form.is_valid():
            period_form.save()
            messages.success(request, _("Offer period saved."))
            return redirect("weeding:offered")
    return render(
        request,
        "weeding/offered.html",
        {
            "rows": offers.open_to(claimant, today)[:500],
            "claimants": list(mine),
            "claimant": claimant,
            "made": Offer.objects.filter(library__in=mine)
            .select_related("item__record", "claimed_by", "library")
            .order_by("-offered_on", "-pk")[:500],
            "period_form": period_form,
            "days": services.offer_days(claimant.pk if claimant else 0),
        },
    )


@staff_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("item"), pk=pk)
    library = get_object_or_404(Library, pk=number(request.POST, "library"))
    try:
        offers.claim(request.user, offer, library)
    except services.WeedingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The item %(barcode)s is yours: %(library)s will send it by the shuttle; it "
                "joins your collection when you receive it."
            )
            % {"barcode": offer.item.barcode, "library": offer.library.name},
        )
    return redirect("weeding:offered")
