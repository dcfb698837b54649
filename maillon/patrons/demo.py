"""Demo patrons for the Gâtine network: families, pupils, retirees, classes and an EHPAD.

Deterministic (a seeded generator, card numbers from a counter) and idempotent: rows are
found again by card number, so a second run refreshes them instead of adding more.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from maillon.network.models import Library, Partner, PartnerKind, StaffRole
from maillon.patrons.conf import with_check_digit
from maillon.patrons.folding import fold
from maillon.patrons.models import (
    BlockKind,
    CategoryKind,
    Patron,
    PatronBlock,
    PatronCategory,
    ReceiptChoice,
)
from maillon.patrons.services import add_months

# code, name, kind, min age, max age, months, fee
CATEGORIES = [
    ("ADU", "Adulte", CategoryKind.ADULT, 18, None, 12, "Gratuit pour les habitants du réseau"),
    ("ETU", "Étudiant·e, demandeur·se d'emploi", CategoryKind.ADULT, 18, None, 12, "Gratuit"),
    ("JEU", "Jeune (14-17 ans)", CategoryKind.CHILD, 14, 17, 12, "Gratuit"),
    ("ENF", "Enfant (0-13 ans)", CategoryKind.CHILD, 0, 13, 12, "Gratuit"),
    ("COL", "Collectivité", CategoryKind.COLLECTIVE, None, None, 12, "Convention avec la commune"),
    (
        "PRO",
        "Professionnel·le de la petite enfance",
        CategoryKind.COLLECTIVE,
        None,
        None,
        24,
        "Gratuit, carte liée au relais",
    ),
]

# How many individual patrons each library registers (the head library is the busiest).
SHARES = {
    "PAR": 95,
    "SEC": 38,
    "MEN": 30,
    "THE": 28,
    "SAC": 18,
    "MAZ": 34,
    "VAS": 22,
    "AZA": 14,
    "POU": 9,
}

SURNAMES = [
    "Guérin",
    "Bonneau",
    "Brunet",
    "Moreau",
    "Texier",
    "Pineau",
    "Chauvet",
    "Rousseau",
    "Girard",
    "Boutin",
    "Bernier",
    "Gaborit",
    "Audebrand",
    "Fradin",
    "Proust",
    "Sauzeau",
    "Bouchet",
    "Charrier",
    "Chauveau",
    "Coutant",
    "Girault",
    "Métayer",
    "Rabier",
    "Robin",
    "Tessier",
    "Thibault",
    "Gautier",
    "Favreau",
    "Airault",
    "Brémaud",
    "Bonnin",
    "Dupuis",
    "Pouvreau",
    "Boisseau",
    "Bironneau",
    "Jaud",
    "Ménard",
    "Mercier",
    "Picard",
    "Roy",
    "Sabourin",
    "Turpault",
    "Vrignaud",
    "Naudin",
    "Papin",
    "Poupard",
    "Grelier",
    "Hérault",
    "Giraud",
    "Mousset",
    "Bodin",
    "Caillaud",
    "Loiseau",
    "Pelletier",
    "Martin",
    "Bernard",
    "Dubois",
    "Petit",
    "Durand",
    "Leroy",
    "Fontaine",
    "Chevalier",
    "Le Gall",
    "N'Diaye",
    "Da Silva",
    "Nguyen",
    "Haddad",
    "Lopes",
    "Bézier",
    "Lœuillet",
    "Dupré",
    "Sénéchal",
]
# First names by generation (lowest age → names), so that ages and names agree; chosen
# from the age, not the birth year, so a later run keeps everyone's name.
FIRST_NAMES = {
    85: ["Marcel", "Germaine", "René", "Yvette", "Raymond", "Simone", "Roger", "Odette"],
    65: [
        "Michel",
        "Monique",
        "Jean-Claude",
        "Françoise",
        "Gérard",
        "Thérèse",
        "Bernard",
        "Colette",
        "Daniel",
        "Josiane",
    ],
    50: [
        "Philippe",
        "Nathalie",
        "Thierry",
        "Isabelle",
        "Pascal",
        "Sylvie",
        "Éric",
        "Véronique",
        "Patrick",
        "Brigitte",
    ],
    35: [
        "Stéphane",
        "Céline",
        "Sébastien",
        "Sandrine",
        "Jérôme",
        "Aurélie",
        "Frédéric",
        "Émilie",
        "Benoît",
        "Gaëlle",
    ],
    20: [
        "Kévin",
        "Manon",
        "Maxime",
        "Anaïs",
        "Thomas",
        "Pauline",
        "Alexandre",
        "Océane",
        "Quentin",
        "Mélanie",
    ],
    8: ["Lucas", "Léa", "Hugo", "Chloé", "Nathan", "Inès", "Enzo", "Jade", "Théo", "Zoé"],
    0: [
        "Gabriel",
        "Louise",
        "Raphaël",
        "Ambre",
        "Noé",
        "Alba",
        "Léon",
        "Rose",
        "Aaron",
        "Mia",
        "Sacha",
        "Anna",
    ],
}
STREETS = [
    "rue de la Mairie",
    "rue des Écoles",
    "route de Parthenay",
    "chemin des Vignes",
    "rue du Moulin",
    "impasse des Lilas",
    "place de l'Église",
    "rue du Stade",
    "lieu-dit la Bretonnière",
    "lieu-dit les Ouches",
    "rue de la Poste",
    "allée des Tilleuls",
]

# Collective borrowers: (partner name, group name, responsible person, category code)
COLLECTIVES = [
    ("École élémentaire Jules-Ferry", "École Jules-Ferry — classe de CP", "Mme Girard", "COL"),
    ("École élémentaire Jules-Ferry", "École Jules-Ferry — classe de CM2", "M. Robin", "COL"),
    ("EHPAD Les Genêts", "EHPAD Les Genêts — animation", "M. Baudry", "COL"),
    ("Relais Petite Enfance de Gâtine", "Sabourin", "Martine (assistante maternelle)", "PRO"),
    ("Relais Petite Enfance de Gâtine", "Fradin", "Corinne (assistante maternelle)", "PRO"),
    ("École Saint-Joseph", "École Saint-Joseph — classe de CE1-CE2", "M. Pineau", "COL"),
    ("Association Lire en Gâtine", "Lire en Gâtine — lectures à voix haute", "Mme Chauvet", "COL"),
    ("Centre PMI de Thénezay", "PMI de Thénezay — salle d'attente", "Mme Rousseau", "PRO"),
    ("École publique de Mazières", "École de Mazières — classe maternelle", "Mme Moreau", "COL"),
    ("EHPAD Le Logis", "EHPAD Le Logis — portage de livres", "M. Guérin", "COL"),
]

# (position in the generated list, kind, note, still active?)
BLOCKS = [
    (3, BlockKind.OVERDUE, "Trois documents en retard de plus de six semaines", True),
    (17, BlockKind.OVERDUE, "", True),
    (41, BlockKind.LOST, "« Le Petit Prince » déclaré perdu, remplacement attendu", True),
    (58, BlockKind.UNPAID, "Cotisation annuelle non réglée", True),
    (96, BlockKind.BEHAVIOUR, "Incident à la médiathèque, voir la responsable", True),
    (120, BlockKind.OVERDUE, "Retard régularisé", False),
    (150, BlockKind.OTHER, "Adresse à vérifier (courrier revenu)", False),
]
CARD_PREFIX = "2790000"  # 7 digits + a 5-digit counter + a Luhn check digit = 13 digits


def demo_card(index: int) -> str:
    return with_check_digit(f"{CARD_PREFIX}{index:05d}", "luhn")


@transaction.atomic
def build_patrons(today: dt.date) -> None:
    """Create or refresh the demo patrons; the network's demo must have run first."""
    rng = random.Random("maillon-demo-patrons")
    categories = {
        code: PatronCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "min_age": low,
                "max_age": high,
                "registration_months": months,
                "fee_note": fee,
                "is_active": True,
            },
        )[0]
        for code, name, kind, low, high, months, fee in CATEGORIES
    }
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=SHARES)}
    patrons: list[Patron] = []
    index = 0
    for code, count in SHARES.items():
        for _n in range(count):
            index += 1
            patrons.append(_save(_person(rng, today, libraries[code], categories), index))
    partners = {p.name: p for p in Partner.objects.select_related("library")}
    for partner_name, group, responsible, category in COLLECTIVES:
        partner = partners.get(partner_name)
        if partner is None:
            continue
        index += 1
        fields = _validity(rng, today, None, categories[category].registration_months)
        fields.update(
            surname=group,
            first_name="",
            birth_date=None,
            category=categories[category],
            home_library=partner.library,
            partner=partner,
            responsible_person=responsible,
            email=partner.email or f"{fold(group).split()[0]}@example.org",
            phone=partner.phone,
            email_notices=True,
        )
        if partner.kind == PartnerKind.CHILDCARE:
            fields["first_name"] = responsible.split(" ")[0]
        _save(fields, index)
    _blocks(patrons)


def _person(
    rng: random.Random, today: dt.date, library: Library, categories: dict[str, PatronCategory]
) -> dict:
    age = rng.choice([rng.randint(0, 13)] * 3 + [rng.randint(14, 17)] + [rng.randint(18, 92)] * 6)
    # The birthday passed 1 to 364 days ago, so the patron is exactly `age` today.
    birth = add_months(today, -12 * age) - dt.timedelta(days=rng.randint(1, 364))
    generation = max(low for low in FIRST_NAMES if low <= age)
    first_name = rng.choice(FIRST_NAMES[generation])
    surname = rng.choice(SURNAMES)
    if age < 14:
        category = categories["ENF"]
    elif age < 18:
        category = categories["JEU"]
    else:
        category = categories["ETU" if age <= 25 and rng.random() < 0.4 else "ADU"]
    fields = _validity(rng, today, birth, category.registration_months)
    has_email = age >= 14 and rng.random() < 0.7
    email = (
        (
            f"{fold(first_name).replace(' ', '-')}.{fold(surname).replace(' ', '')}"
            f"{rng.randint(1, 99)}@example.org"
        )
        if has_email
        else ""
    )
    fields.update(
        surname=surname,
        first_name=first_name,
        birth_date=birth,
        category=category,
        home_library=library,
        partner=None,
        responsible_person="",
        email=email,
        phone=f"0{rng.choice([5, 6, 7])} "
        + " ".join(f"{rng.randint(0, 99):02d}" for _i in range(4)),
        address=f"{rng.randint(1, 40)} {rng.choice(STREETS)}",
        postcode=library.postcode,
        city=library.commune,
        email_notices=has_email and rng.random() < 0.8,
        newsletters=has_email and rng.random() < 0.25,
        keep_history=rng.random() < 0.2,
        notes="Carte remplacée (perte)" if rng.random() < 0.03 else "",
    )
    return fields


def _validity(rng: random.Random, today: dt.date, birth: dt.date | None, months: int) -> dict:
    """Most cards valid, some about to expire, about one in twelve expired."""
    roll = rng.random()
    if roll < 0.08:
        expires = today - dt.timedelta(days=rng.randint(1, 400))
    elif roll < 0.14:
        expires = today + dt.timedelta(days=rng.randint(0, 30))
    else:
        expires = today + dt.timedelta(days=rng.randint(31, months * 30))
    registered = add_months(expires, -months * rng.randint(1, 6))
    if birth is not None:
        registered = min(max(registered, birth), expires)
    return {"registered_on": registered, "expires_on": expires}


def _save(fields: dict, index: int) -> Patron:
    # One patron in three who takes notices by e-mail wants the loan ticket that way too;
    # decided from the index, not the random generator, so the rest of the demo stays as it was.
    if fields.get("email_notices") and index % 3 == 0:
        fields["receipt"] = ReceiptChoice.EMAIL
    patron, _created = Patron.objects.update_or_create(
        card_number=demo_card(index), defaults=fields
    )
    return patron


def _blocks(patrons: list[Patron]) -> None:
    staff = {role.library_id: role.user for role in StaffRole.objects.select_related("user")}
    now = timezone.now()
    for position, kind, note, active in BLOCKS:
        if position >= len(patrons):
            continue
        patron = patrons[position]
        author = staff.get(patron.home_library_id)
        created = now - dt.timedelta(days=20 + position % 60)
        PatronBlock.objects.update_or_create(
            patron=patron,
            kind=kind,
            note=note,
            library=patron.home_library,
            defaults={
                "created_by": author,
                "created_at": created,
                "lifted_at": None if active else created + dt.timedelta(days=12),
                "lifted_by": None if active else author,
            },
        )
