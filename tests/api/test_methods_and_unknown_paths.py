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
