"""A patron only ever sees and changes their own rows; every POST needs the CSRF token."""

import pytest
from django.core.cache import cache
from django.test import Client

from maillon.catalogue.models import ItemStatus
from maillon.circulation import services
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.network.models import Role
from tests.opac.conftest import PATRON_PASSWORD, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def other_rows(make_reader, staff, network, make_record, make_item):
    """Someone else's loan and hold."""
    other = make_reader("10000099")
    record = make_record("Dune")
    make_item(record, network["b"], status=ItemStatus.ON_LOAN)
    hold = services.place_own_hold(other, record, network["a"])
    item = make_item(make_record("Fondation"), network["a"])
    loan = services.checkout(staff[Role.LIBRARIAN], network["a"], other, item)
    return {"hold": hold, "loan": loan}


def test_another_patrons_hold_is_a_404(client, reader, other_rows):
    log_in(client, reader.card_number)
    hold = other_rows["hold"]
    for action in ("cancel", "suspend", "resume"):
        response = client.post(f"/compte/reservations/{hold.pk}/", {"action": action})
        assert response.status_code == 404
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.WAITING


def test_another_patrons_loan_cannot_be_renewed(client, reader, other_rows):
    log_in(client, reader.card_number)
    loan = other_rows["loan"]
    assert client.post("/compte/prolonger/", {"loan": loan.pk}).status_code == 404
    assert client.post("/compte/prolonger/", {"loan": "abc"}).status_code == 404
    client.post("/compte/prolonger/", {"all": "1"})
    assert Loan.objects.get(pk=loan.pk).renewals == 0


def test_pages_show_only_the_patrons_own_rows(client, reader, other_rows):
    log_in(client, reader.card_number)
    page = client.get("/compte/")
    assert page.context["loan_count"] == 0 and page.context["holds"] == []
    assert "Dune" not in page.content.decode()
    data = client.get("/compte/mes-donnees.json").json()
    assert data["loans"] == [] and data["holds"] == []


def test_every_post_needs_the_csrf_token(reader, other_rows, make_record, make_item, network):
    strict = Client(enforce_csrf_checks=True)
    record = make_record("Solaris")
    make_item(record, network["a"])
    posts = [
        ("/compte/connexion/", {"card": reader.card_number, "password": PATRON_PASSWORD}),
        ("/compte/mot-de-passe/", {"identifier": reader.card_number}),
    ]
    for url, data in posts:
        assert strict.post(url, data).status_code == 403, url
    # Logged in (the session set by a normal client), the account's POSTs too.
    relaxed = Client()
    log_in(relaxed, reader.card_number)
    strict.cookies = relaxed.cookies
    assert strict.get("/compte/").status_code == 200
    for url, data in [
        ("/compte/deconnexion/", {}),
        ("/compte/prolonger/", {"all": "1"}),
        (f"/compte/reservations/{other_rows['hold'].pk}/", {"action": "cancel"}),
        ("/compte/coordonnees/", {"email": "x@example.org"}),
        ("/compte/choix/", {"keep_history": "on"}),
        (f"/notice/{record.pk}/reserver/", {"retrait": "AAA"}),
    ]:
        assert strict.post(url, data).status_code == 403, url
    assert not Hold.objects.filter(patron=reader).exists()
    reader.refresh_from_db()
    assert not reader.keep_history
