import pytest
from django.test import Client
from jsonschema import Draft202012Validator


@pytest.fixture
def check_schema(db):
    """Validate a JSON answer against a schema of the served OpenAPI document."""
    document = Client().get("/api/v1/openapi.json").json()

    def check(data: dict, schema: str) -> dict:
        # The whole document is the root, so that its #/components/… references resolve.
        Draft202012Validator({**document, "$ref": f"#/components/schemas/{schema}"}).validate(data)
        return data

    return check
