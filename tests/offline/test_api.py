"""POST /api/v1/offline/operations: what the desk page sends; a queue sent twice, with or
without an Idempotency-Key, changes nothing."""

import json

import pytest
from django.test import Client

from maillon.api.models import ApiToken
from maillon.circulation.models import Loan
from maillon.offline.models import OfflineOperation
from tests.api import conftest as api_fixtures

from .conftest import DESK, at

URL = "/api/v1/offline/operations"


@pytest.fixture
def client_a(desk) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(desk['a'], 'poste AAA')[1]}"})


def post(client: Client, body: dict, key: str = ""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def queue(reader, lent, returned) -> dict:
    return {
        "desk": DESK,
        "library": "AAA",
        "operations": [
            {
                "seq": 1,
                "kind": "checkout",
                "card": reader.card_number,
                "barcode": lent.barcode,
                "at": at(10, 1).isoformat(),
            },
            {"seq": 2, "kind": "checkin", "barcode": returned.barcode, "at": at(10, 2).isoformat()},
            {
                "seq": 3,
                "kind": "checkout",
                "card": reader.card_number,
                "barcode": "INCONNU",
                "at": at(10, 3).isoformat(),
            },
        ],
    }


check_schema = api_fixtures.check_schema


def test_a_queue_is_applied_and_answered_per_operation(
    client_a, check_schema, make_patron, make_item, book
):
    reader, lent, returned = make_patron(), make_item(book), make_item(book)
    response = post(client_a, queue(reader, lent, returned))
    assert response.status_code == 200, response.content
    answer = check_schema(response.json(), "QueueResult")
    assert [(o["seq"], o["status"], o["code"]) for o in answer["operations"]] == [
        (1, "applied", ""),
        (2, "applied", ""),
        (3, "conflict", "unknown_barcode"),
    ]
    assert answer["conflicts"] == 1 and answer["operations"][0]["due_on"]
    assert Loan.objects.get(item=lent).checked_out_at == at(10, 1)


def test_sent_twice_it_changes_nothing(client_a, make_patron, make_item, book):
    reader, lent, returned = make_patron(), make_item(book), make_item(book)
    body = queue(reader, lent, returned)
    first = post(client_a, body).json()
    again = post(client_a, body).json()
    assert [o["replayed"] for o in first["operations"]] == [False] * 3
    assert [o["replayed"] for o in again["operations"]] == [True] * 3
    assert [o["status"] for o in again["operations"]] == [o["status"] for o in first["operations"]]
    assert Loan.objects.count() == 1 and OfflineOperation.objects.count() == 3


def test_an_idempotency_key_answers_the_first_answer_again(client_a, make_patron, make_item, book):
    reader, lent, returned = make_patron(), make_item(book), make_item(book)
    body = queue(reader, lent, returned)
    first = post(client_a, body, key=f"{DESK}-1-3")
    again = post(client_a, body, key=f"{DESK}-1-3")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Loan.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"desk": "x"}, 400, "invalid_field"),
        ({"operations": []}, 400, "invalid_field"),
        ({"library": "BBB"}, 403, "library_forbidden"),
        ({"library": "NOPE"}, 404, "unknown_library"),
    ],
)
def test_bad_requests_are_refused_in_french_and_apply_nothing(
    client_a, make_patron, make_item, book, change, status, code
):
    body = {**queue(make_patron(), make_item(book), make_item(book)), **change}
    response = post(client_a, body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not OfflineOperation.objects.exists() and not Loan.objects.exists()


def test_a_staff_session_sends_with_its_csrf_token(desk, make_patron, make_item, book):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk["volunteer"])
    page = client.get("/pro/pret-secouru/")
    assert page.status_code == 200
    token = client.get("/pro/pret-secouru/session/").json()["csrf"]
    reader, lent, returned = make_patron(), make_item(book), make_item(book)
    body = json.dumps(queue(reader, lent, returned))
    refused = client.post(URL, body, content_type="application/json")
    assert refused.status_code == 403
    sent = client.post(URL, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert sent.status_code == 200 and Loan.objects.count() == 1
