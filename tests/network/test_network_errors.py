"""Network services refuse with their domain error (field, French message, kind invalid), not
Django's ValidationError, and nothing is written."""

import datetime as dt
from datetime import time

import pytest
from django.utils import translation

from maillon.core.errors import Kind
from maillon.network import services
from maillon.network.errors import NetworkError
from maillon.network.models import Closure, Role


def test_a_closure_ending_before_it_starts_is_refused(staff, network):
    start = dt.date(2026, 8, 10)
    with translation.override("fr"), pytest.raises(NetworkError) as refused:
        services.add_closure(
            staff[Role.LIBRARIAN], network["a"], start, start - dt.timedelta(days=1)
        )
    assert refused.value.kind == Kind.INVALID and refused.value.http_status == 400
    assert refused.value.code == "invalid" and "fermeture" in refused.value.message.lower()
    assert not Closure.objects.exists()


def test_a_library_edit_names_the_field_in_error(staff, network):
    with pytest.raises(NetworkError) as refused:
        services.update_library(staff[Role.LIBRARIAN], network["a"], email="not an address")
    assert refused.value.field == "email"


def test_hours_closing_before_opening_are_refused(staff, network):
    with pytest.raises(NetworkError):
        services.set_opening_hours(
            staff[Role.LIBRARIAN], network["a"], [(1, time(12, 0), time(9, 0))]
        )
