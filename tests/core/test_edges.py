"""Control characters are bad input (400, the usual error shape), and a lock held too long
answers "busy, try again" (503) rather than hanging or failing with a server error."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from maillon.api.models import ApiToken
from maillon.catalogue.models import Item
from maillon.circulation.models import Loan
from tests.conftest import PASSWORD

TODAY = dt.date.today()


def test_a_nul_in_the_api_query_is_a_json_400_without_login(client, db):
    response = client.get("/api/v1/search", {"library": "\x00"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_nul_in_a_public_path_is_a_french_page(client, db):
    response = client.get("/bibliotheques/ab%00cd/")
    assert response.status_code == 400
    assert "caractères" in response.content.decode()


def test_a_nul_in_a_staff_search_is_dropped_and_in_a_desk_field_refused(
    client, desk, network, book
):
    client.login(username=desk["a"].username, password=PASSWORD)
    response = client.get(reverse("catalogue:search"), {"q": "sten\x00dhal"})
    assert response.status_code == 200 and response.context["q"] == "stendhal"
    response = client.post(reverse("circulation:checkout"), {"card": "\x00", "barcode": "B1"})
    assert response.status_code == 400


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_lent(
    db, desk, make_patron, make_item, book
):
    _token, key = ApiToken.issue(desk["a"], "self-check AAA")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    patron, item = make_patron(), make_item(book)
    response = api.post(
        "/api/v1/checkouts",
        {"patron": patron.card_number + "\x00", "item": item.barcode},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    assert not Loan.objects.exists()


def test_tabs_and_line_breaks_are_ordinary_text(client, db):
    assert client.get("/recherche/", {"q": "mer\tsoleil\n"}).status_code == 200


pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL lock_timeout")


@pg_only
def test_connections_wait_for_a_lock_no_longer_than_the_setting(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        shown = cursor.fetchone()[0]
    assert shown == "5s"  # MAILLON_LOCK_TIMEOUT_MS's default, 5000


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_stuck_lock_answers_busy(desk, make_patron, make_item, book):
    _token, key = ApiToken.issue(desk["a"], "self-check AAA")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    patron, item = (
        make_patron(
            registered_on=TODAY - dt.timedelta(days=10), expires_on=TODAY + dt.timedelta(days=300)
        ),
        make_item(book),
    )
    held, release = threading.Event(), threading.Event()

    def stuck_transaction() -> None:
        try:
            with transaction.atomic():
                Item.objects.select_for_update().get(pk=item.pk)
                held.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=stuck_transaction)
    other.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        response = api.post(
            "/api/v1/checkouts",
            {"patron": patron.card_number, "item": item.barcode},
            content_type="application/json",
        )
    finally:
        release.set()
        other.join(10)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy" and response["Retry-After"] == "2"
    assert not Loan.objects.exists()
    # Once the lock is gone the same request goes through.
    response = api.post(
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
