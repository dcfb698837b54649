"""Lots in the demo: twelve crates among six libraries of the Gâtine, one received with an
item missing from the crate, one on its way by the shuttle, the others at their libraries."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from maillon.catalogue.models import Item, ItemStatus
from maillon.lots import services
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Library

# library code, lot names (two crates each)
CRATES = [
    ("PAR", ["Romans policiers adultes n°3", "Albums 0-3 ans B"]),
    ("SEC", ["Romans du terroir n°1", "Bandes dessinées jeunesse A"]),
    ("MEN", ["Documentaires nature", "Premières lectures n°2"]),
    ("THE", ["Romans adultes grands caractères", "Contes du monde"]),
    ("MAZ", ["Romans ados n°4", "Cuisine et jardin"]),
    ("VAS", ["Mangas n°2", "Romans sentimentaux n°1"]),
]
PER_LOT = 8


def build_lots() -> dict[str, int]:
    if Lot.objects.exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=[c for c, _n in CRATES])}
    if coordinator is None or len(libraries) < len(CRATES):
        return {}
    lots: list[Lot] = []
    for code, names in CRATES:
        library = libraries[code]
        free = (
            Item.objects.filter(home=library, current=library, status=ItemStatus.AVAILABLE)
            .exclude(pk__in=LotItem.objects.values("item"))
            .order_by("call_number", "pk")
        )
        pool = list(free[: PER_LOT * len(names)])
        for n, name in enumerate(names):
            lot = services.create(coordinator, library, name)
            services.add_many(coordinator, lot, pool[n * PER_LOT : (n + 1) * PER_LOT])
            lots.append(lot)
    # The exchange half done: Parthenay's crate received at Secondigny with one item missing,
    # Secondigny's on its way to Ménigoute.
    first, second = lots[0], lots[2]
    made = {"lots": len(lots)}
    if services.contents(first).count >= 2:
        services.send(coordinator, first, libraries["SEC"])
        barcodes = [i.barcode for i in services.contents(first).items]
        services.receive(coordinator, first, libraries["SEC"], barcodes[:-1])
        made["received"] = 1
    if services.contents(second).count:
        services.send(coordinator, second, libraries["MEN"])
        made["in_transit"] = 1
    return made
