"""Spreadsheet exports: no cell a spreadsheet would run as a formula, in CSV or in xlsx."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from maillon.core.exports import SafeWriter, csv_lines, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://x")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_starts_are_neutralised(typed):
    assert neutralise(typed) == "'" + typed


@pytest.mark.parametrize("value", ["+33 5 49 00 00 00", "-2", "Léa", "", "a=b", "1-2"])
def test_plain_values_are_left_alone(value):
    assert neutralise(value) == value


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_lines_bom_semicolons_french_dates():
    text = "".join(
        csv_lines([["Nom", "Date", "Nombre"], ["=1+1", dt.date(2024, 3, 5), 7], [None, "x;y", 0]])
    )
    assert text.startswith("\ufeff")
    assert read_csv(text) == [
        ["Nom", "Date", "Nombre"],
        ["'=1+1", "05/03/2024", "7"],
        ["", "x;y", "0"],
    ]


def test_safe_writer_to_a_file(tmp_path):
    path = tmp_path / "motifs.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = SafeWriter(out)
        writer.writerow(["position", "titre"])
        writer.writerow([1, "@attaque"])
    assert read_csv(path.read_text(encoding="utf-8-sig")) == [
        ["position", "titre"],
        ["1", "'@attaque"],
    ]


def test_xlsx_keeps_types_and_never_writes_a_formula():
    data = xlsx_bytes(
        [
            ["Nom", "Date", "Nombre"],
            ["=1+1", dt.date(2024, 3, 5), 7],
            ["+33 5 49 00 00 00", "bip\x07", None],
        ],
        "Essai",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Essai" and sheet.freeze_panes == "A2"
    assert [c.value for c in rows[0]] == ["Nom", "Date", "Nombre"] and rows[0][0].font.b
    formula, day, number = rows[1]
    assert formula.value == "'=1+1" and formula.data_type == "s"
    assert day.value.date() == dt.date(2024, 3, 5) and number.value == 7
    assert [c.value for c in rows[2]] == ["+33 5 49 00 00 00", "bip", None]
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_a_sheet_title_with_characters_a_sheet_may_not_bear_still_makes_a_workbook():
    """Titles such as "Rotation : prêts par document" or "Prêts / habitant" made a 500."""
    data = xlsx_bytes([["Nom"]], "Rotation : prêts / document [2026] ?*\\ — et la suite")
    title = load_workbook(io.BytesIO(data)).active.title
    assert title == "Rotation - prêts - document -20"
    bare = load_workbook(io.BytesIO(xlsx_bytes([["Nom"]], "' "))).active.title
    assert bare and "'" not in bare
