"""The desk page, its service worker, the review list and the import page, over HTTP."""

import pytest
from django.test import Client

from maillon.circulation.models import Loan
from maillon.offline import services
from maillon.offline.models import OfflineOperation, Status
from tests.circulation.helpers import fr

from .conftest import DESK, op


@pytest.fixture
def librarian(desk) -> Client:
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(desk["a"])
    return client


def test_the_desk_page_and_its_worker(librarian, client):
    page = librarian.get("/pro/pret-secouru/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="offline-state"' in html and "/api/v1/offline/operations" in html
    assert fr("Record the loan") in html
    worker = client.get("/pro/pret-secouru/sw.js")  # no session needed
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    body = worker.content.decode()
    for kept in ("/pro/pret-secouru/", "/static/offline/desk.js", "/static/maillon/maillon.css"):
        assert f'"{kept}"' in body
    assert client.get("/pro/pret-secouru/session/").status_code == 401
    assert "csrf" in librarian.get("/pro/pret-secouru/session/").json()


def test_the_review_list_applies_and_dismisses(
    librarian, desk, network, make_patron, make_item, book
):
    reader, item = make_patron(), make_item(book)
    outcomes = services.record_desk(
        desk["a"],
        network["a"],
        DESK,
        [op(1, "checkout", "FAUTE", reader.card_number), op(2, "checkin", "AUTRE-FAUTE")],
    )
    first, second = (o.operation for o in outcomes)
    page = librarian.get("/pro/pret-secouru/a-revoir/").content.decode()
    assert "FAUTE" in page and fr("Apply") in page
    fixed = librarian.post(
        f"/pro/pret-secouru/a-revoir/{first.pk}/appliquer/",
        {
            f"op{first.pk}-kind": "checkout",
            f"op{first.pk}-card": reader.card_number,
            f"op{first.pk}-barcode": item.barcode,
        },
        follow=True,
    )
    assert fixed.status_code == 200
    assert Loan.objects.get(item=item).patron == reader
    empty = librarian.post(f"/pro/pret-secouru/a-revoir/{second.pk}/ecarter/", {}, follow=True)
    assert fr("Say why this operation is dismissed.") in empty.content.decode()
    librarian.post(
        f"/pro/pret-secouru/a-revoir/{second.pk}/ecarter/",
        {f"op{second.pk}-reason": "Étiquette illisible"},
    )
    assert [o.status for o in OfflineOperation.objects.order_by("seq")] == [
        Status.RESOLVED,
        Status.DISMISSED,
    ]


def test_a_volunteer_sees_the_list_but_cannot_settle(desk, network, make_patron):
    outcomes = services.record_desk(desk["a"], network["a"], DESK, [op(1, "checkin", "FAUTE")])
    pk = outcomes[0].operation.pk
    client = Client()
    client.force_login(desk["volunteer"])
    assert client.get("/pro/pret-secouru/a-revoir/").status_code == 200
    refused = client.post(f"/pro/pret-secouru/a-revoir/{pk}/ecarter/", {f"op{pk}-reason": "non"})
    assert refused.status_code == 403
    assert OfflineOperation.objects.get(pk=pk).status == Status.CONFLICT


def test_importing_a_broken_file_names_the_line(librarian, make_patron, make_item, book):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reader, item = make_patron(), make_item(book)
    content = (
        "Version=1.0\tGenerator=kocQt4\n"
        f"2025-03-03 10:00:00 000\tissue\t{reader.card_number}\t{item.barcode}\n"
        "2025-03-03 10:01\n"
    )
    page = librarian.post(
        "/pro/pret-secouru/importer/",
        {"file": SimpleUploadedFile("caisse.koc", content.encode())},
    ).content.decode()
    assert "Ligne 3" in page
    assert Loan.objects.get(item=item).patron == reader
    assert OfflineOperation.objects.filter(status=Status.CONFLICT).count() == 1
    garbage = librarian.post(
        "/pro/pret-secouru/importer/", {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n")}
    ).content.decode()
    assert "Ligne 1" in garbage
