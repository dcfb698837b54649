"""Two self-check machines post at the same moment for the same item: exactly one wins.

Real HTTP requests to Django's live server (one thread, hence one PostgreSQL connection, per
request), released together by a barrier. Skipped on SQLite, where writers queue at BEGIN and
the race cannot happen (see tests/circulation/test_concurrency.py for the services).
"""

import datetime as dt
import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection

from maillon.api.models import ApiToken
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan, Transfer
from maillon.circulation.services import checkout
from tests.circulation.helpers import assert_item_consistent


@pytest.fixture
def make_patron(make_patron):
    """Patrons whose card is valid today: the API acts on the real date."""

    def make(surname="Martin", **extra):
        return make_patron(surname, expires_on=dt.date.today() + dt.timedelta(days=200), **extra)

    return make


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 20


def post_together(url: str, *requests: tuple[str, dict]) -> list[tuple[int, dict]]:
    """POST each (token, body) from its own thread, all released at once."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(slot: int, key: str, body: dict) -> None:
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        start.wait(TIMEOUT)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                answers[slot] = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            answers[slot] = (error.code, json.loads(error.read()))

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads)
    return answers


@pytest.fixture
def keys(desk) -> dict[str, str]:
    """One self-check machine at AAA, one at BBB."""
    return {name: ApiToken.issue(desk[name], f"automate {name}")[1] for name in ("a", "b")}


def test_two_checkouts_of_one_item_over_http(
    live_server, network, keys, make_patron, make_item, book
):
    item = make_item(book)
    first, second = make_patron("Un"), make_patron("Deux")
    answers = post_together(
        f"{live_server.url}/api/v1/checkouts",
        (keys["a"], {"patron": first.card_number, "item": item.barcode}),
        (keys["b"], {"patron": second.card_number, "item": item.barcode}),
    )
    statuses = sorted(status for status, _data in answers)
    assert statuses == [201, 409], answers
    refusal = next(data for status, data in answers if status == 409)
    assert list(refusal) == ["error"]
    assert refusal["error"]["code"] == "already_on_loan"
    assert refusal["error"]["overridable"] is False and "déjà" in refusal["error"]["message"]
    loan = next(data for status, data in answers if status == 201)
    assert Loan.objects.get().pk == loan["id"]
    assert assert_item_consistent(item).loan_count == 1


def test_two_checkins_of_one_item_over_http(
    live_server, network, desk, keys, make_patron, make_item, book
):
    item = make_item(book)  # home AAA, handed in at BBB twice: one transfer home
    checkout(desk["a"], network["a"], make_patron(), item)
    answers = post_together(
        f"{live_server.url}/api/v1/checkins",
        (keys["b"], {"item": item.barcode}),
        (keys["b"], {"item": item.barcode}),
    )
    assert [status for status, _data in answers] == [200, 200], answers
    results = [data for _status, data in answers]
    assert sorted(result["repeated"] for result in results) == [False, True]
    assert {result["action"] for result in results} == {"transfer"}
    assert sum(result["loan_closed"] is not None for result in results) == 1
    assert Transfer.objects.count() == 1
    assert Loan.objects.get().returned_at is not None
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT
