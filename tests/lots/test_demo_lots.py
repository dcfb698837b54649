"""The demo shows lots at work: twelve crates among six libraries, one received with an item
missing, one on its way."""

import datetime as dt

from maillon.lots import services
from maillon.lots.demo import build_lots
from maillon.lots.models import Lot

TODAY = dt.date(2026, 11, 25)


def test_demo_lots(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    made = build_lots()
    assert made["lots"] == 12 and made["received"] == 1 and made["in_transit"] == 1
    assert Lot.objects.filter(state=Lot.State.IN_TRANSIT).count() == 1
    received = Lot.objects.get(name="Romans policiers adultes n°3")
    assert received.station.code == "SEC"
    assert services.contents(received).count >= 2
    assert build_lots() == {}  # once
