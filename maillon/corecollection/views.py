from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from maillon.catalogue.models import Audience, DocType
from maillon.core import usage
from maillon.core.decorators import staff_required
from maillon.corecollection import services
from maillon.corecollection.forms import PeriodForm
from maillon.corecollection.models import CoreList
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require


def _chosen(request: HttpRequest) -> CoreList | None:
    if request.GET.get("liste", "").isdigit():
        return get_object_or_404(CoreList, pk=int(request.GET["liste"]))
    return services.latest()


@staff_required
def core_list(request: HttpRequest) -> HttpResponse:
    may_compute = can(request.user, Action.ADMINISTER)
    start, end = services.default_period(timezone.localdate())
    form = PeriodForm(request.POST or None, initial={"start": start, "end": end})
    if request.method == "POST" and may_compute and form.is_valid():
        data = form.cleaned_data
        try:
            computed = services.compute(
                request.user, data["start"], data["end"], per_group=data["per_group"]
            )
        except services.CoreCollectionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Core collection computed."))
            return redirect(f"{request.path}?liste={computed.pk}")
    core = _chosen(request)
    audience = request.GET.get("public", "")
    doc_type = request.GET.get("type", "")
    rows = services.titles(core, audience=audience, doc_type=doc_type) if core else []
    return render(
        request,
        "corecollection/list.html",
        {
            "core": core,
            "rows": rows,
            "lists": CoreList.objects.all()[:12],
            "form": form if may_compute else None,
            "audiences": Audience.choices,
            "doc_types": DocType.choices,
            "audience": audience,
            "doc_type": doc_type,
        },
    )


@staff_required
def gap_list(request: HttpRequest) -> HttpResponse:
    """A library's gaps: core titles it holds no copy of; place a hold on a copy of another
    library (the desk's hold form), or what the apps above offer (``core_gap_actions``)."""
    here = current_library(request)
    code = request.GET.get("bibliotheque") or (here.code if here else "")
    library = get_object_or_404(Library, code=code) if code else None
    if library is not None:
        require(request.user, Action.VIEW, library)
    core = _chosen(request)
    audience = request.GET.get("public", "")
    rows = list(services.gaps(core, library, audience=audience)[:300]) if core and library else []
    for row in rows:
        row.actions = [  # type: ignore[attr-defined]
            SafeString(html)
            for html in usage.answers("core_gap_actions", row.record, library, request)
        ]
    desk = here if here is not None and can(request.user, Action.CIRCULATE, here) else None
    return render(
        request,
        "corecollection/gaps.html",
        {
            "core": core,
            "library": library,
            "rows": rows,
            "libraries": Library.objects.order_by("name"),
            "desk": desk,
            "card": request.GET.get("carte", ""),
            "audiences": Audience.choices,
            "audience": audience,
        },
    )
