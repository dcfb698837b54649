import pytest


@pytest.mark.parametrize(
    "params, code",
    [
        ({"page": "0"}, "invalid_page"),
        ({"page": "abc"}, "invalid_page"),
        ({"per_page": "1000"}, "invalid_per_page"),
        ({"sort": "price"}, "invalid_sort"),
        ({"library": "NOWHERE"}, "unknown_library"),
        ({"item_type": "SPACESHIP"}, "unknown_item_type"),
        ({"audience": "cats"}, "invalid_audience"),
        ({"language": "français"}, "invalid_language"),
        ({"year": "last week"}, "invalid_year"),
        ({"available": "perhaps"}, "invalid_available"),
    ],
)
def test_a_bad_parameter_is_a_400_with_a_stable_code(client, network, check_schema, params, code):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 400
    error = check_schema(response.json(), "Error")["error"]
    assert error["code"] == code
    assert error["message"]
