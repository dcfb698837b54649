"""The daily command expires holds and anonymises history, and says what the desk must do."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from maillon.circulation.models import HoldStatus
from maillon.circulation.services import checkin, place_hold

from .conftest import TODAY


def test_daily_run(desk, network, make_patron, make_item, book):
    copy = make_item(book)
    hold = place_hold(desk["a"], network["a"], make_patron(), book, network["a"], today=TODAY)
    checkin(desk["a"], network["a"], copy, today=TODAY)
    out = StringIO()
    call_command(
        "circulation_daily", "--date", (TODAY + dt.timedelta(days=11)).isoformat(), stdout=out
    )
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED
    assert copy.barcode in out.getvalue()
