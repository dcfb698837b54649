from openapi_spec_validator import validate

ROUTES = {
    "/search",
    "/records/{id}",
    "/libraries",
    "/checkouts",
    "/checkins",
    "/renewals",
    "/holds",
    "/holds/{id}",
    "/patrons",
    "/patrons/{card}",
    "/items/{barcode}",
    "/lots",
    "/lots/{code}",
    "/lots/{code}/send",
    "/lots/{code}/receive",
    "/rotation-plans",
    "/rotation-plans/{id}/grid",
    "/resources",
    "/bookings",
    "/bookings/{id}",
    "/offline/operations",
    "/weeding/candidates",
    "/core-collection",
    "/core-collection/gaps",
    "/stats/annual",
    "/stats/loans",
    "/events",
    "/events/{id}",
    "/events/{id}/registrations",
    "/selection-lists",
    "/selection-lists/{id}",
    "/selection-lists/{id}/commitments",
    "/orders/{id}",
}


def test_the_served_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]


def test_every_endpoint_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == ROUTES


def test_the_documentation_page_works_offline(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    body = page.content.decode()
    assert "swagger-ui-bundle.js" in body and "//cdn" not in body


def test_no_two_schemas_share_a_name():
    """The document names its components by class name: a second class of the same name
    would silently replace the first one's description."""
    import inspect

    from ninja import Schema

    from maillon.api import (
        circulation_routes,
        collections_routes,
        collections_schemas,
        lots_routes,
        lots_schemas,
        public_routes,
        schemas,
    )

    seen: dict[str, str] = {}
    for module in (
        schemas,
        lots_schemas,
        collections_schemas,
        circulation_routes,
        public_routes,
        lots_routes,
        collections_routes,
    ):
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value is not Schema:
                if value.__module__ != module.__name__:
                    continue
                assert name not in seen, f"{name} in {module.__name__} and {seen[name]}"
                seen[name] = module.__name__
