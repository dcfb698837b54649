"""The bookings API: resources with their availability over a period, booking (the booking, or
the refusal with its code, French message and what would work), cancelling; Idempotency-Key
as on every POST; another library's booking is out of reach."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from maillon.api.models import ApiToken
from maillon.bookings import services
from maillon.bookings.models import Booking, BookingStatus
from tests.api.conftest import check_schema  # noqa: F401  (a fixture)


def client_for(user) -> Client:
    _token, key = ApiToken.issue(user, "test")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})


def soon(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def post(client, data, **headers):
    return client.post("/api/v1/bookings", data, content_type="application/json", headers=headers)


@pytest.fixture
def api(people):
    return client_for(people["a"])


def test_resources_with_their_availability(api, expo, kit, people, network, check_schema):  # noqa: F811
    start = timezone.localdate() + dt.timedelta(days=20)
    services.request_booking(people["b"], network["b"], expo, start, start + dt.timedelta(20))
    answer = check_schema(api.get("/api/v1/resources").json(), "ResourceList")
    assert answer["total"] == 2 and all(r["available"] is None for r in answer["resources"])
    answer = api.get(f"/api/v1/resources?start={soon(25)}&end={soon(35)}").json()
    by_title = {r["title"]: r for r in answer["resources"]}
    assert by_title[kit.title]["available"] is True and by_title[kit.title]["taken"] == []
    assert by_title[expo.title]["available"] is False
    assert by_title[expo.title]["taken"] == [{"start": soon(20), "until": soon(47)}]
    answer = api.get("/api/v1/resources?kind=valise&per_page=1").json()
    assert [r["title"] for r in answer["resources"]] == [kit.title] and answer["next"] is None
    refused = api.get(f"/api/v1/resources?start={soon(25)}")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "period_incomplete"


def test_resources_carry_their_barcode(api, expo, kit, check_schema):  # noqa: F811
    """The barcode on the crates' labels, so that a scanner or another system finds the
    resource; the OpenAPI document promises it."""
    answer = check_schema(api.get("/api/v1/resources").json(), "ResourceList")
    by_title = {r["title"]: r for r in answer["resources"]}
    assert by_title[expo.title]["barcode"] == expo.barcode
    assert by_title[kit.title]["barcode"] == kit.barcode
    assert expo.barcode.startswith("OA") and by_title[expo.title]["crates"] == 3
    document = api.get("/api/v1/openapi.json").json()
    resource = document["components"]["schemas"]["Resource"]
    assert "barcode" in resource["required"] and resource["properties"]["barcode"]["type"] == (
        "string"
    )
    # A barcode read from a label finds its resource, whatever the case.
    found = api.get("/api/v1/resources", {"barcode": kit.barcode.lower()}).json()
    assert [r["title"] for r in found["resources"]] == [kit.title] and found["total"] == 1
    assert api.get("/api/v1/resources", {"barcode": "OA00000000X"}).json()["total"] == 0


def test_book_and_cancel(api, expo, network, check_schema):  # noqa: F811
    created = post(api, {"resource": expo.pk, "library": "aaa", "start": soon(20), "end": soon(40)})
    assert created.status_code == 201, created.content
    answer = check_schema(created.json(), "Booking")
    assert answer["status"] == "requested" and answer["library"]["code"] == "AAA"
    assert answer["taken_until"] == soon(47)
    cancelled = api.delete(f"/api/v1/bookings/{answer['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api.delete(f"/api/v1/bookings/{answer['id']}")
    assert again.status_code == 409 and again.json()["error"]["code"] == "wrong_status"
    assert api.delete("/api/v1/bookings/999999").status_code == 404


def test_a_refusal_has_its_code_message_and_what_would_work(api, expo, people, network):
    services.request_booking(
        people["b"],
        network["b"],
        expo,
        dt.date.fromisoformat(soon(20)),
        dt.date.fromisoformat(soon(40)),
    )
    refused = post(api, {"resource": expo.pk, "library": "AAA", "start": soon(30), "end": soon(45)})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "taken" and "L’outil est pris du" in error["message"]
    assert error["details"]["proposal"]["start"] > soon(47)
    too_soon = post(api, {"resource": expo.pk, "library": "AAA", "start": soon(2), "end": soon(20)})
    assert too_soon.json()["error"]["code"] == "too_late"
    bad = post(api, {"resource": expo.pk, "library": "AAA", "start": "demain", "end": soon(20)})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_date"
    assert Booking.objects.filter(library=network["a"]).count() == 0


def test_another_library_is_out_of_reach(api, expo, people, network):
    refused = post(api, {"resource": expo.pk, "library": "BBB", "start": soon(20), "end": soon(40)})
    assert refused.status_code == 403
    theirs = services.request_booking(
        people["b"],
        network["b"],
        expo,
        dt.date.fromisoformat(soon(20)),
        dt.date.fromisoformat(soon(40)),
    )
    assert api.delete(f"/api/v1/bookings/{theirs.pk}").status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.REQUESTED


def test_idempotency_key_books_once(api, expo):
    data = {"resource": expo.pk, "library": "AAA", "start": soon(20), "end": soon(40)}
    first = post(api, data, **{"Idempotency-Key": "k-1"})
    second = post(api, data, **{"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and first.json() == second.json()
    assert Booking.objects.count() == 1
