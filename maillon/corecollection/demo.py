"""The collection policy in the demo: items offered after weeding (one claimed), two local
collections, the core collection of the last year, items at the workshop. Each part once."""

from __future__ import annotations

import datetime as dt

from maillon.corecollection import services
from maillon.corecollection.models import CoreList
from maillon.localcollections.demo import build_local_collections
from maillon.weeding.demo import build_offers
from maillon.workshop.demo import build_workshop


def build_core_collection(today: dt.date) -> int:
    if CoreList.objects.exists():
        return 0
    services.refresh_demand()
    core = services.compute(None, today - dt.timedelta(days=365), today, per_group=30, check=False)
    return core.titles.count()


def build_collection_policy(today: dt.date) -> dict[str, object]:
    return {
        "offers": build_offers(today),
        "local": build_local_collections(),
        "core_titles": build_core_collection(today),
        "workshop": build_workshop(today),
    }
