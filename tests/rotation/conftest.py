import datetime as dt

import pytest
from django.utils import timezone

from maillon.lots import services as lots
from maillon.rotation import services
from tests.conftest import make_library


def monthly_plan(coordinator, crates, *, name="Plan de la Gâtine", exchanges=3):
    """A continuous plan of monthly exchanges from the next Monday among the crates' libraries
    (in the crates' order), generated; with its first date."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=7 - today.weekday())  # next Monday
    plan = services.save_plan(
        coordinator,
        None,
        name=name,
        kind="continuous",
        every=1,
        unit="months",
        start=start,
        exchanges=exchanges,
        end=None,
        members=[services.MemberInput(library=lot.station) for lot in crates],
        lots_in=crates,
    )
    services.generate(coordinator, plan)
    return plan, start


@pytest.fixture
def ring(network, desk, make_item, record_of):
    """Three libraries (AAA, BBB, CCC; shuttle Tuesdays and Fridays), a lot of two items at
    each, and a plan of four monthly exchanges from the next Monday, generated."""
    libraries = [network["a"], network["b"], make_library("CCC", name="Bibliothèque de Vasles")]
    crates = []
    for n, library in enumerate(libraries):
        lot = lots.create(desk["head"], library, f"Caisse {n}")
        for i in range(2):
            item = make_item(record_of(f"Titre {n}-{i}"), library)
            lots.add(desk["head"], lot, item.barcode)
        crates.append(lot)
    plan, start = monthly_plan(desk["head"], crates, exchanges=4)
    return {"plan": plan, "libraries": libraries, "lots": crates, "start": start}
