import pytest

from tests.conftest import make_library


@pytest.fixture
def libraries(db):
    return {code: make_library(code) for code in ("AAA", "BBB", "CCC")}
