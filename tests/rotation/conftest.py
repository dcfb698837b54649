import datetime as dt

import pytest
from django.utils import timezone

from maillon.lots import services as lots
from maillon.rotation import services
from tests.conftest import make_library


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
    today = timezone.localdate()
    start = today + dt.timedelta(days=7 - today.weekday())  # next Monday
    plan = services.save_plan(
        desk["head"],
        None,
        name="Plan de la Gâtine",
        kind="continuous",
        every=1,
        unit="months",
        start=start,
        exchanges=4,
        end=None,
        members=[services.MemberInput(library=lib) for lib in libraries],
        lots_in=crates,
    )
    services.generate(desk["head"], plan)
    return {"plan": plan, "libraries": libraries, "lots": crates, "start": start}
