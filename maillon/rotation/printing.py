"""The exchange grid on paper (the whole grid, then one page per library; or one library's
page) and as a table for spreadsheets (one row per lot moving)."""

from __future__ import annotations

from collections.abc import Iterator

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.exports import Row
from maillon.network.models import Library
from maillon.rotation import services
from maillon.rotation.models import Cell, Plan


def html(plan: Plan, library: Library | None = None) -> str:
    whole = services.table(plan)
    pages = [
        (
            member,
            [
                (exchange, slots[0][1])
                for exchange, slots in services.table(plan, member.library).rows()
            ],
        )
        for member in whole.members
        if library is None or member.library_id == library.pk
    ]
    return render_to_string(
        "rotation/print.html",
        {
            "plan": plan,
            "table": whole if library is None else None,
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
