"""Staff pages of the annual report: the places and whether they are ready, one report, the rows
behind a figure; each as a page, CSV and xlsx."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import table_response
from maillon.network.current import current_library
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, can
from maillon.stats import access, checks, listing, services
from maillon.stats.dashboards import PANELS, SECTIONS
from maillon.stats.dashboards import panels as dashboard_panels
from maillon.stats.exports import overview_rows, report_rows
from maillon.stats.facts import Period
from maillon.stats.figures import Figure, all_figures, compute_each
from maillon.stats.forms import FilterForm
from maillon.stats.models import FormByKind, SurveyForm
from maillon.stats.report import build
from maillon.stats.services import StatsError

NETWORK = "reseau"
PAGE_ROWS = 100
XLSX_ROWS = 1_048_575  # a sheet's rows, the header apart
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

    def __init__(
        self,
        library: Library,
        year: int,
        every: list[Figure],
        counted: dict[str, float],
        before: dict[str, float],
    ) -> None:
        self.library = library
        self.report = build(year, library, every=every, counted=counted)
        previous = checks.year_before(year - 1, library, every, before)
        self.checks = checks.run(self.report, previous)
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
    section = data.pop("section", ["loans"])[-1]
    if section not in SECTIONS:
        raise Http404
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
        panels = dashboard_panels(period, library, section)
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "panels": panels,
            "query": data.urlencode(),
            "sections": [(key, title) for key, (title, _keys) in SECTIONS.items()],
            "section": section,
        },
    )


@staff_required
def annual_index(request: HttpRequest) -> HttpResponse:
    """Last year's report: the one prepared at the turn of the year."""
    return redirect("stats:annual_overview", year=timezone.localdate().year - 1)


@staff_required
def annual_overview(request: HttpRequest, year: int) -> HttpResponseBase:
    """Every place the user sees, with its form, main figures and whether it is ready."""
    year = _year(year)
    # The figures' definitions read once, and counted for every place at once (a statement per
    # fact, grouped by library), not a report's statements again for each place.
    every = all_figures()
    libraries = list(access.visible_libraries(request.user))
    counted = compute_each(every, Period.year(year), libraries)
    compared = [f for f in every if f.key in checks.COMPARED]
    before = compute_each(compared, Period.year(year - 1), libraries)
    places = [
        Place(library, year, every, counted[library.pk], before[library.pk])
        for library in libraries
    ]
    network = build(year, None, every=every) if access.sees_network(request.user) else None
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
            "can_choose_forms": can(request.user, Action.ADMINISTER),
            "forms_by_kind": _forms_by_kind(),
            "forms": SurveyForm.choices,
        },
    )


def _forms_by_kind() -> list[tuple[str, str, str]]:
    chosen = dict(FormByKind.objects.values_list("library_kind", "form"))
    return [(kind, str(label), chosen.get(kind, "")) for kind, label in LibraryKind.choices]


@staff_required
@require_POST
def choose_form(request: HttpRequest, year: int) -> HttpResponse:
    """The coordinator sets which form a kind of library fills in."""
    try:
        services.set_form(request.user, request.POST.get("kind", ""), request.POST.get("form", ""))
    except StatsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The form of the annual report is saved."))
    return redirect("stats:annual_overview", year=year)


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
    found = checks.run(report, checks.year_before(year - 1, library))
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
    """The rows behind a figure, a page at a time, or whole as CSV (streamed) or xlsx."""
    year = _year(year)
    library = _library(request, code)
    figure = next((f for f in all_figures() if f.key == key), None)
    if figure is None:
        raise Http404
    rows = listing.of(figure, Period.year(year), library)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        if fmt == "xlsx" and rows.count() > XLSX_ROWS:
            messages.error(
                request,
                _("Too many rows for a spreadsheet (%(max)s at most): take the CSV file.")
                % {"max": number_format(XLSX_ROWS, force_grouping=True)},
            )
            return redirect(request.path)
        table = [rows.header(), *rows.table(rows.all())]
        return table_response(
            fmt, f"{key}-{year}-{code}", table, title=str(figure.label), streaming=True
        )
    # A Listing slices and counts as a queryset does, which is all a Paginator asks.
    page: Page[Any] = Paginator(cast(Any, rows), PAGE_ROWS).get_page(request.GET.get("page"))
    count = page.paginator.count
    return render(
        request,
        "stats/figure_rows.html",
        {
            "year": year,
            "code": code,
            "library": library,
            "figure": figure,
            "value": rows.value() if figure.measure == "sum_places" else count,
            "count": count,
            "xlsx": count <= XLSX_ROWS,
            "listing": rows,
            "header": rows.header(),
            "rows": list(rows.table(page.object_list)),
            "page": page,
            "network_code": NETWORK,
        },
    )
