def test_only_get_is_answered(client, db, check_schema):
    response = client.post("/api/v1/search", {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert check_schema(response.json(), "Error")["error"]["code"] == "method_not_allowed"


def test_unknown_address_is_a_json_404(client, db, check_schema):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert check_schema(response.json(), "Error")["error"]["code"] == "not_found"


def test_no_login_is_needed(client, network):
    assert client.get("/api/v1/libraries").status_code == 200
    assert client.get("/api/v1/search").status_code == 200


def test_an_over_long_query_string_is_a_json_414(client, db, check_schema):
    response = client.get("/api/v1/search", {"q": "jardin " * 1000})
    assert response.status_code == 414
    assert check_schema(response.json(), "Error")["error"]["code"] == "query_too_long"
    # A long search that stays under the limit is answered.
    assert client.get("/api/v1/search", {"q": "jardin " * 500}).status_code == 200
    document = client.get("/api/v1/openapi.json").json()
    assert "414" in document["paths"]["/search"]["get"]["responses"]


def test_the_server_lets_long_request_lines_reach_the_api():
    from maillon.core.middleware import API_MAX_QUERY_STRING
    from maillon.operations.management.commands.serve import LIMIT_REQUEST_LINE

    assert API_MAX_QUERY_STRING + len("GET /api/v1/search? HTTP/1.1") < LIMIT_REQUEST_LINE
