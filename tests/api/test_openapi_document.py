from openapi_spec_validator import validate

from maillon.api import urls


def test_the_served_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]


def test_every_endpoint_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    routes = {"/" + str(p.pattern).replace("<int:pk>", "{id}") for p in urls.urlpatterns if p.name}
    assert routes == set(document["paths"])
