"""The exchange grid on paper (the whole grid, then one page per library; or one library's
page) and as a table for spreadsheets (one row per lot moving)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.exports import Row
from maillon.network.models import Library
from maillon.rotation import services
from maillon.rotation.models import Cell, Exchange, Plan, PlanLibrary

# Most libraries side by side on one A4 landscape sheet: a larger network's grid is cut into
# tables of even width, each with the exchange dates again.
GRID_COLUMNS = 7


@dataclass
class GridPart:
    members: list[PlanLibrary]
    rows: list[tuple[Exchange, list[services.Slot]]]


def _slot(table: services.Table, exchange: Exchange, member: PlanLibrary) -> services.Slot:
    return table.slots.get((exchange.number, member.library_id)) or services.Slot()


def _parts(table: services.Table) -> list[GridPart]:
    members = table.members
    count = math.ceil(len(members) / GRID_COLUMNS) or 1
    width = math.ceil(len(members) / count) or 1
    parts = []
    for first in range(0, max(len(members), 1), width):
        chosen = members[first : first + width]
        rows = [
            (exchange, [_slot(table, exchange, m) for m in chosen]) for exchange in table.exchanges
        ]
        parts.append(GridPart(chosen, rows))
    return parts


def html(plan: Plan, library: Library | None = None) -> str:
    # The grid is read once: each library's page is its column of the whole grid.
    whole = services.table(plan)
    pages = [
        (member, [(e, _slot(whole, e, member)) for e in whole.exchanges])
        for member in whole.members
        if library is None or member.library_id == library.pk
    ]
    return render_to_string(
        "rotation/print.html",
        {
            "plan": plan,
            "grid": _parts(whole) if library is None else None,
            "pages": pages,
            "printed": timezone.localtime(),
        },
    )


def pdf(plan: Plan, library: Library | None = None) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a grid is printed

    return HTML(string=html(plan, library)).write_pdf()


def rows(plan: Plan) -> Iterator[Row]:
    yield [
        _("Exchange"),
        _("Planned date"),
        _("Lot code"),
        _("Lot"),
        _("From"),
        _("To"),
        _("Leaves on"),
        _("Arrives on"),
    ]
    planned = {e.number: e.planned for e in plan.dates.all()}
    cells = (
        Cell.objects.filter(plan=plan, number__gte=1, from_library__isnull=False)
        .select_related("lot", "library", "from_library")
        .order_by("number", "from_library__name", "lot__name")
    )
    for cell in cells:
        assert cell.from_library is not None
        yield [
            cell.number,
            planned.get(cell.number),
            cell.lot.code,
            cell.lot.name,
            cell.from_library.name,
            cell.library.name,
            cell.day,
            cell.arrival,
        ]
