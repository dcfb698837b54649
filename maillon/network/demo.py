"""A believable network for the demo: the Gâtine around Parthenay, with the MD at Niort."""

import datetime as dt
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from maillon.network.models import (
    Closure,
    Library,
    LibraryKind,
    OpeningHours,
    Partner,
    PartnerKind,
    Role,
    StaffRole,
)

T = dt.time
MORNING, AFTERNOON = (T(10), T(12, 30)), (T(14), T(18))
# code, name, kind, commune, postcode, address, lat, lon, shuttle days, hours {weekday: spans}
LIBRARIES = [
    (
        "PAR",
        "Médiathèque de Parthenay",
        LibraryKind.HEAD,
        "Parthenay",
        "79200",
        "8 rue de la Citadelle",
        "46.648600",
        "-0.247800",
        [1, 2, 3, 4, 5],
        {
            2: [(T(10), T(18))],
            3: [(T(10), T(18))],
            4: [(T(14), T(18))],
            5: [(T(10), T(19))],
            6: [(T(10), T(17))],
        },
    ),
    (
        "SEC",
        "Bibliothèque de Secondigny",
        LibraryKind.MEMBER,
        "Secondigny",
        "79130",
        "2 place de l'Église",
        "46.610300",
        "-0.415300",
        [2, 5],
        {3: [MORNING, AFTERNOON], 5: [(T(16), T(18, 30))], 6: [MORNING]},
    ),
    (
        "MEN",
        "Médiathèque de Ménigoute",
        LibraryKind.MEMBER,
        "Ménigoute",
        "79340",
        "5 rue de la Poste",
        "46.500700",
        "-0.056100",
        [1, 4],
        {2: [(T(16), T(18))], 3: [MORNING, AFTERNOON], 6: [MORNING]},
    ),
    (
        "THE",
        "Bibliothèque de Thénezay",
        LibraryKind.MEMBER,
        "Thénezay",
        "79390",
        "12 rue du Commerce",
        "46.718600",
        "-0.029100",
        [2, 4],
        {3: [(T(14), T(18))], 5: [(T(16, 30), T(18, 30))], 6: [(T(9, 30), T(12))]},
    ),
    (
        "SAC",
        "Bibliothèque de Saint-Aubin-le-Cloud",
        LibraryKind.MEMBER,
        "Saint-Aubin-le-Cloud",
        "79450",
        "1 rue des Écoles",
        "46.652500",
        "-0.350600",
        [3],
        {3: [(T(15), T(18))], 6: [(T(10), T(12))]},
    ),
    (
        "MAZ",
        "Médiathèque de Mazières-en-Gâtine",
        LibraryKind.MEMBER,
        "Mazières-en-Gâtine",
        "79310",
        "3 place du Marché",
        "46.727300",
        "-0.309700",
        [1, 4],
        {2: [(T(16), T(18, 30))], 3: [MORNING, AFTERNOON], 6: [MORNING]},
    ),
    (
        "VAS",
        "Bibliothèque de Vasles",
        LibraryKind.MEMBER,
        "Vasles",
        "79340",
        "7 rue de la Mairie",
        "46.575600",
        "-0.026500",
        [3],
        {3: [(T(14), T(17))], 6: [(T(10), T(12))]},
    ),
    (
        "AZA",
        "Point lecture d'Azay-sur-Thouet",
        LibraryKind.READING_POINT,
        "Azay-sur-Thouet",
        "79130",
        "Mairie, 1 place de la Mairie",
        "46.612500",
        "-0.357800",
        [5],
        {3: [(T(16), T(18))], 6: [(T(10, 30), T(12))]},
    ),
    (
        "POU",
        "Point lecture de Pougne-Hérisson",
        LibraryKind.READING_POINT,
        "Pougne-Hérisson",
        "79130",
        "Le Bourg",
        "46.658300",
        "-0.398900",
        [2],
        {6: [(T(10), T(12))]},
    ),
    (
        "MD79",
        "Médiathèque départementale des Deux-Sèvres",
        LibraryKind.DEPARTMENTAL,
        "Niort",
        "79000",
        "Rue Alsace-Lorraine",
        "46.323200",
        "-0.464400",
        [1, 2, 3, 4, 5],
        {
            1: [(T(9), T(17))],
            2: [(T(9), T(17))],
            3: [(T(9), T(17))],
            4: [(T(9), T(17))],
            5: [(T(9), T(16))],
        },
    ),
]

PARTNERS = [
    ("PAR", "École élémentaire Jules-Ferry", PartnerKind.SCHOOL, "Mme Girard"),
    ("PAR", "EHPAD Les Genêts", PartnerKind.RETIREMENT_HOME, "M. Baudry"),
    ("PAR", "Relais Petite Enfance de Gâtine", PartnerKind.CHILDCARE, "Mme Texier"),
    ("SEC", "École Saint-Joseph", PartnerKind.SCHOOL, "M. Pineau"),
    ("MEN", "Association Lire en Gâtine", PartnerKind.ASSOCIATION, "Mme Chauvet"),
    ("THE", "Centre PMI de Thénezay", PartnerKind.PMI, "Mme Rousseau"),
    ("MAZ", "École publique de Mazières", PartnerKind.SCHOOL, "Mme Moreau"),
    ("VAS", "EHPAD Le Logis", PartnerKind.RETIREMENT_HOME, "M. Guérin"),
]

# username, first name, last name, [(library code, role)], description
STAFF = [
    (
        "coordination",
        "Claire",
        "Bonnet",
        [("PAR", Role.COORDINATOR)],
        "coordinatrice du réseau (Parthenay)",
    ),
    ("md", "Hugo", "Marchand", [("MD79", Role.MD_STAFF)], "médiathèque départementale"),
    ("parthenay", "Sophie", "Renaud", [("PAR", Role.LIBRARIAN)], "bibliothécaire à Parthenay"),
    (
        "secondigny",
        "Julien",
        "Fabre",
        [("SEC", Role.LIBRARIAN), ("AZA", Role.LIBRARIAN)],
        "bibliothécaire à Secondigny et Azay-sur-Thouet",
    ),
    ("menigoute", "Nadia", "Benali", [("MEN", Role.LIBRARIAN)], "bibliothécaire à Ménigoute"),
    (
        "mazieres",
        "Élodie",
        "Perrin",
        [("MAZ", Role.LIBRARIAN)],
        "bibliothécaire à Mazières-en-Gâtine",
    ),
    (
        "benevole",
        "Jacques",
        "Aubry",
        [("SEC", Role.VOLUNTEER), ("POU", Role.VOLUNTEER)],
        "bénévole à Secondigny et Pougne-Hérisson",
    ),
    ("thenezay", "Monique", "Lefort", [("THE", Role.VOLUNTEER)], "bénévole à Thénezay"),
    (
        "vasles",
        "Pierre",
        "Garnier",
        [("VAS", Role.VOLUNTEER), ("SAC", Role.VOLUNTEER)],
        "bénévole à Vasles et Saint-Aubin-le-Cloud",
    ),
]


@transaction.atomic
def build_network(password: str, today: dt.date) -> list[tuple[str, str]]:
    """Create or refresh the demo network; returns (username, description) of the accounts."""
    libraries = {}
    for code, name, kind, commune, postcode, address, lat, lon, shuttle, hours in LIBRARIES:
        library, _created = Library.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "commune": commune,
                "postcode": postcode,
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "shuttle_days": shuttle,
                "is_active": True,
                # The MD serves libraries, not readers: holds are picked up everywhere else.
                "is_pickup_point": kind != LibraryKind.DEPARTMENTAL,
                "email": f"bibliotheque.{code.lower()}@example.org",
                "phone": "05 49 "
                + " ".join(f"{(zlib.crc32(code.encode()) >> s) % 100:02d}" for s in (0, 8, 16)),
            },
        )
        library.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(library=library, weekday=day, opens=o, closes=c)
            for day, spans in hours.items()
            for o, c in spans
        )
        libraries[code] = library
    _closures(libraries, today)
    for code, name, partner_kind, contact in PARTNERS:
        Partner.objects.update_or_create(
            library=libraries[code],
            name=name,
            defaults={"kind": partner_kind, "contact_name": contact},
        )

    User = get_user_model()
    accounts = []
    # One hash for every demo account (they share the password): the production hasher takes
    # about half a second a time.
    encoded = make_password(password)
    admin, _c = User.objects.get_or_create(username="admin", defaults={"is_staff": True})
    admin.is_superuser = admin.is_staff = True
    admin.email = "admin@example.org"
    admin.password = encoded
    admin.save()
    accounts.append(("admin", "administrateur technique (tout, et /admin/)"))
    for username, first, last, roles, description in STAFF:
        user, _c = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.org"
        user.password = encoded
        user.save()
        StaffRole.objects.filter(user=user).exclude(
            library__code__in=[code for code, _r in roles]
        ).delete()
        for code, role in roles:
            StaffRole.objects.update_or_create(
                user=user, library=libraries[code], defaults={"role": role}
            )
        accounts.append((username, description))
    return accounts


def _closures(libraries: dict[str, Library], today: dt.date) -> None:
    """Closures around the demo date, so that every screen shows some."""
    Closure.objects.filter(library__in=libraries.values()).delete()
    year = today.year if today.month < 12 else today.year + 1
    christmas = dt.date(today.year, 12, 24)
    rows = [
        Closure(
            library=libraries[code],
            start=christmas,
            end=christmas + dt.timedelta(days=8),
            reason="Fêtes de fin d'année",
        )
        for code in ("SEC", "MEN", "THE", "SAC", "VAS", "AZA", "POU")
    ]
    rows.append(
        Closure(
            library=libraries["MAZ"],
            start=today + dt.timedelta(days=10),
            end=today + dt.timedelta(days=12),
            reason="Inventaire",
        )
    )
    rows.append(
        Closure(
            library=libraries["PAR"],
            start=dt.date(year, 5, 1),
            end=dt.date(year, 5, 1),
            reason="Fête du travail",
        )
    )
    Closure.objects.bulk_create(rows)
