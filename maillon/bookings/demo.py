"""The demo's animation resources: the MD's 25 tools (three exhibitions, kits, kamishibaïs,
story mats, tablets…), a games crate Parthenay lends to the network, rules like the published
ones (documents for exhibitions, one kit per library in December, a month's renewal, games
collected at Parthenay on Tuesdays and Thursdays), and a year of bookings by the Gâtine's
libraries in every state: checked, out now, one late, back and waiting to be checked,
approved, asked, refused, cancelled, and one library waiting for taken dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from maillon.bookings import demo_photos, services, subloans, waiting
from maillon.bookings.models import (
    BookingRule,
    Delivery,
    DocumentKind,
    Resource,
    ResourceKind,
    SeasonalLimit,
)
from maillon.network.models import Library, Partner

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

# kind, title, audience, insurance value: more of the MD's tools, described briefly.
MORE = [
    ("exposition", "Exposition De la case à la planche : la bande dessinée", "Ados, adultes", 4200),
    ("exposition", "Exposition Voyage au pays des contes", "Jeunesse 5-11 ans", 3800),
    ("valise", "Valise Premières pages 0-3 ans", "Petite enfance", 500),
    ("valise", "Valise Dis-moi dix mots", "Tout public", 350),
    ("valise", "Malle Noël autour du monde", "Jeunesse, familles", 700),
    ("valise", "Valise Polar jeunesse", "9-13 ans", 400),
    ("valise", "Valise Sciences en jeux", "8-12 ans", 650),
    ("valise", "Malle Lire facile (FALC)", "Adultes, lecture facile", 450),
    ("valise", "Valise Pop-up et livres animés", "Tout public", 900),
    ("valise", "Sac à histoires des tout-petits", "Petite enfance", 300),
    ("kamishibai", "Kamishibaï Contes de la mer", "À partir de 4 ans", 400),
    ("kamishibai", "Butaï et huit kamishibaïs des saisons", "À partir de 3 ans", 550),
    ("raconte-tapis", "Raconte-tapis La moufle", "Petite enfance 0-6 ans", 850),
    ("raconte-tapis", "Raconte-tapis Boucle d’or", "Petite enfance 0-6 ans", 850),
    ("tablettes", "Tablettes numériques (lot de 8)", "Tout public", 3200),
    ("jeu", "Console et jeux vidéo en bibliothèque", "À partir de 7 ans", 1500),
    ("projecteur", "Vidéoprojecteur, écran et enceinte", "Tout public", 1100),
    ("autre", "Liseuses (lot de 10)", "Adultes", 1300),
    ("autre", "Kit fabrication de marque-pages", "Ateliers tout public", 150),
    ("valise", "Valise Voix de femmes", "Ados, adultes", 380),
]
# The member libraries a year of bookings goes round.
ROUND = ["PAR", "SEC", "MEN", "THE", "SAC", "MAZ", "VAS", "AZA", "POU"]
# Libraries with a convention and an insurance certificate on file (AZA has none yet).
DOCUMENTED = ["PAR", "SEC", "MEN", "THE", "SAC", "MAZ", "VAS", "POU"]

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


def _rules(kinds: dict[str, ResourceKind], libraries: dict[str, Library]) -> None:
    """Documents for exhibitions, a month's renewal once, one kit per library in December,
    Parthenay's games collected on Tuesdays and Thursdays without approval."""
    documents = list(DocumentKind.objects.filter(code__in=["convention", "assurance"]))
    for rule in BookingRule.objects.filter(kind=kinds["exposition"], owner=None):
        rule.documents.set(documents)
    BookingRule.objects.filter(owner=None).update(renewal_days=30, renewals=1)
    SeasonalLimit.objects.get_or_create(
        kind=kinds["valise"], owner=None, month_from=12, month_to=12, max_per_library=1
    )
    BookingRule.objects.get_or_create(
        kind=kinds["jeu"],
        owner=libraries["PAR"],
        defaults={
            "lead_days": 7,
            "approval_needed": False,
            "delivery": Delivery.COLLECTION,
            "collection_days": [2, 4],
        },
    )


def _documents(coordinator, libraries: dict[str, Library], today: dt.date) -> None:
    for code in DOCUMENTED:
        for kind in DocumentKind.objects.filter(code__in=["convention", "assurance"]):
            services.add_document(
                coordinator,
                libraries[code],
                kind,
                ContentFile(b"%PDF-1.4\n% demo\n", name=f"{kind.code}-{code.lower()}.pdf"),
                dt.date(today.year - 1, 1, 1),
                dt.date(today.year + 1, 12, 31),
                today=today,
            )


def _live(coordinator, booking, state: str, end: dt.date) -> None:
    """Take `booking` to `state` as its owner would have, on the days it would have."""
    if state == "refused":
        services.refuse(coordinator, booking, "Le raconte-tapis part en réparation au printemps.")
        return
    if state == "cancelled":
        services.cancel(coordinator, booking)
        return
    if state == "requested":
        return
    if booking.status == "requested":
        services.approve(coordinator, booking)
    if state in ("delivered", "late", "returned", "checked"):
        services.deliver(coordinator, booking)
    if state in ("returned", "checked"):
        services.mark_returned(coordinator, booking, today=end + dt.timedelta(days=1))
    if state == "checked":
        services.check(coordinator, booking, today=end + dt.timedelta(days=3))


def _book(coordinator, library, resource, start, end, state: str) -> bool:
    """One demo booking, asked three weeks ahead; False when a rule refuses it (a quota)."""
    try:
        booking = services.request_booking(
            coordinator, library, resource, start, end, today=start - dt.timedelta(days=21)
        )
        _live(coordinator, booking, state, end)
    except services.BookingError:
        return False
    return True


def _year_of(coordinator, resources, libraries, today: dt.date) -> int:
    """Each further resource lent about a month at a time over the last ten months and the
    coming five, to the libraries in turn: checked, out, approved or asked."""
    made = 0
    for n, resource in enumerate(resources):
        start = today - dt.timedelta(days=300 - 11 * n)
        turn = n
        while start < today + dt.timedelta(days=150):
            end = start + dt.timedelta(days=27)
            if end < today:
                state = "checked"
            elif start <= today:
                state = "delivered"
            else:
                state = "approved" if turn % 3 else "requested"
            library = libraries[ROUND[turn % len(ROUND)]]
            made += _book(coordinator, library, resource, start, end, state)
            start = end + dt.timedelta(days=12 + 5 * (turn % 4))
            turn += 1
    return made


# resource (index in RESOURCES), library, partner, days from today: what libraries lend on.
LENT_ON = [
    (0, "SEC", "École Saint-Joseph", 3, 12),
    (3, "PAR", "EHPAD Les Genêts", 2, 6),
]


def _lend_on(coordinator, resources: list[Resource], today: dt.date) -> int:
    """The insects exhibition at Secondigny's school for a week, Parthenay's tablets at the
    EHPAD for a digital workshop: the current bookings lent on to partners."""
    made = 0
    for index, code, name, first, last in LENT_ON:
        booking = resources[index].bookings.filter(library__code=code, status="delivered").first()
        partner = Partner.objects.filter(library__code=code, name=name).first()
        if booking is None or partner is None:
            continue
        subloans.lend_on(
            coordinator,
            booking,
            partner,
            today + dt.timedelta(days=first),
            today + dt.timedelta(days=last),
            "Livré par la bibliothèque, repris à la fin",
        )
        made += 1
    return made


def build_bookings(today: dt.date) -> dict[str, int]:
    if Resource.objects.exists():
        return {}
    coordinator = get_user_model().objects.filter(username="coordination").first()
    codes = {r[2] for r in RESOURCES} | {b[1] for b in BOOKINGS} | set(ROUND) | {"MD79"}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=codes)}
    if coordinator is None or len(libraries) < len(codes):
        return {}
    kinds = {kind.code: kind for kind in ResourceKind.objects.all()}
    _rules(kinds, libraries)
    _documents(coordinator, libraries, today)
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
    more = [
        services.create_resource(
            coordinator,
            kind=kinds[kind],
            title=title,
            owner=libraries["MD79"],
            audience=audience,
            insurance_value=Decimal(value),
        )
        for kind, title, audience, value in MORE
    ]
    made = 0
    for index, code, first, last, state in BOOKINGS:
        start, end = today + dt.timedelta(days=first), today + dt.timedelta(days=last)
        made += _book(coordinator, libraries[code], resources[index], start, end, state)
    made += _year_of(coordinator, more[2:], libraries, today)
    # An exhibition asked by a library without its documents, one late, one waited for.
    made += _book(
        coordinator,
        libraries["AZA"],
        more[0],
        today + dt.timedelta(30),
        today + dt.timedelta(60),
        "requested",
    )
    made += _book(
        coordinator,
        libraries["VAS"],
        more[1],
        today - dt.timedelta(40),
        today - dt.timedelta(6),
        "late",
    )
    waiting.wait_for(
        coordinator,
        libraries["MAZ"],
        resources[0],
        today + dt.timedelta(days=55),
        today + dt.timedelta(days=75),
        today=today,
    )
    lent_on = _lend_on(coordinator, resources, today)
    exhibitions = [r for r in [*resources, *more] if r.kind_id == kinds["exposition"].pk]
    posters = demo_photos.add_posters(coordinator, exhibitions)
    return {
        "resources": len(resources) + len(more),
        "bookings": made,
        "photos": posters,
        "lent_on": lent_on,
    }
