"""The annual report as spreadsheet rows, in the survey's order, so that typing it into Neoscrib
is copying column by column. Unknown figures are written NC."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from maillon.stats.report import AnnualReport, Line, Value

NC = "NC"


def cell(value: Value) -> object:
    return NC if value is None else value


def _line_id(section_code: str, line: Line) -> str:
    return line.key or f"{section_code}:{line.label}"


def report_rows(report: AnnualReport) -> Iterator[list[object]]:
    yield [_("Section"), _("Code"), _("Indicator"), _("Value")]
    for section, line in report.lines():
        yield [section.title, line.code, line.label, cell(line.value)]


def overview_rows(reports: list[AnnualReport]) -> Iterator[list[object]]:
    """One column per place (then the network): a line a form does not ask stays empty."""
    widest = max(reports, key=lambda r: len(r.lines()))
    values = [
        {_line_id(section.code, line): line.value for section, line in report.lines()}
        for report in reports
    ]
    names = [r.library.name if r.library else _("Network") for r in reports]
    yield [_("Section"), _("Code"), _("Indicator"), *names]
    for section, line in widest.lines():
        line_id = _line_id(section.code, line)
        yield [
            section.title,
            line.code,
            line.label,
            *(cell(found[line_id]) if line_id in found else "" for found in values),
        ]
