"""Tables for spreadsheets: CSV set to French conventions, and xlsx.

Both formats neutralise formula injection: a text cell that a spreadsheet would run as a formula
(it starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, so it is shown
as typed and never evaluated. A signed number ("+33 5 49 00 00 00", "-2") is left alone. xlsx cells
are also written with the string type, so no text ever becomes a formula there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# A byte-order mark makes spreadsheet software read UTF-8 instead of the legacy code page;
# the semicolon is what they expect where the comma is the decimal separator.
BOM = "\ufeff"
DELIMITER = ";"
FORMULA_START = tuple("=+-@\t\r")
_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9 .,]*")
_SHEET_FORBIDDEN = re.compile(r"[\\/?*:\[\]]")
BOLD = Font(bold=True)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[object]


def neutralise(value: str) -> str:
    """The text as a spreadsheet will show it, never run as a formula."""
    if value.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")  # what a French spreadsheet reads as a date
    return str(value)


def safe_row(row: Row) -> list[str]:
    """A row for CSV: every cell as neutralised text."""
    return [neutralise(_text(cell)) for cell in row]


class _Line:
    """A file-like object whose write() hands back the line the csv module formatted."""

    def write(self, value: str) -> str:
        return value


class SafeWriter:
    """``csv.writer`` with French separators whose rows are neutralised first."""

    def __init__(self, out: IO[str] | _Line) -> None:
        self._writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")

    def writerow(self, row: Row) -> object:
        return self._writer.writerow(safe_row(row))


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """The BOM, then one formatted line per row."""
    writer = SafeWriter(_Line())
    yield BOM
    for row in rows:
        yield str(writer.writerow(row))


def csv_response(
    filename: str, rows: Iterable[Row], *, streaming: bool = False
) -> HttpResponseBase:
    """A CSV download; ``streaming`` for lists too long to build in memory."""
    content_type = "text/csv; charset=utf-8"
    response: HttpResponseBase
    if streaming:
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(rows)), content_type=content_type
        )
    else:
        response = HttpResponse("".join(csv_lines(rows)).encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    # Control characters are not allowed in the file format.
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))


def sheet_title(title: str) -> str:
    """The title as a sheet may bear it: none of : / \\ ? * [ ], no apostrophe at either end
    (the file would not open), at most 31 characters."""
    title = _SHEET_FORBIDDEN.sub("-", title)[:31].strip("' ")
    return title or pgettext("spreadsheet", "Sheet")


def xlsx_bytes(rows: Iterable[Row], title: str) -> bytes:
    """A one-sheet workbook: the first row is the header, in bold, frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            if index == 0:
                cell.font = BOLD
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, rows: Iterable[Row], title: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    fmt: str, filename: str, rows: Iterable[Row], *, title: str, streaming: bool = False
) -> HttpResponseBase:
    """The same table as CSV or xlsx; ``filename`` without its extension."""
    if fmt == "xlsx":
        return xlsx_response(filename, rows, title)
    return csv_response(filename, rows, streaming=streaming)
