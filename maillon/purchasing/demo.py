"""Purchasing in the demo: funds for every library, three suppliers, an open selection list
with commitments from four libraries, two patron suggestions (one accepted, one refused),
the orders sent and one partly received; supplies: last season's network order received and
split between the libraries, this season's open with a low-stock line for the workshop."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from maillon.catalogue.models import Record
from maillon.network.models import Library
from maillon.patrons.models import Patron
from maillon.purchasing import orders, receiving, selection, suggestions, supplies
from maillon.purchasing.models import (
    Fund,
    Medium,
    SelectionList,
    Supplier,
    SupplyArticle,
    SupplyOrder,
)

FUNDS = [("ADU", "Adultes", "3000"), ("JEU", "Jeunesse", "2000"), ("MUS", "Musique & films", "800")]
SUPPLIERS = [
    ("Librairie Le Matoulu", "LIVRE", "9", "Lot 1 — romans et documentaires adultes"),
    ("Librairie des Enfants", "LIVRE", "9", "Lot 2 — livres pour la jeunesse"),
    ("Média-Ouest", "AV", "12", "Lot 3 — DVD, CD et jeux"),
]
# The network's open list, where the reading committee's picks go too (programme.demo).
LIST_NAME = "Rentrée littéraire"
PRICES = ["22.50", "19.90", "8.10", "24.00", "16.50", "21.00", "7.90", "18.00"]


def build_purchasing(today: dt.date) -> dict[str, int]:
    made = _build_lists(today)
    made.update(build_supplies(today))
    return made


def _build_lists(today: dt.date) -> dict[str, int]:
    if SelectionList.objects.exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    libraries = list(Library.objects.filter(is_active=True).order_by("pk"))
    records = list(Record.objects.filter(merged_into=None).order_by("pk")[: len(PRICES)])
    if coordinator is None or len(libraries) < 4 or len(records) < len(PRICES):
        return {}
    for library in libraries:
        for code, name, amount in FUNDS:
            Fund.objects.get_or_create(
                library=library,
                year=today.year,
                code=code,
                defaults={"name": name, "amount": Decimal(amount)},
            )
    suppliers = []
    for name, medium, discount, lot in SUPPLIERS:
        supplier = Supplier(
            name=name,
            medium=Medium.objects.get(code=medium),
            discount=Decimal(discount),
            contract_lot=lot,
        )
        supplier.save()
        suppliers.append(supplier)
    chosen = selection.create_list(
        coordinator,
        LIST_NAME,
        today + dt.timedelta(days=21),
        description="Les romans de la rentrée : chaque bibliothèque prend ce qui manque au réseau.",
        today=today,
    )
    titles = [
        selection.propose(
            coordinator,
            chosen,
            record,
            public_price=Decimal(price),
            cap=4 if n == 0 else None,
            today=today,
        )
        for n, (record, price) in enumerate(zip(records, PRICES, strict=True))
    ]
    members = libraries[:4]
    for n, library in enumerate(members):
        fund = Fund.objects.get(library=library, year=today.year, code="ADU")
        for title in titles[n : n + 3]:
            selection.commit(coordinator, title, library, fund, 1, today=today)
    patrons = list(Patron.objects.order_by("pk")[:2])
    made = {"lists": 1, "suppliers": len(suppliers)}
    if len(patrons) == 2:
        wanted = suggestions.suggest(
            patrons[0],
            patrons[0].home_library,
            title="Le Mage du Kremlin",
            author="Giuliano da Empoli",
            why="Pour le club de lecture",
            wants_hold=True,
        )
        suggestions.accept_to_list(coordinator, wanted, chosen, public_price=Decimal("22"))
        other = suggestions.suggest(
            patrons[1], patrons[1].home_library, title="Guide du Routard Islande 2019"
        )
        suggestions.refuse(
            coordinator, other, "Édition dépassée : l'édition de cette année est en commande."
        )
        made["suggestions"] = 2
    built = orders.build_from_list(coordinator, chosen, suppliers[0])
    for order in built.orders:
        orders.send(coordinator, order)
    made["orders"] = len(built.orders)
    first = built.orders[0].lines.order_by("pk").first()
    if first is not None:
        receiving.receive(coordinator, first, ["ACQ0000001"], today=today)
        made["received"] = 1
    return made


# Article name → (stock at the workshop, low at, reorder), and each library's needs per season.
STOCK = {
    "Film de couverture adhésif, 32 cm": (6, 4, 12),
    "Film de couverture adhésif, 45 cm": (3, 2, 6),
    "Étiquettes code-barres": (2, 1, 4),
    "Étiquettes RFID": (1, 1, 3),
    "Boîtiers DVD": (4, 2, 4),
}
NEEDS = {
    "Film de couverture adhésif, 32 cm": [3, 2, 2, 1, 1],
    "Étiquettes de cote": [2, 1, 1, 1, 0],
    "Étiquettes code-barres": [1, 1, 0, 1, 0],
    "Boîtiers DVD": [2, 0, 1, 0, 1],
    "Ruban adhésif de réparation": [1, 1, 1, 0, 1],
}


def build_supplies(today: dt.date) -> dict[str, int]:
    """Autumn's network supplies order received and split, spring's open (low-stock line)."""
    if SupplyOrder.objects.exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    libraries = list(Library.objects.filter(is_active=True).order_by("pk")[:5])
    articles = {a.name: a for a in SupplyArticle.objects.all()}
    if coordinator is None or len(libraries) < 2 or not set(NEEDS) <= set(articles):
        return {}
    for name, (stock, low, again) in STOCK.items():
        SupplyArticle.objects.filter(name=name).update(
            in_stock=stock, reorder_at=low, reorder_quantity=again
        )
    supplier = Supplier.objects.create(
        name="Bibliofournitures",
        medium=Medium.objects.get(code="FOURN"),
        contract_lot="Lot 4 — fournitures d'équipement et de réparation",
    )
    autumn = supplies.create_order(
        coordinator, f"Automne {today.year}", supplier, today, today=today
    )
    for n, library in enumerate(libraries):
        wanted = {articles[name].pk: counts[n] for name, counts in NEEDS.items()}
        supplies.set_needs(coordinator, autumn, library, wanted)
    supplies.send(coordinator, autumn)
    supplies.receive(coordinator, autumn)
    spring = supplies.create_order(
        coordinator,
        f"Printemps {today.year + 1}",
        supplier,
        today + dt.timedelta(days=30),
        today=today,
    )
    film = SupplyArticle.objects.get(name="Film de couverture adhésif, 32 cm")
    supplies.use(coordinator, film, film.in_stock - film.reorder_at)  # falls low: a line
    first = articles["Film de couverture adhésif, 32 cm"]
    supplies.set_needs(coordinator, spring, libraries[0], {first.pk: 2})
    return {"supply_orders": 2}
