def test_active_libraries_are_listed(client, network, check_schema):
    network["b"].is_active = False
    network["b"].save()
    response = client.get("/api/v1/libraries")
    assert response.status_code == 200
    data = check_schema(response.json(), "LibraryList")
    assert {lib["code"] for lib in data["libraries"]} == {"HEAD", "AAA", "MD"}
    assert response["Access-Control-Allow-Origin"] == "*"
