"""The demo lends an MD deposit to each member library and reading point, chosen at one
exchange session in the past, with an item lost and a request waiting."""

import datetime as dt

from maillon.deposits import services
from maillon.deposits.demo import build_deposits
from maillon.deposits.models import Deposit, ExchangeSession
from maillon.network.models import LibraryKind

TODAY = dt.date(2026, 11, 25)


def test_demo_deposits(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    made = build_deposits(TODAY)
    members = Deposit.objects.filter(
        library__kind__in=[LibraryKind.MEMBER, LibraryKind.READING_POINT]
    )
    assert made["deposits"] == members.count() == 8
    assert made["lent"] > 0 and made["lost"] == 1
    for deposit in members:
        # The opening's session (its history) and the last exchange, both past.
        sessions = list(ExchangeSession.objects.filter(deposit=deposit).order_by("day"))
        assert [s.day for s in sessions] == [deposit.opened_on, sessions[1].day]
        assert deposit.opened_on < sessions[1].day < TODAY
    secondigny = services.summary(members.get(library__code="SEC"), TODAY)
    assert len(secondigny.lost) == 1 and secondigny.md_stock == secondigny.total
    assert build_deposits(TODAY) == {}  # once
