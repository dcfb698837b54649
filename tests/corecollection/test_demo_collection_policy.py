"""The demo shows the collection policy: an offered list with one claim, two local collections,
the core collection, items at the workshop; made through the services, once."""

import datetime as dt

from maillon.catalogue.models import CollectionKind, Item
from maillon.corecollection.demo import build_collection_policy
from maillon.corecollection.models import CoreList
from maillon.lots.demo import build_lots
from maillon.weeding.demo import build_weeding
from maillon.weeding.models import Offer
from maillon.workshop.models import WorkOrder
from tests.weeding.conftest import default_criteria  # noqa: F401

TODAY = dt.date(2026, 11, 25)


def test_demo_collection_policy(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    build_weeding(TODAY)
    build_lots()  # crates take shelves: the local collections take other items
    made = build_collection_policy(TODAY)

    offers = Offer.objects.all()
    assert offers.count() >= 2 and offers.filter(state=Offer.State.CLAIMED).count() == 1
    assert offers.get(state=Offer.State.CLAIMED).claimed_by.code == "SEC"
    local = Item.objects.filter(collection__kind=CollectionKind.LOCAL)
    assert set(local.values_list("collection__library__code", flat=True)) == {"SEC", "PAR"}
    assert made["local"] == {"SEC": 8, "PAR": 8}
    core = CoreList.objects.get()
    assert core.titles.count() == made["core_titles"] > 10
    states = set(WorkOrder.objects.values_list("state", flat=True))
    assert {"travelling", "queued", "in_batch"} <= states

    assert build_collection_policy(TODAY) == {
        "offers": {},
        "local": {},
        "core_titles": 0,
        "workshop": {},
    }
