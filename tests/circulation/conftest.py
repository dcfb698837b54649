"""The circulation tests run on a fixed day (TODAY, a Monday); their fixtures are shared by the
whole suite in tests/circulation_fixtures.py."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.circulation_fixtures import TODAY


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def now() -> dt.date:
    """The real date, for pages that work on it."""
    return timezone.localdate()
