"""Statistics in the staff API: the annual report with every figure and its indicator code, and
loans grouped by library, month, kind of document or audience. Who sees what follows the staff
pages (maillon.stats.access): the network for its coordinator and the departmental library,
otherwise one's own library."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from maillon.network.models import Library
from maillon.stats import access, checks, series
from maillon.stats.facts import Period
from maillon.stats.report import build

from .auth import library_by_code, staff_auth
from .circulation_routes import AUTH_ERRORS
from .errors import ApiError
from .schemas import Error, Schema
from .schemas import Field as SchemaField

router = Router(tags=["statistics"], auth=staff_auth)
READ_ERRORS = {400: Error, 404: Error, **AUTH_ERRORS}
MAX_DAYS = 3 * 366


class AnnualQuery(Schema):
    year: int = SchemaField(..., ge=2000, le=2100, description="The report's year.")
    library: str | None = SchemaField(
        None, max_length=20, description="Library code; without it, the network."
    )


class LibraryRef(Schema):
    code: str
    name: str


class ReportLine(Schema):
    code: str = SchemaField(description="The survey's indicator or section code.")
    key: str = SchemaField(description="Maillon's name of the figure (empty for a text line).")
    label: str
    value: int | float | str | None = SchemaField(description="null: not known (NC).")


class ReportSection(Schema):
    code: str
    title: str
    lines: list[ReportLine]


class ReportCheck(Schema):
    level: Literal["error", "warning", "note"]
    message: str
    key: str


class AnnualReport(Schema):
    year: int
    library: LibraryRef | None
    form: Literal["full", "abridged", "very_abridged"]
    sections: list[ReportSection]
    checks: list[ReportCheck]
    ready: bool = SchemaField(description="No consistency check failed with an error.")


class LoansQuery(Schema):
    start: dt.date = SchemaField(..., alias="from", description="First day (YYYY-MM-DD).")
    end: dt.date = SchemaField(..., alias="to", description="Last day, included.")
    group_by: Literal["library", "month", "medium", "audience"] = "month"
    library: str | None = SchemaField(
        None, max_length=20, description="Library code; without it, the network."
    )


class LoanGroup(Schema):
    key: str
    label: str
    loans: int


class LoanCounts(Schema):
    start: dt.date = SchemaField(serialization_alias="from")
    end: dt.date = SchemaField(serialization_alias="to")
    group_by: str
    library: LibraryRef | None
    total: int
    groups: list[LoanGroup]


def _scope(user, code: str | None) -> Library | None:
    library = library_by_code(code) if code else None
    if access.sees_network(user):
        return library
    if library is None or library.pk not in access.visible_libraries(user).values_list(
        "pk", flat=True
    ):
        raise ApiError(403, "forbidden", _("You see the statistics of your own library only."))
    return library


def _ref(library: Library | None) -> dict | None:
    return {"code": library.code, "name": library.name} if library else None


@router.get(
    "/stats/annual",
    response={200: AnnualReport, **READ_ERRORS},
    url_name="stats_annual",
    summary="The annual report (SCRIB / Neoscrib) of a library or of the network",
    operation_id="getAnnualReport",
)
def annual_view(request: HttpRequest, params: Query[AnnualQuery]):
    library = _scope(request.auth, params.library)  # type: ignore[attr-defined]
    if params.year > timezone.localdate().year:
        raise ApiError(
            400, "future_year", _("The year %(year)d has not begun.") % {"year": params.year}
        )
    report = build(params.year, library)
    found = checks.run(report, build(params.year - 1, library))
    return {
        "year": report.year,
        "library": _ref(library),
        "form": report.form,
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "lines": [
                    {"code": line.code, "key": line.key, "label": line.label, "value": line.value}
                    for line in section.lines
                ],
            }
            for section in report.sections
        ],
        "checks": [{"level": c.level, "message": c.message, "key": c.key} for c in found],
        "ready": checks.is_ready(found),
    }


@router.get(
    "/stats/loans",
    response={200: LoanCounts, **READ_ERRORS},
    url_name="stats_loans",
    summary="Loans made in a period, grouped by library, month, kind of document or audience",
    operation_id="countLoans",
    by_alias=True,
)
def loans_view(request: HttpRequest, params: Query[LoansQuery]):
    library = _scope(request.auth, params.library)  # type: ignore[attr-defined]
    if params.start > params.end:
        raise ApiError(400, "invalid_period", _("The period must start before it ends."))
    if (params.end - params.start).days > MAX_DAYS:
        raise ApiError(400, "invalid_period", _("Choose a period of three years at most."))
    rows = series.loans_by(Period(params.start, params.end), library, params.group_by)
    return {
        "start": params.start,
        "end": params.end,
        "group_by": params.group_by,
        "library": _ref(library),
        "total": sum(int(r.value) for r in rows),
        "groups": [{"key": r.key, "label": r.label, "loans": int(r.value)} for r in rows],
    }
