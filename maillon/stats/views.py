"""Staff pages of the annual report: the places and whether they are ready, one report, the rows
behind a figure; each as a page, CSV and xlsx."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.stats import access, checks, listing
from maillon.stats.dashboards import PANELS
from maillon.stats.exports import overview_rows, report_rows
from maillon.stats.facts import Period
from maillon.stats.figures import all_figures, compute
from maillon.stats.forms import FilterForm
from maillon.stats.report import build

NETWORK = "reseau"
FORMATS = ("csv", "xlsx")
MIN_YEAR = 2000


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def _library(request: HttpRequest, code: str) -> Library | None:
    library = None if code == NETWORK else get_object_or_404(Library, code=code)
    access.check(request.user, library)
    return library


class Place:
    """A library's report for the year, checked against the year before."""

    def __init__(self, library: Library, year: int) -> None:
        self.library = library
        self.report = build(year, library)
        self.checks = checks.run(self.report, build(year - 1, library))
        self.errors = sum(c.level == checks.ERROR for c in self.checks)
        self.warnings = sum(c.level == checks.WARNING for c in self.checks)
        self.ready = checks.is_ready(self.checks)


@staff_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    """The charts and their tables for a period and a library (or the network); one panel as
    CSV or xlsx with ?panel=…&format=…"""
    libraries = access.visible_libraries(request.user)
    network = access.sees_network(request.user)
    data = request.GET.copy()
    if not network and not data.get("library"):
        mine = current_library(request)
        first = mine if mine and mine in libraries else libraries.first()
        data["library"] = first.code if first else ""
    form = FilterForm(data, libraries=libraries, network=network)
    panels = []
    if form.is_valid():
        code = form.cleaned_data["library"]
        library = _library(request, code) if code else None
        if not network and library is None:
            raise PermissionDenied
        period = form.period()
        wanted = request.GET.get("panel")
        fmt = request.GET.get("format")
        if wanted in PANELS and fmt in FORMATS:
            panel = PANELS[wanted](period, library)
            return table_response(
                fmt,
                f"{panel.key}-{period.start}-{period.end}",
                [panel.header, *panel.rows],
                title=panel.title,
            )
        panels = [build_panel(period, library) for build_panel in PANELS.values()]
    return render(
        request,
        "stats/dashboard.html",
        {"form": form, "panels": panels, "query": data.urlencode()},
    )


@staff_required
def annual_index(request: HttpRequest) -> HttpResponse:
    """Last year's report: the one prepared at the turn of the year."""
    return redirect("stats:annual_overview", year=timezone.localdate().year - 1)


@staff_required
def annual_overview(request: HttpRequest, year: int) -> HttpResponseBase:
    """Every place the user sees, with its form, main figures and whether it is ready."""
    year = _year(year)
    places = [Place(library, year) for library in access.visible_libraries(request.user)]
    network = build(year, None) if access.sees_network(request.user) else None
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        reports = [p.report for p in places] + ([network] if network else [])
        return table_response(
            fmt, f"rapport-annuel-{year}", overview_rows(reports), title=str(year)
        )
    return render(
        request,
        "stats/annual_overview.html",
        {
            "year": year,
            "places": places,
            "network": network,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@staff_required
def annual(request: HttpRequest, year: int, code: str) -> HttpResponseBase:
    year = _year(year)
    library = _library(request, code)
    report = build(year, library)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return table_response(
            fmt, f"rapport-annuel-{year}-{code}", report_rows(report), title=str(year)
        )
    found = checks.run(report, build(year - 1, library))
    return render(
        request,
        "stats/annual.html",
        {
            "report": report,
            "code": code,
            "checks": found,
            "ready": checks.is_ready(found),
            "network_code": NETWORK,
        },
    )


@staff_required
def figure_rows(request: HttpRequest, year: int, code: str, key: str) -> HttpResponseBase:
    year = _year(year)
    library = _library(request, code)
    figure = next((f for f in all_figures() if f.key == key), None)
    if figure is None:
        raise Http404
    period = Period.year(year)
    rows = listing.rows_of(figure, period, library)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        table = [listing.header(figure), *listing.table(figure, rows.iterator())]
        return table_response(
            fmt, f"{key}-{year}-{code}", table, title=str(figure.label), streaming=True
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "stats/figure_rows.html",
        {
            "year": year,
            "code": code,
            "library": library,
            "figure": figure,
            "value": compute([figure], period, library)[key],
            "header": listing.header(figure),
            "rows": list(listing.table(figure, page.object_list)),
            "page": page,
            "network_code": NETWORK,
        },
    )
