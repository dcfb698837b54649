"""The programme in /api/v1/: public events with filters, one event, events created by staff
(with Idempotency-Key), registrations by a signed-in patron or by staff (card, or a visitor)."""

import datetime as dt

import pytest
from django.test import Client

from maillon.api.models import ApiToken
from maillon.network.models import Role
from maillon.opac import patron_session
from maillon.programme import programmes, services
from maillon.programme.models import Audience, Event, EventKind, Registration
from tests.programme.conftest import SOON, at


@pytest.fixture
def kinds(db) -> dict[str, EventKind]:
    return {
        "story-time": EventKind.objects.get_or_create(
            code="story-time", defaults={"name": "Heure du conte"}
        )[0]
    }


@pytest.fixture
def published(staff, network, kinds):
    librarian = staff[Role.LIBRARIAN]

    def make(title, library=None, audience=Audience.CHILDREN, day=SOON, publish=True, **fields):
        event = services.create_event(
            librarian if library is None else staff[Role.COORDINATOR],
            library or network["a"],
            kind=kinds["story-time"],
            title=title,
            audience=audience,
            **fields,
        )
        services.add_sessions(staff[Role.COORDINATOR], event, [(at(day, 10), at(day, 11))])
        return services.publish(staff[Role.COORDINATOR], event) if publish else event

    return make


@pytest.fixture
def token(staff):
    return ApiToken.issue(staff[Role.LIBRARIAN], "programme")[1]


def test_public_events_with_filters(client, published, network, check_schema):
    story = published("Conte", capacity=3, registration_required=True)
    published(
        "Ciné ados", library=network["b"], audience=Audience.TEENS, day=SOON + dt.timedelta(3)
    )
    published("Brouillon", publish=False)
    published("Passé", day=SOON - dt.timedelta(days=60))
    answer = client.get("/api/v1/events").json()
    check_schema(answer, "EventList")
    assert [e["title"] for e in answer["events"]] == ["Conte", "Ciné ados"]
    assert answer["events"][0]["remaining"] == 3 and answer["events"][0]["library"]["code"] == "AAA"
    assert answer["events"][0]["url"].endswith(f"/agenda/{story.pk}/")
    only = client.get("/api/v1/events", {"library": "BBB"}).json()["events"]
    assert [e["title"] for e in only] == ["Ciné ados"]
    assert [
        e["title"] for e in client.get("/api/v1/events", {"audience": "teens"}).json()["events"]
    ] == ["Ciné ados"]
    window = {"from": SOON.isoformat(), "to": SOON.isoformat()}
    assert [e["title"] for e in client.get("/api/v1/events", window).json()["events"]] == ["Conte"]
    paged = client.get("/api/v1/events", {"per_page": 1}).json()
    assert paged["total"] == 2 and "page=2" in paged["next"]
    refused = client.get("/api/v1/events", {"audience": "martians"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_audience"
    assert client.get("/api/v1/events", {"library": "NOPE"}).status_code == 404
    assert client.get("/api/v1/events", {"to": "9999-12-31"}).status_code == 400


def test_one_event(client, published, check_schema):
    story = published("Conte")
    draft = published("Brouillon", publish=False)
    check_schema(client.get(f"/api/v1/events/{story.pk}").json(), "EventOut")
    missing = client.get(f"/api/v1/events/{draft.pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_event"


def test_staff_create_an_event_once(client, token, staff, network):
    festival = programmes.create_programme(
        staff[Role.COORDINATOR], name="Nuits", starts_on=SOON, ends_on=SOON + dt.timedelta(2)
    )
    body = {
        "library": "AAA",
        "title": "Lectures du soir",
        "kind": "story-time",
        "audience": "families",
        "capacity": 20,
        "registration_required": True,
        "programme": festival.slug,
        "sessions": [{"starts_at": at(SOON, 19).isoformat(), "ends_at": at(SOON, 20).isoformat()}],
        "publish": True,
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "evt-1"}
    first = client.post("/api/v1/events", body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/events", body, content_type="application/json", **headers)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Event.objects.filter(title="Lectures du soir", status="published").count() == 1
    assert first.json()["programme"] == festival.slug
    late = {
        **body,
        "sessions": [
            {
                "starts_at": at(SOON + dt.timedelta(9), 19).isoformat(),
                "ends_at": at(SOON + dt.timedelta(9), 20).isoformat(),
            }
        ],
    }
    refused = client.post(
        "/api/v1/events",
        late,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "outside_programme"
    assert "Nuits" in refused.json()["error"]["message"]
    elsewhere = client.post(
        "/api/v1/events",
        {**body, "library": "BBB", "programme": None},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert elsewhere.status_code == 403
    backwards = {
        **body,
        "programme": None,
        "sessions": [{"starts_at": at(SOON, 20).isoformat(), "ends_at": at(SOON, 19).isoformat()}],
    }
    answer = client.post(
        "/api/v1/events",
        backwards,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "ends_before_start"
    assert Event.objects.count() == 1  # nothing half made
    assert Client().post("/api/v1/events", body, content_type="application/json").status_code == 401


def test_registrations(published, token, staff, make_patron):
    story = published("Conte", capacity=2, registration_required=True)
    staff_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/events/{story.pk}/registrations"
    visitor = staff_client.post(
        url, {"name": "Martin", "phone": "0549000000", "places": 2}, content_type="application/json"
    )
    assert visitor.status_code == 201 and visitor.json()["status"] == "confirmed"
    patron = make_patron("Lefebvre")
    by_card = staff_client.post(url, {"card": patron.card_number}, content_type="application/json")
    assert by_card.json()["status"] == "waiting"
    unknown = staff_client.post(url, {"card": "00000000"}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_card"
    # A patron signed in on the public catalogue registers themself (CSRF checked).
    other = make_patron("Roux")
    browser = Client(enforce_csrf_checks=True)
    session = browser.session
    session[patron_session.PATRON_KEY] = other.pk
    session[patron_session.HASH_KEY] = patron_session._password_hash(other)
    session[patron_session.SEEN_KEY] = int(dt.datetime.now().timestamp())
    session.save()
    browser.cookies["sessionid"] = session.session_key
    refused = browser.post(url, {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    browser.get("/agenda/")  # receives the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    own = browser.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert own.status_code == 201 and own.json()["status"] == "waiting"
    assert Registration.objects.get(pk=own.json()["id"]).patron == other
    not_staff = browser.post(
        url, {"card": patron.card_number}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert not_staff.status_code == 403
    anonymous = Client().post(
        url, {"name": "X", "email": "x@example.org"}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    story.status = "cancelled"
    story.save()
    cancelled = staff_client.post(
        url, {"name": "Tard", "email": "t@example.org"}, content_type="application/json"
    )
    assert cancelled.status_code == 409 and cancelled.json()["error"]["code"] == "event_cancelled"
    assert "annulée" in cancelled.json()["error"]["message"]
