"""Nobody can lock the network out of logging in: counters per account and per real client
address, password-link requests apart from logins, a lock as long as its message says."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from maillon.throttling import services as throttle
from maillon.throttling.models import Counter
from tests.conftest import PASSWORD
from tests.mail import wait_for_mail
from tests.opac.conftest import PATRON_PASSWORD

pytestmark = pytest.mark.django_db
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


def staff_login(client, password=PASSWORD, username="libr", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_link_requests_never_lock_logins(client, staff, reader):
    """The probe: 25 password-link requests from one address, then the right passwords."""
    for _i in range(25):
        client.post(reverse("password_reset"), {"email": "libr@example.org"})
        client.post("/compte/mot-de-passe/", {"identifier": reader.card_number})
    wait_for_mail()
    assert len(mail.outbox) == 2 * throttle.LINKS_PER_ACCOUNT  # the e-mails are throttled
    refused = 0
    for _i in range(5):
        refused += staff_login(Client()).status_code != 302
        patron = Client().post(
            "/compte/connexion/", {"card": reader.card_number, "password": PATRON_PASSWORD}
        )
        refused += patron.status_code != 302
    assert refused == 0


def test_link_requests_are_throttled_per_address(client, staff):
    limit = throttle.link_keys("user", "x", RequestFactory().get("/"))[1][1]
    for i in range(limit):
        client.post(reverse("password_reset"), {"email": f"inconnu{i}@example.org"})
    client.post(reverse("password_reset"), {"email": "libr@example.org"})
    wait_for_mail()
    assert mail.outbox == []
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.post(reverse("password_reset"), {"email": "libr@example.org"})
    wait_for_mail()
    assert len(mail.outbox) == 1


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_FAILURE_WINDOW=15 * 60)
def test_the_lock_lasts_what_the_message_says(client, staff, monkeypatch):
    start = timezone.now()

    def at(seconds: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(seconds=seconds))

    at(0)
    for _i in range(3):
        assert "incorrect" in staff_login(client, "faux").content.decode()
    assert "Réessayez dans 15 minutes" in staff_login(client).content.decode()
    at(14 * 60 + 59)
    assert "Réessayez dans 1 minute." in staff_login(client).content.decode()
    at(15 * 60 + 1)
    assert staff_login(client).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_right_password_takes_its_attempt_back(client, staff):
    for _i in range(2):
        staff_login(client, "faux")
    assert staff_login(client).status_code == 302
    assert not Counter.objects.filter(key__startswith="login:user:").exists()
    address = Counter.objects.get(key__startswith="login:addr:")
    assert address.count == 2 and address.locked_until is None


def test_forwarded_for_is_read_only_from_a_trusted_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", **PROXY)
    settings.MAILLON_TRUSTED_PROXIES = []
    assert throttle.client_address(request) == "127.0.0.1"
    settings.MAILLON_TRUSTED_PROXIES = ["127.0.0.1"]
    assert throttle.client_address(request) == "203.0.113.7"  # what the proxy saw, not forged
    settings.MAILLON_TRUSTED_PROXIES = ["127.0.0.1", "203.0.113.0/24"]
    assert throttle.client_address(request) == "6.6.6.6"
    direct = factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="198.51.100.4")
    assert throttle.client_address(direct) == "198.51.100.4"


@override_settings(LOGIN_FAILURE_LIMIT=2, MAILLON_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_proxy_one_client_locks_only_itself(staff):
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.66", **PROXY)
    for i in range(throttle.ADDRESS_FACTOR * 2):
        staff_login(attacker, "faux", username=f"inconnu{i}")
    assert "Trop de tentatives" in staff_login(attacker).content.decode()
    colleague = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **PROXY)
    assert staff_login(colleague).status_code == 302


def test_counters_past_their_window_are_forgotten(client, staff):
    past = timezone.now() - dt.timedelta(seconds=1)
    Counter.objects.create(key="login:user:ancien", count=2, window_ends=past)
    Counter.objects.create(key="login:user:bloque", count=5, window_ends=past, locked_until=past)
    staff_login(client, "faux")
    assert sorted(Counter.objects.values_list("count", flat=True)) == [1, 1]
