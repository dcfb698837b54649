"""The demo shows weeding at work: a campaign confirmed with its procès-verbal, one in review
with last copies still to decide; made through the services, once."""

import datetime as dt

from maillon.catalogue.models import ItemStatus
from maillon.inventory import services as inventories
from maillon.inventory.demo import build_inventory
from maillon.weeding import pv
from maillon.weeding.demo import build_weeding
from maillon.weeding.models import Campaign, Decision

TODAY = dt.date(2026, 11, 25)


def test_demo_weeding(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    made = build_weeding(TODAY)

    done = Campaign.objects.get(state=Campaign.State.CONFIRMED)
    assert done.library.code == "PAR" and made["confirmed_withdrawn"] >= 5
    report = pv.report(done)
    assert report.deliberation is not None and len(report.withdrawn) == made["confirmed_withdrawn"]
    assert all(c.item.status == ItemStatus.WITHDRAWN for c in report.withdrawn)

    review = Campaign.objects.get(state=Campaign.State.REVIEW)
    assert review.library.code == "SEC"
    assert review.candidates.filter(decision=Decision.WITHDRAW).exists()
    assert review.candidates.filter(last_copy=True, decision=Decision.PENDING).exists()

    assert build_weeding(TODAY) == {}  # once: the user's work is kept
    assert Campaign.objects.count() == 2

    # An inventory in progress at Secondigny: scanned, not finished, one book out of order.
    assert build_inventory()["scanned"] > 5
    (inventory,) = inventories.Inventory.objects.all()
    report = inventories.report(inventory)
    assert report.missing and report.unknown == ["EXT-000-12"] and len(report.misfiled) >= 1
    assert build_inventory() == {}
