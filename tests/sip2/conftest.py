import datetime as dt

import pytest
from django.core.management import call_command

from maillon.sip2.models import Terminal


@pytest.fixture
def terminal(network) -> tuple[Terminal, str]:
    """A terminal at library "a", and its password as the command printed it."""
    from io import StringIO

    out = StringIO()
    call_command("sip2_account", "borne-a", library="AAA", stdout=out, stderr=StringIO())
    return Terminal.objects.get(login="borne-a"), out.getvalue().strip()


@pytest.fixture
def reader(make_patron):
    """A patron whose card is valid today."""
    return make_patron(
        registered_on=dt.date.today() - dt.timedelta(days=30),
        expires_on=dt.date.today() + dt.timedelta(days=300),
    )
