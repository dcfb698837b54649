"""The CSV export opens in a French spreadsheet: UTF-8 with BOM, semicolons, accents intact."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from maillon.core.exports import XLSX_TYPE
from maillon.network.models import Role
from maillon.patrons import services


def download(client, code: str) -> tuple[bytes, object]:
    response = client.get(f"/pro/usagers/export/{code}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def test_export_of_one_library(
    client, staff, network, coordinator, make_patron, partner, categories
):
    lea = make_patron(
        surname="Lœuillet",
        first_name="Léa-Thérèse",
        email="lea@example.org",
        address="2 place de l'Église",
        city="Ménigoute",
        newsletters=True,
        registered_on=dt.date(2020, 3, 1),
    )
    services.block_patron(coordinator, lea, network["a"], "unpaid")
    make_patron(
        surname="Classe de CP",
        first_name="",
        birth_date=None,
        partner=partner,
        category=categories["collective"],
        responsible_person="Mme Girard",
    )
    make_patron(surname="Ailleurs", library=network["b"])
    make_patron(surname='=HYPERLINK("http://x")', phone="+33 5 49 00 00 00")

    client.force_login(staff[Role.LIBRARIAN])
    raw, response = download(client, "AAA")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "usagers-AAA-" in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(header) == 19 and len(body) == 3  # the patron of library "b" is not there
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    row = list(by_name["Lœuillet"].values())
    assert row[:4] == [lea.card_number, "Lœuillet", "Léa-Thérèse", "17/05/1990"]
    assert "2 place de l'Église" in row and "Ménigoute" in row
    assert "01/03/2020" in row and "01/03/2021" in row  # French dates
    collective = list(by_name["Classe de CP"].values())
    assert "École des Tilleuls" in collective and "Mme Girard" in collective
    # A formula typed as a name is neutralised; a phone number is left as it is.
    formula = list(by_name['\'=HYPERLINK("http://x")'].values())
    assert "+33 5 49 00 00 00" in formula


def test_export_flags_expired_and_blocked(client, staff, network, coordinator, make_patron):
    patron = make_patron(registered_on=dt.date(2020, 1, 1))
    services.block_patron(coordinator, patron, network["a"], "overdue")
    make_patron(surname="Robin")
    client.force_login(staff[Role.LIBRARIAN])
    raw, _response = download(client, "AAA")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    martin = next(r for r in rows if r[1] == "Martin")
    robin = next(r for r in rows if r[1] == "Robin")
    assert martin[15:17] != robin[15:17]
    assert martin[15] == martin[16] and robin[15] == robin[16]  # expired, blocked: yes / no


def test_export_as_xlsx(client, staff, network, make_patron):
    make_patron(surname='=HYPERLINK("http://x")', phone="+33 5 49 00 00 00")
    make_patron(surname="Ailleurs", library=network["b"])
    client.force_login(staff[Role.LIBRARIAN])
    response = client.get("/pro/usagers/export/AAA/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert (
        "usagers-AAA-" in response["Content-Disposition"]
        and ".xlsx" in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, body = rows[0], rows[1:]
    assert len(header) == 19 and len(body) == 1
    row = body[0]
    assert row[1] == '\'=HYPERLINK("http://x")' and row[9] == "+33 5 49 00 00 00"
    assert row[3].date() == dt.date(1990, 5, 17)  # a real date, not text
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)


def test_xlsx_export_is_refused_like_the_csv(client, staff, network):
    client.force_login(staff[Role.LIBRARIAN])
    refused = client.get("/pro/usagers/export/BBB/").status_code
    assert refused != 200 and client.get("/pro/usagers/export/BBB/xlsx/").status_code == refused
