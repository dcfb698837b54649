"""Two local collections in the demo: Secondigny's local history of the Gâtine (its history
and geography shelves) and Parthenay's association life. Once."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from maillon.catalogue.models import CollectionKind, Item
from maillon.localcollections import services
from maillon.lots.models import LotItem
from maillon.network.models import Library

COLLECTIONS = [
    (
        "SEC",
        "secondigny",
        "Fonds local de Gâtine",
        CollectionKind.LOCAL,
        "histoire locale",
        "L'histoire, les paysages et les gens de la Gâtine poitevine : bocage, moulins, "
        "foires et marchés, la vie des bourgs d'hier à aujourd'hui.",
    ),
    (
        "PAR",
        "parthenay",
        "Vie associative parthenaisienne",
        CollectionKind.LOCAL,
        "vie associative",
        "Guides, bulletins et livres des associations du pays de Parthenay : sport, culture, "
        "entraide. Le FLIP, festival ludique, y a sa place.",
    ),
]


def build_local_collections() -> dict[str, int]:
    if services.of_library(Library.objects.filter(code="SEC").first() or 0).exists():
        return {}
    made = {}
    for code, username, name, kind, theme, description in COLLECTIONS:
        library = Library.objects.filter(code=code).first()
        user = get_user_model().objects.filter(username=username).first()
        if library is None or user is None:
            continue
        collection = services.save(
            user, library, name=name, kind=kind, theme=theme, description=description
        )
        ids = services.by_call_numbers(collection, "9", "999")[:15]
        if not ids:  # a catalogue without Dewey numbers: a few of its shelves
            ids = list(
                Item.objects.filter(home=library, status="available")
                .exclude(pk__in=LotItem.objects.values("item"))
                .order_by("-call_number", "pk")
                .values_list("pk", flat=True)[:8]
            )
        made[code] = len(services.tag(user, collection, ids).added)
    return made
