"""What the document says is what the API does (issue: the API says what it accepts)."""

from maillon.circulation.models import Hold  # noqa: F401  (the database is needed)


def test_booleans_are_booleans(client, network):
    assert client.get("/api/v1/search", {"available": "true"}).status_code == 200
    assert client.get("/api/v1/search", {"available": "1"}).status_code == 200
    refused = client.get("/api/v1/search", {"available": "perhaps"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_available"
    document = client.get("/api/v1/openapi.json").json()
    available = next(
        p for p in document["paths"]["/search"]["get"]["parameters"] if p["name"] == "available"
    )
    assert available["schema"]["type"] == "boolean"


def test_a_language_is_three_letters_in_the_document_too(client, network):
    refused = client.get("/api/v1/search", {"language": "w"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_language"
    document = client.get("/api/v1/openapi.json").json()
    language = next(
        p for p in document["paths"]["/search"]["get"]["parameters"] if p["name"] == "language"
    )
    assert "pattern" in language["schema"]["items"]


def test_a_negative_hold_number_is_a_documented_400(client, desk):
    client.force_login(desk["a"])
    response = client.delete("/api/v1/holds/-5")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_id"
    document = client.get("/api/v1/openapi.json").json()
    assert "400" in document["paths"]["/holds/{id}"]["delete"]["responses"]


def test_an_empty_string_is_a_missing_field(desk):
    from django.test import Client

    from maillon.api.models import ApiToken

    key = ApiToken.issue(desk["a"], "borne")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = client.post("/api/v1/checkins", {"item": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "missing_field",
        "message": "Le champ « item » est obligatoire.",
        "field": "item",
    }


def test_head_and_unknown_methods(client, network):
    head = client.head("/api/v1/libraries")
    assert head.status_code == 200 and head.content == b""
    refused = client.put("/api/v1/libraries")
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"
    assert refused.json()["error"]["code"] == "method_not_allowed"


def test_too_many_parameters_get_the_api_s_json_error(client, network):
    query = "&".join(f"library=L{n}" for n in range(1500))
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "bad_request"


def test_libraries_are_paged(client, network):
    first = client.get("/api/v1/libraries", {"per_page": 2}).json()
    assert first["total"] == len(network) and len(first["libraries"]) == 2
    assert first["next"].endswith("/api/v1/libraries?page=2&per_page=2")
    rest = client.get(first["next"]).json()
    names = [lib["name"] for lib in first["libraries"] + rest["libraries"]]
    assert names[:4] == sorted(names)[:4]
