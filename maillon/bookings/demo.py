"""The demo's animation resources: the MD's exhibition, kits, story mat and tablets, a games
crate Parthenay lends to the network, and bookings of the Gâtine's libraries in every state
(checked last season, out now, back and waiting to be checked, approved, asked, refused,
cancelled)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from maillon.bookings import services
from maillon.bookings.models import Resource, ResourceKind
from maillon.network.models import Library

# kind, title, owner, description, contents, audience, space, insurance value, crates
RESOURCES = [
    (
        "exposition",
        "Exposition Les p’tites bêtes du jardin",
        "MD79",
        "Insectes, vers de terre et escargots du potager, en grand format et en questions.",
        "12 panneaux souples 80 × 200 cm\n12 pieds et barres\n1 livret pédagogique\n"
        "20 albums et documentaires",
        "Jeunesse 3-10 ans, scolaires",
        "25 m² environ, 10 m de murs ou de grilles",
        Decimal("3500"),
        3,
    ),
    (
        "valise",
        "Valise Kamishibaï contes du monde",
        "MD79",
        "Un butaï en bois et dix kamishibaïs de contes d’Afrique, d’Asie et d’Europe.",
        "1 butaï en hêtre\n10 kamishibaïs\n1 guide de lecture",
        "À partir de 4 ans",
        "Une table",
        Decimal("600"),
        1,
    ),
    (
        "raconte-tapis",
        "Raconte-tapis Roule galette",
        "MD79",
        "Le conte en tissu : la galette roule du tapis de la ferme jusqu’au renard.",
        "1 tapis cousu 2 × 1,5 m\n7 marionnettes\n1 album Roule galette",
        "Petite enfance 0-6 ans",
        "Un coin au sol de 3 × 3 m",
        Decimal("900"),
        1,
    ),
    (
        "tablettes",
        "Tablettes numériques (lot de 6)",
        "MD79",
        "Six tablettes avec applications de lecture et de création, housses et chargeur.",
        "6 tablettes\n6 housses antichoc\n1 chargeur multiple\n1 casque par tablette",
        "Tout public",
        "Une table près d’une prise",
        Decimal("2400"),
        1,
    ),
    (
        "jeu",
        "Jeux de société : malle coopérative",
        "PAR",
        "Quinze jeux coopératifs pour jouer ensemble plutôt que les uns contre les autres.",
        "15 jeux de société coopératifs\n1 fiche de règles résumées par jeu",
        "Familles, à partir de 5 ans",
        "Deux ou trois tables",
        Decimal("450"),
        2,
    ),
]

# resource (index in RESOURCES), library, first and last day from today, final state
BOOKINGS = [
    (0, "MEN", -60, -31, "checked"),
    (0, "SEC", -10, 30, "delivered"),
    (0, "THE", 50, 80, "requested"),
    (1, "PAR", 20, 50, "approved"),
    (2, "MAZ", 25, 45, "requested"),
    (2, "VAS", 60, 80, "refused"),
    (3, "PAR", -5, 20, "delivered"),
    (3, "MEN", 40, 60, "cancelled"),
    (4, "SEC", -30, -3, "returned"),
]


def build_bookings(today: dt.date) -> dict[str, int]:
    if Resource.objects.exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    codes = {r[2] for r in RESOURCES} | {b[1] for b in BOOKINGS}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=codes)}
    if coordinator is None or len(libraries) < len(codes):
        return {}
    kinds = {kind.code: kind for kind in ResourceKind.objects.all()}
    resources = [
        services.create_resource(
            coordinator,
            kind=kinds[kind],
            title=title,
            owner=libraries[owner],
            description=description,
            contents=contents,
            audience=audience,
            space_needed=space,
            insurance_value=value,
            crates=crates,
        )
        for kind, title, owner, description, contents, audience, space, value, crates in RESOURCES
    ]
    for index, code, first, last, state in BOOKINGS:
        start = today + dt.timedelta(days=first)
        booking = services.request_booking(
            coordinator,
            libraries[code],
            resources[index],
            start,
            today + dt.timedelta(days=last),
            today=min(today, start - dt.timedelta(days=20)),
        )
        if state == "refused":
            services.refuse(
                coordinator, booking, "Le raconte-tapis part en réparation au printemps."
            )
        elif state == "cancelled":
            services.cancel(coordinator, booking)
        elif state != "requested":
            services.approve(coordinator, booking)
            if state in ("delivered", "returned", "checked"):
                services.deliver(coordinator, booking)
            if state in ("returned", "checked"):
                services.mark_returned(coordinator, booking)
            if state == "checked":
                services.check(coordinator, booking, today=start + dt.timedelta(days=36))
    return {"resources": len(resources), "bookings": len(BOOKINGS)}
