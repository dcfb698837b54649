"""The yearly declarations: the lending-right invoices (books only, the GLN, CSV and xlsx) and
the copies acquired per medium and audience for the annual report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from maillon.catalogue.models import Audience
from maillon.purchasing import declaration, figures, receiving
from maillon.purchasing.models import Invoice, Medium, Supplier

GLN = "3012345678903"


@pytest.fixture
def invoiced(bookseller, books, network):
    """Two book invoices at AAA this year, one last year, one at BBB; a DVD invoice at AAA."""
    bookseller.gln = GLN
    bookseller.save()
    av = Supplier.objects.create(name="Vidéo Plus", medium=Medium.objects.get(code="AV"))

    def invoice(supplier, library, number, date, excl, incl):
        return Invoice.objects.create(
            supplier=supplier,
            library=library,
            number=number,
            date=date,
            amount_excl_tax=Decimal(excl),
            amount_incl_tax=Decimal(incl),
        )

    return [
        invoice(bookseller, network["a"], "F-2", dt.date(2025, 6, 30), "94.79", "100.00"),
        invoice(bookseller, network["a"], "F-1", dt.date(2025, 1, 1), "189.57", "200.00"),
        invoice(bookseller, network["a"], "F-0", dt.date(2024, 12, 31), "9.48", "10.00"),
        invoice(bookseller, network["b"], "F-3", dt.date(2025, 12, 31), "47.39", "50.00"),
        invoice(av, network["a"], "V-1", dt.date(2025, 3, 1), "50.00", "60.00"),
    ]


def test_books_invoices_of_the_year_only(invoiced, network):
    assert [i.number for i in declaration.invoices(2025, network["a"])] == ["F-1", "F-2"]
    assert [i.number for i in declaration.invoices(2025)] == ["F-1", "F-2", "F-3"]
    totals = declaration.totals(declaration.invoices(2025, network["a"]))
    assert (totals.count, totals.excl_tax, totals.incl_tax) == (
        2,
        Decimal("284.36"),
        Decimal("300.00"),
    )


def test_the_csv_has_exactly_what_is_declared(invoiced, desk, client_fr, network):
    client_fr.force_login(desk["a"])
    url = reverse("purchasing:declarations") + "?annee=2025&bibliotheque=AAA&format=csv"
    response = client_fr.get(url)
    assert response["Content-Disposition"].endswith('droit-de-pret-2025-AAA.csv"')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Numéro de facture;Date de la facture;Montant HT;Montant TTC;Libraire;GLN du libraire"
    )
    assert lines[1:] == [
        f"F-1;01/01/2025;189.57;200.00;Librairie La Colline;{GLN}",
        f"F-2;30/06/2025;94.79;100.00;Librairie La Colline;{GLN}",
    ]


def test_the_network_xlsx_names_each_library(invoiced, staff, client_fr):
    client_fr.force_login(staff["coordinator"])
    url = reverse("purchasing:declarations") + "?annee=2025&bibliotheque=&format=xlsx"
    sheet = load_workbook(io.BytesIO(client_fr.get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Bibliothèque" and len(rows) == 4
    assert rows[3][:4] == ("Bibliothèque BBB", "F-3", dt.datetime(2025, 12, 31), 47.39)


def test_a_librarian_declares_for_their_library_only(invoiced, desk, client_fr, network):
    client_fr.force_login(desk["a"])
    base = reverse("purchasing:declarations") + "?annee=2025"
    page = client_fr.get(base).content.decode()
    assert "F-1" in page and "F-3" not in page and "V-1" not in page
    assert "TVA à 5,5 %)" in page
    assert client_fr.get(base + "&bibliotheque=BBB").status_code == 403
    assert client_fr.get(base + "&bibliotheque=").status_code == 403
    client_fr.force_login(desk["volunteer"])
    refused = client_fr.get(base)
    assert refused.status_code == 403
    assert "Accès refusé" in refused.content.decode()  # the site's page, not a bare text
    # … and no page of purchasing shows the volunteer a link to it.
    for page in ("purchasing:home", "purchasing:orders"):
        assert (
            reverse("purchasing:declarations") not in client_fr.get(reverse(page)).content.decode()
        )


def test_a_missing_gln_is_pointed_out(invoiced, bookseller, desk, client_fr):
    bookseller.gln = ""
    bookseller.save()
    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("purchasing:declarations") + "?annee=2025").content.decode()
    assert "Aucun GLN pour Librairie La Colline" in page


def test_acquisitions_per_medium_and_audience(sent_order, desk, network, client_fr):
    lines = {line.quantity: line for line in sent_order.lines.select_related("record")}
    youth = lines[1].record
    youth.audience = Audience.YOUTH
    youth.save()
    receiving.receive(desk["a"], lines[2], ["NEUF001", "NEUF002"])
    receiving.receive(desk["a"], lines[1], ["NEUF003"])
    year = timezone.localdate().year
    assert figures.acquisitions(year, network["a"]) == {
        ("text", "unknown"): 2,
        ("text", "youth"): 1,
    }
    assert figures.acquisitions(year) == figures.acquisitions(year, network["a"].pk)
    assert figures.acquisitions(year, network["b"]) == {}
    assert figures.acquisitions(year - 1) == {}
    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("purchasing:declarations") + f"?annee={year}").content.decode()
    assert "3 exemplaires au total" in page
