"""The demo's circulation plan: the twelve crates of the Gâtine going round their six
libraries every two months for a year, the grid generated and published, so that each
library's home page shows what to pack for its next exchange."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from maillon.catalogue.models import CollectionKind, Item, ItemStatus
from maillon.circulation import capacity
from maillon.lots.demo import CRATES
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Library
from maillon.rotation import rotas, runsheet, services
from maillon.rotation.models import Plan, RotaItem

NAME = "Échanges de la Gâtine"
# Crates for youth sections only, and the library that has none (it takes at most two crates).
YOUTH_ONLY = {"Albums 0-3 ans B", "Bandes dessinées jeunesse A", "Premières lectures n°2"}
NO_YOUTH = "THE"
ROUTE = ["PAR", "SEC", "AZA", "POU", "SAC", "VAS", "MEN", "THE", "MAZ", "MD79"]


def build_rotation(today: dt.date) -> dict[str, int]:
    if Plan.objects.filter(name=NAME).exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    codes = [code for code, _names in CRATES]
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=codes)}
    names = [name for _code, crate in CRATES for name in crate]
    lots = list(Lot.objects.filter(name__in=names).order_by("pk"))
    if coordinator is None or len(libraries) < len(codes) or len(lots) < len(names):
        return {}
    plan = services.save_plan(
        coordinator,
        None,
        name=NAME,
        kind=Plan.Kind.CONTINUOUS,
        every=2,
        unit=Plan.Unit.MONTHS,
        start=today + dt.timedelta(days=10),
        exchanges=6,
        end=None,
        members=[
            services.MemberInput(
                library=libraries[code],
                youth=code != NO_YOUTH,
                max_lots=2 if code == NO_YOUTH else None,
            )
            for code in codes
        ],
        lots_in=lots,
        youth_lots=[lot for lot in lots if lot.name in YOUTH_ONLY],
    )
    result = services.generate(coordinator, plan)
    services.publish(coordinator, plan)
    _capacities(coordinator)
    # The van leaves Parthenay, goes round the Gâtine and calls at the MD on the way back.
    runsheet.set_route(coordinator, ROUTE, max_items=250, max_crates=10)
    rota_items = _rota(coordinator, today)
    return {
        "plans": 1,
        "exchanges": len(result.spec.dates),
        "broken": len(result.broken),
        "rota_items": rota_items,
    }


ROTA = "Coups de cœur en tournée"
ROTA_STAGES = [("PAR", 60), ("SEC", 45), ("AZA", 45)]


def _rota(coordinator, today: dt.date) -> int:
    """Single items on a rota: six of Parthenay's available books go round three libraries;
    they came to Parthenay at different dates, so the next moves fall on different days."""
    libraries = {
        lib.code: lib for lib in Library.objects.filter(code__in=[c for c, _d in ROTA_STAGES])
    }
    if len(libraries) < len(ROTA_STAGES):
        return 0
    rota = rotas.create(
        coordinator,
        ROTA,
        description="Les coups de cœur des bibliothécaires passent deux mois dans chaque "
        "bibliothèque.",
    )
    for code, days in ROTA_STAGES:
        rotas.add_stage(coordinator, rota, libraries[code], days)
    chosen = (
        Item.objects.filter(
            home=libraries["PAR"],
            current=libraries["PAR"],
            status=ItemStatus.AVAILABLE,
            collection__kind=CollectionKind.BASE,
            item_type__code="LIVRE",
        )
        .exclude(pk__in=LotItem.objects.values("item"))
        .order_by("pk")[:6]
    )
    for n, item in enumerate(chosen):
        entry = rotas.add_item(coordinator, rota, item.barcode)
        RotaItem.objects.filter(pk=entry.pk).update(since=today - dt.timedelta(days=10 * n + 5))
    return rota.entries.count()


def _capacities(coordinator) -> None:
    """The reading point of Pougne-Hérisson is nearly full (one copy of a title at most); Vasles
    has some room left."""
    for code, room, copies in (("POU", 15, 1), ("VAS", 60, None)):
        library = Library.objects.filter(code=code).first()
        if library is not None:
            stock = capacity.stock_against_capacity([library])[0].stock
            capacity.set_capacity(coordinator, library, max_items=stock + room, max_copies=copies)
