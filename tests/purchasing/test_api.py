"""Purchasing in the staff API: lists with the network's figures, a commitment through the
selection service (refusals with their code and French message), an order with its lines."""

import datetime as dt
from decimal import Decimal

import pytest

from maillon.purchasing import orders, selection
from maillon.purchasing.models import Commitment
from tests.api.test_lots_api import client_for, post


@pytest.fixture
def open_list(open_today, proposed):
    return open_today


def test_lists_and_a_list_with_its_figures(open_list, proposed, desk, network, make_item, funds):
    make_item(proposed["free"].record, network["b"])
    selection.commit(desk["b"], proposed["free"], network["b"], funds["b"], 2)
    api = client_for(desk["volunteer"])
    page = api.get("/api/v1/selection-lists?open=true").json()
    assert page["total"] == 1 and page["lists"][0] == {
        "id": open_list.pk,
        "name": "Rentrée littéraire",
        "closes_on": open_list.closes_on.isoformat(),
        "open": True,
        "titles": 2,
    }
    assert api.get("/api/v1/selection-lists?open=false").json()["total"] == 0
    found = api.get(f"/api/v1/selection-lists/{open_list.pk}").json()
    free = next(t for t in found["proposed"] if t["id"] == proposed["free"].pk)
    assert free["public_price"] == "20.00" and free["cap"] is None
    assert free["network"]["held_by"] == [{"library": "BBB", "copies": 1}]
    assert free["commitments"][0]["library"]["code"] == "BBB"
    assert free["commitments"][0]["quantity"] == 2 and free["commitments"][0]["seen"]["held"] == 1
    assert api.get("/api/v1/selection-lists/999999").json()["error"]["code"] == "unknown_list"


def test_committing_through_the_api(open_list, proposed, desk, funds):
    api = client_for(desk["a"])
    url = f"/api/v1/selection-lists/{open_list.pk}/commitments"
    body = {"title": proposed["capped"].pk, "fund": funds["a"].pk, "quantity": 2}
    response = post(api, url, body, **{"Idempotency-Key": "k1"})
    assert response.status_code == 201, response.content
    assert response.json()["library"]["code"] == "AAA" and response.json()["quantity"] == 2
    again = post(api, url, body, **{"Idempotency-Key": "k1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    refused = post(api, url, {**body, "quantity": 0})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "quantity_invalid"
    assert "Engagez un exemplaire" in refused.json()["error"]["message"]
    other = post(client_for(desk["b"]), url, {**body, "fund": funds["b"].pk, "quantity": 2})
    assert other.status_code == 409 and other.json()["error"]["code"] == "cap_reached"
    forbidden = post(api, url, {**body, "library": "BBB"})
    assert forbidden.status_code == 403
    volunteer = post(client_for(desk["volunteer"]), url, body)
    assert volunteer.status_code == 403
    assert Commitment.objects.get().quantity == 2


def test_a_closed_list_refuses_commitments(proposed, season, desk, funds):
    season.closes_on = dt.date.today() - dt.timedelta(days=1)
    season.save()
    response = post(
        client_for(desk["a"]),
        f"/api/v1/selection-lists/{season.pk}/commitments",
        {"title": proposed["free"].pk, "fund": funds["a"].pk, "quantity": 1},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "list_closed"


def test_an_order_with_its_lines(sent_order, desk):
    orders.cancel_line(desk["a"], sent_order.lines.get(quantity=1), reason="Épuisé")
    found = client_for(desk["volunteer"]).get(f"/api/v1/orders/{sent_order.pk}").json()
    assert found["number"] == sent_order.number and found["state"] == "sent"
    line = next(x for x in found["lines"] if x["quantity"] == 2)
    assert (
        line["net_price"] == "20.48" and line["total"] == "40.96" and line["fund"]["code"] == "ADU"
    )
    assert found["totals"]["incl_tax"] == "40.96"
    assert Decimal(found["totals"]["excl_tax"]) + Decimal(found["totals"]["vat"]) == Decimal(
        "40.96"
    )
    assert client_for(desk["b"]).get(f"/api/v1/orders/{sent_order.pk}").status_code == 403
    assert client_for(desk["a"]).get("/api/v1/orders/424242").status_code == 404
