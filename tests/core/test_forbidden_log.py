"""A refused access is logged as one line saying who, what and where, without a traceback."""

import logging

from django.urls import reverse

from maillon.network.models import Role
from tests.conftest import PASSWORD


def test_a_403_is_one_line(client, staff, caplog):
    volunteer = staff[Role.VOLUNTEER]
    client.login(username=volunteer.username, password=PASSWORD)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("library_create"))
    assert response.status_code == 403
    [line] = [r for r in caplog.records if r.name == "django.request"]
    assert line.exc_info is None
    message = line.getMessage()
    assert message.startswith("Forbidden: GET /pro/") and volunteer.username in message
    assert "\n" not in message
