"""The yearly declarations page: the lending-right invoices (CSV and xlsx) and the copies
acquired per medium and audience, for a library or (the coordinator) the whole network."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.models import Audience, DocType
from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, denial_message, libraries_for, require
from maillon.purchasing import declaration, figures


def _year(request: HttpRequest) -> int:
    last = timezone.localdate().year - 1  # declared in the spring for the year before
    text = request.GET.get("annee", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else last


@staff_required
def declarations(request: HttpRequest) -> HttpResponseBase:
    year = _year(request)
    libraries = libraries_for(request.user, Action.MANAGE)
    if not can(request.user, Action.MANAGE):
        raise PermissionDenied(denial_message(Action.MANAGE))
    if "bibliotheque" in request.GET:
        code = request.GET["bibliotheque"]
        library = get_object_or_404(Library, code=code) if code else None
    else:
        here = current_library(request)
        library = here if here is not None and can(request.user, Action.MANAGE, here) else None
        library = library or (None if can(request.user, Action.ADMINISTER) else libraries.first())
    require(request.user, Action.MANAGE if library else Action.ADMINISTER, library)
    found = declaration.invoices(year, library)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        name = f"droit-de-pret-{year}-{library.code if library else 'reseau'}"
        rows = declaration.table(found, network=library is None)
        return table_response(fmt, name, rows, title=_("Lending right %(year)s") % {"year": year})
    acquired = figures.acquisitions(year, library)
    audiences = [a for a in Audience if any(k[1] == a for k in acquired)]
    media = [
        (d.label, [acquired.get((d.value, a.value), 0) for a in audiences])
        for d in DocType
        if any(k[0] == d for k in acquired)
    ]
    return render(
        request,
        "purchasing/declarations.html",
        {
            "year": year,
            "years": range(year + 1, year - 5, -1),
            "library": library,
            "libraries": libraries,
            "network": can(request.user, Action.ADMINISTER),
            "invoices": found,
            "totals": declaration.totals(found),
            "no_gln": sorted({i.supplier.name for i in found if not i.supplier.gln}),
            "audiences": [a.label for a in audiences],
            "media": media,
            "acquired_total": sum(acquired.values()),
        },
    )
