"""The demo shows purchasing at work: funds everywhere, three suppliers, an open list with four
libraries' commitments, a suggestion accepted and one refused, orders sent, one partly
received."""

import datetime as dt

from maillon.purchasing.demo import build_purchasing
from maillon.purchasing.models import (
    Commitment,
    Fund,
    Order,
    Receipt,
    Suggestion,
    SupplyNeed,
    SupplyOrder,
)

TODAY = dt.date(2026, 11, 25)


def test_demo_purchasing(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    made = build_purchasing(TODAY)
    assert made["lists"] == 1 and made["suppliers"] == 3 and made["received"] == 1
    assert Commitment.objects.values("library").distinct().count() == 4
    assert Fund.objects.values("library").distinct().count() >= 4
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"accepted", "refused"}
    assert Order.objects.filter(state=Order.State.SENT).count() == made["orders"] >= 1
    assert Receipt.objects.count() == 1
    received = SupplyOrder.objects.get(state=SupplyOrder.State.RECEIVED)
    assert SupplyNeed.objects.filter(order=received).values("library").distinct().count() >= 3
    spring = SupplyOrder.objects.get(state=SupplyOrder.State.OPEN)
    assert spring.needs.filter(library=None, low_stock=True).exists()
    assert build_purchasing(TODAY) == {}  # once
