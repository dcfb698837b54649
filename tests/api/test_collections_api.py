"""Collection policy in the staff API: weeding candidates with their reasons (paged), the core
collection and a library's gaps, and what an item's state tells of its collections."""

import datetime as dt

from django.test import Client

from maillon.api.models import ApiToken
from maillon.corecollection import services as core
from maillon.deposits import services as deposits
from maillon.deposits.models import DepositLevel, ExchangeSession
from maillon.localcollections import services as local
from maillon.lots import services as lots
from maillon.network.models import Role
from maillon.workshop import services as workshop
from maillon.workshop.models import Workshop
from tests.corecollection.test_core_collection import MARCH, demand, lend  # noqa: F401
from tests.weeding.conftest import TODAY, default_criteria, years_ago  # noqa: F401


def client_for(user) -> Client:
    _token, key = ApiToken.issue(user, "test")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})


def test_weeding_candidates_paged_with_reasons(desk, network, make_item, record_of, check_schema):
    for n in range(3):
        make_item(
            record_of(f"Roman {n}", year=TODAY.year - 20), network["a"], last_loan_at=years_ago(6)
        )
    make_item(record_of("Récent", year=TODAY.year), network["a"])
    api = client_for(desk["volunteer"])
    first = api.get("/api/v1/weeding/candidates?library=AAA&per_page=2")
    assert first.status_code == 200, first.content
    data = check_schema(first.json(), "CandidateList")
    assert data["total"] == 3 and len(data["candidates"]) == 2
    assert "page=2" in data["next"]
    reasons = data["candidates"][0]["reasons"]
    assert reasons["idle"] == 6 and reasons["last_copy"] is True and reasons["elsewhere"] == 0
    second = api.get(data["next"]).json()
    assert len(second["candidates"]) == 1 and second["next"] is None
    assert api.get("/api/v1/weeding/candidates?library=NOPE").status_code == 404
    assert api.get("/api/v1/weeding/candidates").status_code == 400
    assert Client().get("/api/v1/weeding/candidates?library=AAA").status_code == 401


def test_core_collection_and_gaps(demand, staff, network, desk, check_schema):  # noqa: F811
    api = client_for(desk["a"])
    assert api.get("/api/v1/core-collection").json()["error"]["code"] == "not_computed"
    core.refresh_demand()
    core.compute(staff[Role.COORDINATOR], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    data = check_schema(api.get("/api/v1/core-collection?audience=adult").json(), "CoreList")
    assert [t["title"] for t in data["titles"]][:2] == ["Un polar", "Un roman"]
    assert data["titles"][0]["libraries"] == 2 and data["titles"][0]["loans"] == 5
    gaps = check_schema(api.get("/api/v1/core-collection/gaps?library=AAA").json(), "CoreList")
    assert gaps["library"]["code"] == "AAA"
    assert "Un polar" not in [t["title"] for t in gaps["titles"]]
    assert gaps["titles"][0]["title"] == "Un roman"


def test_an_item_tells_its_collections(desk, staff, network, make_item, book, check_schema):
    api = client_for(desk["a"])
    item = make_item(book, network["a"], call_number="944 HIS")
    plain = api.get(f"/api/v1/items/{item.barcode}").json()
    assert plain["local_collection"] is None and plain["lot"] is None and plain["workshop"] is None
    fonds = local.save(desk["a"], network["a"], name="Fonds local")
    local.tag(desk["a"], fonds, [item.pk])
    assert api.get(f"/api/v1/items/{item.barcode}").json()["local_collection"] == {
        "code": fonds.code,
        "name": "Fonds local",
    }
    other = make_item(book, network["a"])
    lot = lots.create(desk["a"], network["a"], "Caisse")
    lots.add(desk["a"], lot, other.barcode)
    assert api.get(f"/api/v1/items/{other.barcode}").json()["lot"]["code"] == lot.code
    Workshop.objects.create(library=network["head"])
    third = make_item(book, network["a"])
    workshop.send(desk["a"], network["a"], third.barcode, "repair")
    data = check_schema(api.get(f"/api/v1/items/{third.barcode}").json(), "ItemState")
    assert data["workshop"]["state"] == "travelling" and data["workshop"]["work"] == "repair"
    level = DepositLevel.objects.create(code="T", name="Niveau test", rank=3, period_months=6)
    md_staff = staff[Role.MD_STAFF]
    deposit = deposits.open_deposit(md_staff, network["md"], network["a"], level, dt.date.today())
    bus = deposits.open_session(md_staff, deposit, dt.date.today(), ExchangeSession.Kind.BIBLIOBUS)
    fourth = make_item(book, network["md"])
    deposits.lend(md_staff, bus, [fourth.barcode])
    told = api.get(f"/api/v1/items/{fourth.barcode}").json()["deposit"]
    assert told == {"code": f"{network['md'].code} → AAA", "name": network["md"].name}
