"""Idempotency-Key: a kiosk retrying a POST gets the first answer again, never a second action."""

import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from ninja import Status
from ninja.responses import NinjaJSONEncoder

from maillon.api import idempotency
from maillon.api.job_kinds import purge_idempotency_keys
from maillon.api.models import ApiToken, IdempotentRequest
from maillon.circulation.models import Loan

TIMEOUT = 20


@pytest.fixture
def make_patron(make_patron):
    def make(surname="Martin", **extra):
        return make_patron(surname, expires_on=dt.date.today() + dt.timedelta(days=200), **extra)

    return make


@pytest.fixture
def key(desk) -> str:
    return ApiToken.issue(desk["a"], "automate AAA")[1]


def _post(client: Client, url: str, body: dict, idempotency_key: str = ""):
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_gets_the_first_answer(key, make_patron, make_item, book):
    client = Client(headers={"Authorization": f"Bearer {key}"})
    item, patron = make_item(book), make_patron()
    body = {"patron": patron.card_number, "item": item.barcode}
    first = _post(client, "/api/v1/checkouts", body, "caisse-1-0001")
    again = _post(client, "/api/v1/checkouts", body, "caisse-1-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Loan.objects.filter(item=item).count() == 1

    other = _post(client, "/api/v1/checkouts", {**body, "item": "B9999"}, "caisse-1-0001")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"

    # Without a key the retry is a new request: refused, the item is already lent.
    assert _post(client, "/api/v1/checkouts", body).status_code == 409


def test_a_refusal_is_not_kept_and_keys_expire(key, make_patron, make_item, book):
    client = Client(headers={"Authorization": f"Bearer {key}"})
    item, patron = make_item(book), make_patron()
    refused = _post(client, "/api/v1/renewals", {"item": item.barcode}, "renew-1")
    assert refused.status_code == 409 and not IdempotentRequest.objects.exists()

    body = {"patron": patron.card_number, "item": item.barcode}
    assert _post(client, "/api/v1/checkouts", body, "k-2").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert purge_idempotency_keys(dt.date.today()) == {"deleted": 1}
    # The key is forgotten: the same request is judged again (the item is lent now).
    assert _post(client, "/api/v1/checkouts", body, "k-2").status_code == 409


def _post_together(url: str, key: str, body: dict, idempotency_key: str) -> list[tuple[int, dict]]:
    start = threading.Barrier(2)
    answers: list = [None, None]

    def send(slot: int) -> None:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), method="POST", headers=headers
        )
        start.wait(TIMEOUT)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                answers[slot] = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            answers[slot] = (error.code, json.loads(error.read()))

    threads = [threading.Thread(target=send, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_request_and_its_retry_at_once_lend_once_and_both_succeed(
    live_server, key, make_patron, make_item, book
):
    url = f"{live_server.url}/api/v1/checkouts"
    # Without a key, the kiosk's retry is judged as a new checkout: refused, and the kiosk
    # tells the patron the loan failed although it was made.
    item = make_item(book)
    body = {"patron": make_patron().card_number, "item": item.barcode}
    answers = _post_together(url, key, body, "")
    assert sorted(status for status, _data in answers) == [201, 409], answers

    # With one key: one loan, and both get its answer.
    item = make_item(book)
    body = {"patron": make_patron("Roy").card_number, "item": item.barcode}
    answers = _post_together(url, key, body, "borne-7-4411")
    assert [status for status, _data in answers] == [201, 201], answers
    assert answers[0][1] == answers[1][1]
    assert Loan.objects.filter(item=item).count() == 1


@pytest.fixture
def slow_checkout(monkeypatch):
    """Each checkout takes half a second: a kiosk's retry surely arrives while the first request
    is still at work."""
    from maillon.api import circulation_routes

    real = circulation_routes.services.checkout

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(circulation_routes.services, "checkout", slow)


def _look_act_store(request, user, work):
    """Idempotency without claiming the key first: look for a stored answer, act, store."""
    caller, fingerprint = f"user:{user.pk}", idempotency._fingerprint(request)
    key = request.headers["Idempotency-Key"]
    stored = IdempotentRequest.objects.filter(caller=caller, key=key).first()
    if stored is not None:
        return idempotency._replay(stored, fingerprint)
    status, answer = work()
    body = json.loads(json.dumps(answer.model_dump(), cls=NinjaJSONEncoder))
    IdempotentRequest.objects.get_or_create(
        caller=caller,
        key=key,
        defaults={"fingerprint": fingerprint, "status": status, "body": body},
    )
    return Status(status, answer)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_without_claiming_the_key_first_twins_both_act(
    live_server, key, make_patron, make_item, book, slow_checkout, monkeypatch
):
    from maillon.api import circulation_routes

    monkeypatch.setattr(circulation_routes, "once", _look_act_store)
    url = f"{live_server.url}/api/v1/checkouts"
    item = make_item(book)
    body = {"patron": make_patron().card_number, "item": item.barcode}
    answers = _post_together(url, key, body, "borne-7-5000")
    # Both looked before either stored: the twin acts again, and is refused (the item is lent).
    assert sorted(status for status, _data in answers) == [201, 409], answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_claiming_the_key_first_makes_the_twin_wait_for_the_answer(
    live_server, key, make_patron, make_item, book, slow_checkout
):
    url = f"{live_server.url}/api/v1/checkouts"
    item = make_item(book)
    body = {"patron": make_patron().card_number, "item": item.barcode}
    answers = _post_together(url, key, body, "borne-7-5001")
    assert [status for status, _data in answers] == [201, 201], answers
    assert answers[0][1] == answers[1][1]
    assert Loan.objects.filter(item=item).count() == 1
    assert IdempotentRequest.objects.filter(key="borne-7-5001").count() == 1
