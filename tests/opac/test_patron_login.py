"""Patron login on the public catalogue: one answer for every failure, throttling, expiry,
a session apart from the staff's."""

import time

import pytest
from django.test import Client, override_settings

from maillon.opac import patron_session
from maillon.throttling.models import Counter
from tests.conftest import PASSWORD
from tests.opac.conftest import PATRON_PASSWORD, log_in

pytestmark = pytest.mark.django_db


def failure(client, card, password):
    response = client.post("/compte/connexion/", {"card": card, "password": password})
    assert response.status_code == 400
    return response.context["error"]


def test_login_then_account_then_logout(client, reader):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?suivant=%2Fcompte%2F"
    log_in(client, reader.card_number)
    page = client.get("/compte/")
    assert page.status_code == 200
    assert "MARTIN Léa" in page.content.decode()
    assert client.get("/compte/deconnexion/").status_code == 405  # logout is a POST
    client.post("/compte/deconnexion/")
    assert client.get("/compte/").status_code == 302


def test_card_is_normalised_and_next_is_followed(client, reader):
    response = client.post(
        "/compte/connexion/",
        {
            "card": f"  {reader.card_number} ",
            "password": PATRON_PASSWORD,
            "suivant": "/notice/1/reserver/",
        },
    )
    assert response["Location"] == "/notice/1/reserver/"


def test_next_pointing_elsewhere_is_ignored(client, reader):
    response = client.post(
        "/compte/connexion/",
        {
            "card": reader.card_number,
            "password": PATRON_PASSWORD,
            "suivant": "https://evil.example.org/",
        },
    )
    assert response["Location"] == "/compte/"


def test_same_message_whatever_is_wrong(client, make_reader):
    make_reader("10000002")
    make_reader("10000003", password=None)  # no password created yet
    unknown = failure(client, "99999999", "anything-at-all")
    wrong = failure(client, "10000002", "not-the-password")
    unset = failure(Client(), "10000003", "")
    unset_typed = failure(Client(), "10000003", "some-password")
    assert unknown == wrong == unset_typed
    assert unknown
    assert unset  # an empty password is a form error, also without naming the card


def test_session_key_rotates_at_login(client, reader):
    client.get("/compte/connexion/")
    client.session.save()
    before = client.session.session_key
    log_in(client, reader.card_number)
    assert client.session.session_key != before
    assert client.session[patron_session.PATRON_KEY] == reader.pk


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_throttled_after_failures_even_with_the_right_password(client, reader):
    for _i in range(3):
        failure(client, reader.card_number, "wrong-one")
    locked = failure(client, reader.card_number, PATRON_PASSWORD)
    assert "Too many" in locked or "Trop" in locked
    # The card is paused from any address; the staff login of the same name is not.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post(
            "/compte/connexion/", {"card": reader.card_number, "password": PATRON_PASSWORD}
        ).status_code
        == 400
    )
    assert not Counter.objects.filter(key__startswith="login:user:").exists()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_success_resets_the_count(client, reader):
    for _i in range(2):
        failure(client, reader.card_number, "wrong-one")
    log_in(client, reader.card_number)
    client.post("/compte/deconnexion/")
    for _i in range(2):
        failure(client, reader.card_number, "wrong-one")
    log_in(client, reader.card_number)


@override_settings(MAILLON_PATRON_SESSION_MINUTES=30)
def test_session_expires_after_idle_time(client, reader):
    log_in(client, reader.card_number)
    assert client.get("/compte/").status_code == 200
    session = client.session
    session[patron_session.SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    assert client.get("/compte/").status_code == 302
    assert patron_session.PATRON_KEY not in client.session


@override_settings(MAILLON_PATRON_SESSION_MINUTES=30)
def test_activity_keeps_the_session(client, reader):
    log_in(client, reader.card_number)
    session = client.session
    session[patron_session.SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/compte/").status_code == 200
    assert client.session[patron_session.SEEN_KEY] >= int(time.time()) - 5


def test_password_change_ends_other_sessions(client, reader):
    from maillon.patrons.services import set_own_password

    log_in(client, reader.card_number)
    set_own_password(reader, "un-autre-mot-de-passe-1")
    assert client.get("/compte/").status_code == 302


def test_staff_session_is_not_a_patron_session(client, staff, reader):
    assert client.login(username="libr", password=PASSWORD)
    assert client.get("/pro/").status_code == 200
    assert client.get("/compte/").status_code == 302


def test_patron_session_is_not_a_staff_session(client, network, reader):
    log_in(client, reader.card_number)
    response = client.get("/pro/")
    assert response.status_code == 302
    assert "/pro/compte/connexion/" in response["Location"]
    assert client.get("/pro/usagers/").status_code == 302


def test_patron_logout_keeps_the_staff_login(client, staff, reader):
    assert client.login(username="libr", password=PASSWORD)
    log_in(client, reader.card_number)
    client.post("/compte/deconnexion/")
    assert client.get("/compte/").status_code == 302
    assert client.get("/pro/").status_code == 200


def test_expired_card_can_log_in_and_is_told(client, make_reader):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    reader = make_reader(
        "10000009",
        registered_on=today - dt.timedelta(days=400),
        expires_on=today - dt.timedelta(days=5),
    )
    log_in(client, reader.card_number)
    page = client.get("/compte/")
    assert page.status_code == 200
    assert page.context["expired"]
    assert 'role="alert"' in page.content.decode()
