import pytest
from jsonschema import Draft202012Validator

from maillon.api.openapi import openapi_document


@pytest.fixture
def check_schema():
    """Validate a JSON answer against a schema of the served OpenAPI document."""
    document = openapi_document("http://testserver/api/v1")

    def check(data: dict, schema: str) -> dict:
        # The whole document is the root, so that its #/components/… references resolve.
        Draft202012Validator({**document, "$ref": f"#/components/schemas/{schema}"}).validate(data)
        return data

    return check
