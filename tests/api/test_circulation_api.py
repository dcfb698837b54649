"""The staff API: token and session authentication, circulation and patrons, answers checked
against the OpenAPI document."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

from maillon.api.models import ApiToken, hash_key
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.circulation.services import checkout
from maillon.network.models import Role
from maillon.patrons.models import Patron
from tests.conftest import PASSWORD

TODAY = dt.date.today()


@pytest.fixture
def make_patron(make_patron):
    """Patrons whose card is valid today (the API acts on the real date)."""

    def make(*args, **extra):
        extra.setdefault("registered_on", TODAY - dt.timedelta(days=100))
        extra.setdefault("expires_on", TODAY + dt.timedelta(days=265))
        return make_patron(*args, **extra)

    return make


@pytest.fixture
def api(desk):
    """A client sending the librarian of AAA's token."""
    _token, key = ApiToken.issue(desk["a"], "self-check AAA")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def error_code(response) -> str:
    return response.json()["error"]["code"]


# Authentication -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/checkouts"),
        ("post", "/api/v1/checkins"),
        ("post", "/api/v1/renewals"),
        ("post", "/api/v1/holds"),
        ("delete", "/api/v1/holds/1"),
        ("post", "/api/v1/patrons"),
        ("get", "/api/v1/patrons/20000001"),
        ("get", "/api/v1/items/B1001"),
    ],
)
def test_unauthenticated_requests_get_401(client, db, check_schema, method, url):
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 401
    assert check_schema(response.json(), "Error")["error"]["code"] == "authentication_required"


def test_an_unknown_token_gets_401(client, db, check_schema):
    response = client.get("/api/v1/items/B1001", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert check_schema(response.json(), "Error")["error"]["code"] == "invalid_token"


def test_the_command_prints_a_key_stored_only_as_its_hash(desk):
    out = StringIO()
    call_command(
        "create_api_token", desk["a"].username, "--name", "automate", stdout=out, stderr=StringIO()
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=desk["a"])
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.name == "automate" and key.startswith(token.prefix)
    assert ApiToken.user_for(key) == desk["a"]
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_session_needs_csrf_for_writes_but_a_token_does_not(
    desk, make_patron, make_item, book, api
):
    patron, item = make_patron(), make_item(book)
    session = Client(enforce_csrf_checks=True)
    assert session.login(username=desk["a"].username, password=PASSWORD)
    response = post(
        session, "/api/v1/checkouts", {"patron": patron.card_number, "item": item.barcode}
    )
    assert response.status_code == 403 and error_code(response) == "csrf_failed"
    assert session.get(f"/api/v1/items/{item.barcode}").status_code == 200
    # The desk's pages send the CSRF cookie and header; then the session acts as its user.
    secret = "k" * 32
    session.cookies["csrftoken"] = secret
    response = session.post(
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201
    assert post(api, "/api/v1/checkins", {"item": item.barcode}).status_code == 200


def test_a_patron_session_is_not_staff(client, db, make_patron, django_user_model):
    django_user_model.objects.create_user(username="reader", password=PASSWORD)
    assert client.login(username="reader", password=PASSWORD)
    response = client.get("/api/v1/items/B1001")
    assert response.status_code == 403 and error_code(response) == "staff_only"


def test_a_library_the_user_may_not_work_at_is_refused(
    network, make_patron, make_item, book, api, check_schema
):
    patron, item = make_patron(), make_item(book)
    response = post(
        api,
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode, "library": "BBB"},
    )
    assert response.status_code == 403
    assert check_schema(response.json(), "Error")["error"]["code"] == "library_forbidden"
    assert not Loan.objects.exists()
    response = post(
        api,
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode, "library": "ZZZ"},
    )
    assert response.status_code == 404 and error_code(response) == "unknown_library"


# Circulation ----------------------------------------------------------------------------------


def test_checkout_returns_the_loan_with_its_due_date(
    network, make_patron, make_item, book, api, check_schema
):
    patron, item = make_patron(), make_item(book)
    response = post(
        api,
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode, "library": "AAA"},
    )
    assert response.status_code == 201, response.json()
    loan = check_schema(response.json(), "Loan")
    stored = Loan.objects.get()
    assert loan["due_on"] == stored.due_on.isoformat() and loan["library"] == "AAA"
    assert loan["patron"] == patron.card_number and loan["item"] == item.barcode
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN


def test_checkout_refusals_keep_their_code_and_french_message(
    network, make_patron, make_item, book, api, check_schema
):
    first, second, item = make_patron(), make_patron("Durand", "Paul"), make_item(book)
    assert (
        post(
            api, "/api/v1/checkouts", {"patron": first.card_number, "item": item.barcode}
        ).status_code
        == 201
    )
    response = post(api, "/api/v1/checkouts", {"patron": second.card_number, "item": item.barcode})
    assert response.status_code == 409
    error = check_schema(response.json(), "Error")["error"]
    assert error["code"] == "already_on_loan" and "déjà" in error["message"]
    response = post(api, "/api/v1/checkouts", {"patron": "99999999", "item": item.barcode})
    assert response.status_code == 404 and error_code(response) == "unknown_card"
    response = post(api, "/api/v1/checkouts", {"item": item.barcode})
    assert response.status_code == 400 and error_code(response) == "missing_field"
    response = api.post("/api/v1/checkouts", "{oops", content_type="application/json")
    assert response.status_code == 400 and error_code(response) == "invalid_json"
    assert api.get("/api/v1/checkouts").status_code == 405


def test_every_error_has_the_shape_of_the_public_api(
    client, db, network, make_patron, make_item, book, api, check_schema
):
    """Circulation refusals, patron errors and request errors answer like the public API: one
    `error` object with a stable code and a French message, the refusal's own fields inside."""
    public = client.get("/api/v1/records/999999")
    item = make_item(book)
    post(api, "/api/v1/checkouts", {"patron": make_patron().card_number, "item": item.barcode})
    answers = {
        "record_not_found": public,
        "already_on_loan": post(
            api,
            "/api/v1/checkouts",
            {"patron": make_patron("Durand").card_number, "item": item.barcode},
        ),
        "unknown_category": post(
            api,
            "/api/v1/patrons",
            {"card": "20009999", "surname": "Roy", "home_library": "AAA", "category": "ZZZ"},
        ),
        "missing_field": post(api, "/api/v1/checkins", {}),
    }
    for code, response in answers.items():
        data = check_schema(response.json(), "Error")
        assert response["Content-Type"] == public["Content-Type"]
        assert list(data) == ["error"] and data["error"]["code"] == code
        assert list(data["error"])[:2] == ["code", "message"]
    refusal = answers["already_on_loan"].json()["error"]
    assert refusal["overridable"] is False and "déjà" in refusal["message"]


def test_checkin_elsewhere_says_send_it_home(
    network, desk, make_patron, make_item, book, make_staff, check_schema
):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron(), item)
    b_user = desk["b"]
    _token, key = ApiToken.issue(b_user)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = post(client, "/api/v1/checkins", {"item": item.barcode})
    assert response.status_code == 200
    result = check_schema(response.json(), "CheckinResult")
    assert result["action"] == "transfer" and result["destination"] == "AAA"
    assert result["reason"] == "return_home"
    again = check_schema(
        post(client, "/api/v1/checkins", {"item": item.barcode}).json(), "CheckinResult"
    )
    assert again["repeated"] is True
    state = check_schema(client.get(f"/api/v1/items/{item.barcode}").json(), "ItemState")
    assert state["status"] == "in_transit" and state["current_library"] == "BBB"
    assert state["transfer"]["to_library"] == "AAA" and state["due_on"] is None


def test_renewal_gives_a_later_due_date(
    network, desk, make_patron, make_item, book, api, check_schema
):
    item = make_item(book)
    loan = checkout(
        desk["a"], network["a"], make_patron(), item, today=TODAY - dt.timedelta(days=15)
    )
    response = post(api, "/api/v1/renewals", {"item": item.barcode})
    assert response.status_code == 200, response.json()
    renewed = check_schema(response.json(), "Loan")
    assert renewed["due_on"] > loan.due_on.isoformat() and renewed["renewals"] == 1
    again = post(api, "/api/v1/renewals", {"item": item.barcode})
    assert again.status_code == 409 and error_code(again) == "renewal_too_early"


def test_place_and_cancel_a_hold(network, desk, make_patron, make_item, book, api, check_schema):
    item = make_item(book)
    checkout(desk["a"], network["a"], make_patron("Autre", "Lecteur"), item)
    patron = make_patron()
    response = post(
        api,
        "/api/v1/holds",
        {"patron": patron.card_number, "record": book.pk, "pickup_library": "AAA"},
    )
    assert response.status_code == 201, response.json()
    hold = check_schema(response.json(), "Hold")
    assert hold["status"] == HoldStatus.WAITING and hold["position"] == 1
    again = post(
        api,
        "/api/v1/holds",
        {"patron": patron.card_number, "item": item.barcode, "pickup_library": "AAA"},
    )
    assert again.status_code == 409 and error_code(again) == "already_held"
    response = api.delete(f"/api/v1/holds/{hold['id']}")
    assert response.status_code == 200
    cancelled = check_schema(response.json(), "HoldCancellation")
    assert cancelled["hold"]["status"] == HoldStatus.CANCELLED
    assert Hold.objects.get().status == HoldStatus.CANCELLED
    assert api.delete("/api/v1/holds/999999").status_code == 404
    missing = post(api, "/api/v1/holds", {"patron": patron.card_number, "pickup_library": "AAA"})
    assert missing.status_code == 400


def test_a_hold_for_pickup_where_the_network_takes_none_is_refused(
    network, make_patron, make_item, book, api
):
    make_item(book)
    patron = make_patron()
    response = post(
        api,
        "/api/v1/holds",
        {"patron": patron.card_number, "record": book.pk, "pickup_library": "MD"},
    )
    assert response.status_code == 409 and error_code(response) == "not_a_pickup_point"
    assert network["md"].name in response.json()["error"]["message"]
    assert not Hold.objects.exists()


def test_a_hold_ready_on_the_shelf_shows_in_the_patron(
    network, desk, make_patron, make_item, book, api, check_schema
):
    item = make_item(book)
    patron = make_patron()
    post(
        api,
        "/api/v1/holds",
        {"patron": patron.card_number, "record": book.pk, "pickup_library": "AAA"},
    )
    result = post(api, "/api/v1/checkins", {"item": item.barcode}).json()
    assert result["action"] == "hold_shelf" and result["patron_card"] == patron.card_number
    data = check_schema(api.get(f"/api/v1/patrons/{patron.card_number}").json(), "Patron")
    assert data["holds"][0]["status"] == HoldStatus.READY
    assert data["holds"][0]["target"] == item.barcode


# Patrons and items ----------------------------------------------------------------------------


def test_register_a_patron(network, categories, api, check_schema):
    body = {
        "card": "30000001",
        "surname": "Leroy",
        "first_name": "Inès",
        "birth_date": "1985-02-11",
        "category": "ADU",
        "home_library": "AAA",
        "email": "ines@example.org",
    }
    response = post(api, "/api/v1/patrons", body)
    assert response.status_code == 201, response.json()
    data = check_schema(response.json(), "Patron")
    assert data["status"] == "ok" and data["home_library"] == "AAA"
    assert Patron.objects.get(card_number="30000001").email == "ines@example.org"
    response = post(api, "/api/v1/patrons", body)
    assert response.status_code == 409 and error_code(response) == "card_taken"
    response = post(api, "/api/v1/patrons", {**body, "card": "30000002", "home_library": "BBB"})
    assert response.status_code == 403
    response = post(
        api, "/api/v1/patrons", {**body, "card": "30000003", "birth_date": "11/02/1985"}
    )
    assert response.status_code == 400 and error_code(response) == "invalid_date"


def test_patron_status_loans_and_holds(
    network, desk, make_patron, make_item, book, make_record, api, check_schema
):
    patron = make_patron()
    item = make_item(book)
    checkout(desk["a"], network["a"], patron, item)
    other = make_record("Vendredi ou la vie sauvage")
    lent = make_item(other)
    checkout(desk["a"], network["a"], make_patron("Autre"), lent)
    post(
        api,
        "/api/v1/holds",
        {"patron": patron.card_number, "record": other.pk, "pickup_library": "BBB"},
    )
    response = api.get(f"/api/v1/patrons/{patron.card_number}")
    assert response.status_code == 200
    data = check_schema(response.json(), "Patron")
    assert [loan["item"] for loan in data["loans"]] == [item.barcode]
    assert [hold["record"] for hold in data["holds"]] == [other.pk]
    state = check_schema(api.get(f"/api/v1/items/{item.barcode}").json(), "ItemState")
    assert state["status"] == "on_loan" and state["due_on"] == data["loans"][0]["due_on"]
    response = api.get("/api/v1/items/NOPE")
    assert response.status_code == 404 and error_code(response) == "unknown_barcode"
    response = api.get("/api/v1/patrons/00000000")
    assert response.status_code == 404 and error_code(response) == "unknown_card"


def test_a_volunteer_may_not_override(
    network, staff, make_patron, make_item, book, policy, check_schema
):
    policy.max_loans_per_library = 0
    policy.save()
    _token, key = ApiToken.issue(staff[Role.VOLUNTEER])
    client = Client(headers={"Authorization": f"Bearer {key}"})
    body = {"patron": make_patron().card_number, "item": make_item(book).barcode}
    response = post(client, "/api/v1/checkouts", body)
    error = check_schema(response.json(), "Error")["error"]
    assert response.status_code == 409 and error["overridable"] is True
    response = post(client, "/api/v1/checkouts", {**body, "override_reason": "rentrée"})
    assert response.status_code == 403 and error_code(response) == "override_forbidden"


# The document ---------------------------------------------------------------------------------


def test_every_staff_route_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    assert set(document["paths"]) >= STAFF_ROUTES
    schemes = document["components"]["securitySchemes"].values()
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes)
    assert document["paths"]["/checkouts"]["post"]["security"]


STAFF_ROUTES = {
    "/checkouts",
    "/checkins",
    "/renewals",
    "/holds",
    "/holds/{id}",
    "/patrons",
    "/patrons/{card}",
    "/items/{barcode}",
}
