"""Lots and circulation plans in the staff API: reading, sending and receiving a lot through the
lots service, the grid as JSON; refusals with their code and French message."""

from decimal import Decimal

import pytest
from django.test import Client

from maillon.api.models import ApiToken
from maillon.catalogue.models import Item, ItemStatus
from maillon.lots import services as lots
from maillon.lots.models import Lot
from maillon.network.models import Role
from maillon.rotation import services as plans
from tests.conftest import make_library
from tests.rotation.conftest import monthly_plan


def client_for(user) -> Client:
    _token, key = ApiToken.issue(user, "test")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def crate(desk, network, make_item, record_of):
    """A lot of two priced items standing at AAA."""
    lot = lots.create(desk["a"], network["a"], "Romans policiers adultes n°3")
    for n, price in enumerate((Decimal("12.50"), Decimal("20.00"))):
        item = make_item(record_of(f"Polar {n}"), network["a"], price=price)
        lots.add(desk["a"], lot, item.barcode)
    return lot


@pytest.fixture
def api(desk):
    return client_for(desk["a"])


def test_the_list_is_paged_and_filtered_by_library_and_status(
    api, crate, desk, network, check_schema
):
    other = lots.create(desk["b"], network["b"], "Albums 0-3 ans B")
    answer = check_schema(api.get("/api/v1/lots?per_page=1").json(), "LotList")
    assert answer["total"] == 2 and answer["next"].endswith("/api/v1/lots?page=2&per_page=1")
    assert [lot["code"] for lot in answer["lots"]] == [other.code]  # by name: Albums first
    at_a = api.get("/api/v1/lots?library=AAA").json()
    assert [lot["code"] for lot in at_a["lots"]] == [crate.code]
    assert at_a["lots"][0]["count"] == 2 and at_a["lots"][0]["station"]["code"] == "AAA"
    assert api.get("/api/v1/lots?status=transit").json()["total"] == 0
    assert api.get("/api/v1/lots?library=NOPE").status_code == 404


def test_a_lot_shows_its_contents_count_value_and_place(api, crate, check_schema):
    answer = check_schema(api.get(f"/api/v1/lots/{crate.code.lower()}").json(), "Lot")
    assert (answer["count"], answer["value"], answer["unpriced"]) == (2, "32.50", 0)
    assert answer["status"] == "station" and answer["destination"] is None
    assert {item["price"] for item in answer["items"]} == {"12.50", "20.00"}
    assert all(item["current_library"] == "AAA" for item in answer["items"])


def test_an_unknown_lot_is_404_in_french(api, db, desk):
    response = api.get("/api/v1/lots/LOT99999")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_lot" and "LOT99999" in error["message"]
    assert post(api, "/api/v1/lots/LOT99999/send", {"to_library": "BBB"}).status_code == 404


def test_send_then_receive_with_a_missing_and_an_extra_item(api, crate, desk, check_schema):
    sent = post(api, f"/api/v1/lots/{crate.code}/send", {"to_library": "BBB"})
    assert sent.status_code == 200, sent.content
    answer = check_schema(sent.json(), "SendResult")
    assert len(answer["sent"]) == 2 and answer["lot"]["status"] == "transit"
    assert answer["lot"]["destination"]["code"] == "BBB"
    assert all(item["status"] == ItemStatus.IN_TRANSIT for item in answer["lot"]["items"])
    first = answer["sent"][0]
    received = post(
        client_for(desk["b"]),
        f"/api/v1/lots/{crate.code}/receive",
        {"library": "BBB", "barcodes": [first, "X999"]},
    )
    assert received.status_code == 200, received.content
    report = check_schema(received.json(), "ReceiveResult")
    assert report["received"] == [first] and report["missing"] == [answer["sent"][1]]
    assert report["extra"] == ["X999"] and report["already"] is False
    assert report["lot"]["station"]["code"] == "BBB"


def test_a_lot_sent_twice_is_refused_clearly(api, crate):
    assert post(api, f"/api/v1/lots/{crate.code}/send", {"to_library": "BBB"}).status_code == 200
    again = post(api, f"/api/v1/lots/{crate.code}/send", {"to_library": "HEAD"})
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "lot_in_transit"
    assert error["message"] == f"Le lot {crate.code} a déjà été envoyé à Bibliothèque BBB."
    assert Lot.objects.get(pk=crate.pk).destination.code == "BBB"


def test_a_volunteer_of_another_library_may_not_send_or_receive(crate, make_staff, network):
    volunteer = client_for(make_staff("volb", (network["b"], Role.VOLUNTEER)))
    assert volunteer.get(f"/api/v1/lots/{crate.code}").status_code == 200  # reading is fine
    refused = post(volunteer, f"/api/v1/lots/{crate.code}/send", {"to_library": "BBB"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert Lot.objects.get(pk=crate.pk).state == Lot.State.AT_STATION
    wrong = post(volunteer, f"/api/v1/lots/{crate.code}/receive", {"library": "AAA"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "library_forbidden"


def test_a_lot_received_at_the_wrong_library_says_where_it_goes(api, crate, desk):
    post(api, f"/api/v1/lots/{crate.code}/send", {"to_library": "BBB"})
    refused = post(api, f"/api/v1/lots/{crate.code}/receive", {"library": "AAA"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "wrong_library"
    assert "Bibliothèque BBB" in refused.json()["error"]["message"]


def test_a_retried_send_with_its_key_answers_the_first_answer(api, crate):
    url = f"/api/v1/lots/{crate.code}/send"
    first = post(api, url, {"to_library": "BBB"}, **{"Idempotency-Key": "k1"})
    again = post(api, url, {"to_library": "BBB"}, **{"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()


@pytest.fixture
def plan(desk, network, crate, make_item, record_of):
    """A plan among AAA, BBB and CCC, one crate at each, generated."""
    crates = [crate]
    for library in (network["b"], make_library("CCC")):
        lot = lots.create(desk["head"], library, f"Caisse {library.code}")
        lots.add(desk["head"], lot, make_item(record_of("Titre"), library).barcode)
        crates.append(lot)
    return monthly_plan(desk["head"], crates)[0]


def test_the_grid_as_json(plan, desk, check_schema):
    coordinator = client_for(desk["head"])
    listed = check_schema(coordinator.get("/api/v1/rotation-plans").json(), "PlanList")
    assert [p["id"] for p in listed["plans"]] == [plan.pk]
    assert listed["plans"][0]["libraries"] == ["AAA", "BBB", "CCC"]
    answer = check_schema(coordinator.get(f"/api/v1/rotation-plans/{plan.pk}/grid").json(), "Grid")
    assert [e["number"] for e in answer["exchanges"]] == [1, 2, 3]
    first = answer["exchanges"][0]["libraries"]
    received = {slot["library"]: slot["received"] for slot in first}
    sent = {slot["library"]: slot["sent"] for slot in first}
    # Every library receives one lot and sends one, never its own back.
    for slot in first:
        assert len(received[slot["library"]]) == len(sent[slot["library"]]) == 1
        got = received[slot["library"]][0]
        assert got["from_library"] != slot["library"]
        assert {"lot": got["lot"], "to_library": slot["library"]}.items() <= next(
            s for s in sent[got["from_library"]]
        ).items()
    assert answer["broken"] == []
    starting = {h["library"]: h["lots"] for h in answer["start"]}
    assert starting["AAA"] == [Lot.objects.get(station__code="AAA").code]


def test_a_hand_swap_shows_its_broken_rule_in_the_json(plan, desk):
    a, b = plan.members.all()[0].library, plan.members.all()[1].library
    plans.swap(desk["head"], plan, 2, a, b)
    broken = client_for(desk["head"]).get(f"/api/v1/rotation-plans/{plan.pk}/grid").json()
    assert broken["broken"] and all(rule["message"] for rule in broken["broken"])
    assert {rule["library"] for rule in broken["broken"]} <= {"AAA", "BBB", "CCC"}


def test_a_draft_plan_is_hidden_from_desk_staff(plan, desk):
    librarian = client_for(desk["a"])
    assert librarian.get("/api/v1/rotation-plans").json()["total"] == 0
    hidden = librarian.get(f"/api/v1/rotation-plans/{plan.pk}/grid")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "plan_not_found"
    plans.publish(desk["head"], plan)
    assert librarian.get(f"/api/v1/rotation-plans/{plan.pk}/grid").status_code == 200
    assert librarian.get("/api/v1/rotation-plans/99999/grid").status_code == 404


def test_reading_needs_a_staff_token(client, db):
    assert client.get("/api/v1/lots").status_code == 401
    assert client.get("/api/v1/rotation-plans").status_code == 401


def test_a_refusal_outside_circulation_keeps_its_details(api, crate):
    """Every service's refusal carries its details through the API, not only circulation's."""
    damaged = crate.entries.first().item
    Item.objects.filter(pk=damaged.pk).update(status=ItemStatus.DAMAGED)
    refused = post(api, f"/api/v1/lots/{crate.code}/send", {"to_library": "BBB"})
    assert refused.status_code == 409, refused.content
    error = refused.json()["error"]
    assert error["code"] == "items_blocked"
    assert error["details"] == {"items": [f"{damaged.barcode} (abîmé)"]}
