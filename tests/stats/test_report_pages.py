"""The report's pages and files: who sees what, NC never a blank, the rows behind a figure, the
spreadsheet in the survey's order and safe to open."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillon.circulation.models import Loan
from maillon.network.models import Role
from maillon.stats.report import build
from tests.conftest import make_library


def _url(*args):
    return reverse("stats:annual", args=args)


def test_the_coordinator_sees_every_place_and_the_network(client, staff, activity):
    client.force_login(staff[Role.COORDINATOR])
    page = client.get(reverse("stats:annual_overview", args=[2025])).content.decode()
    for name in ("Bibliothèque AAA", "Bibliothèque BBB", "Bibliothèque MD"):
        assert name in page
    assert _url(2025, "reseau") in page
    report = client.get(_url(2025, "reseau")).content.decode()
    assert "NC" in report  # the budget is not known
    assert reverse("stats:figure_rows", args=[2025, "reseau", "active"]) in report


def test_a_librarian_sees_their_library_only(client, staff, activity):
    client.force_login(staff[Role.LIBRARIAN])  # at AAA
    assert client.get(_url(2025, "AAA")).status_code == 200
    assert client.get(_url(2025, "BBB")).status_code == 403
    assert client.get(_url(2025, "reseau")).status_code == 403
    rows = reverse("stats:figure_rows", args=[2025, "BBB", "loans"])
    assert client.get(rows).status_code == 403
    overview = client.get(reverse("stats:annual_overview", args=[2025])).content.decode()
    assert "Bibliothèque AAA" in overview and "Bibliothèque BBB" not in overview


def test_the_rows_behind_a_figure_are_the_rows_counted(client, staff, activity):
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(reverse("stats:figure_rows", args=[2025, "AAA", "loans.D1"]))
    assert response.context["value"] == 3
    assert len(response.context["rows"]) == 3
    assert "Trois" not in response.content.decode()  # a loan never shows its borrower


def test_the_spreadsheet_follows_the_report_and_neutralises_formulas(
    client, staff, activity, network
):
    Loan.objects.filter(checked_out_at__year=2025).update(patron_commune="=HYPERLINK(1)")
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(_url(2025, "AAA") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    report = build(2025, network["a"])
    assert [r[1] or "" for r in rows[1:]] == [line.code for _s, line in report.lines()]
    assert [r[3] for r in rows[1:] if r[1] == "F"] == ["NC", "NC"]
    assert rows[1][0].startswith("A.")
    loans = next(r for r in rows if r[1] == "E2")
    assert loans[3] == 4
    listing = client.get(reverse("stats:figure_rows", args=[2025, "AAA", "loans"]) + "?format=csv")
    text = b"".join(listing.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and ";=HYPERLINK" not in text


def test_the_overview_spreadsheet_has_a_column_per_place(client, staff, activity):
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(reverse("stats:annual_overview", args=[2025]) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[-1] in ("Network", "Réseau")
    loans = next(r for r in rows if r[1] == "E2")
    by_place = dict(zip(header[3:], loans[3:], strict=True))
    assert by_place["Bibliothèque AAA"] == 4 and by_place["Bibliothèque BBB"] == 3
    assert loans[-1] == 7


@pytest.mark.django_db
def test_a_year_without_activity_gives_zeros_and_nc(network):
    values = build(2019, network["a"]).values
    assert values["loans"] == 0 and values["active"] == 0 and values["holdings"] == 0
    lines = [line for _s, line in build(2019, None).lines()]
    assert all(line.value is not None for line in lines if line.key)
    assert any(line.value is None for line in lines)  # NC, not a blank


def test_a_library_created_mid_year_adds_up(activity, network):
    late = make_library("NEW")
    assert build(2025, late).values["loans"] == 0
    total = sum(build(2025, lib).values["loans"] for lib in (*network.values(), late))
    assert total == build(2025, None).values["loans"] == 7


def test_loans_without_a_pseudonym_are_said(activity, network):
    Loan.objects.filter(checked_out_at__year=2025, library=network["b"]).update(patron_key="")
    report = build(2025, network["b"])
    assert report.values["active"] == 0
    assert report.values["loans.no_key"] == 3


def test_bad_years_and_figures_are_not_found(client, staff, network):
    client.force_login(staff[Role.COORDINATOR])
    assert client.get(_url(2999, "AAA")).status_code == 404
    assert client.get(_url(2025, "NOPE")).status_code == 404
    assert client.get(reverse("stats:figure_rows", args=[2025, "AAA", "x"])).status_code == 404
