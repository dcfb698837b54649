"""The demo: each part of Maillon adds its share to one believable network."""

import datetime as dt
from typing import TextIO

from django.utils import timezone

from maillon.bookings.demo import build_bookings
from maillon.catalogue.demo import build_catalogue
from maillon.circulation.demo import build_circulation, seed_rules
from maillon.circulation.models import HoldStatus
from maillon.corecollection.demo import build_collection_policy
from maillon.deposits.demo import build_deposits
from maillon.inventory.demo import build_inventory
from maillon.lots.demo import build_lots
from maillon.network.demo import build_network
from maillon.offline.demo import build_offline
from maillon.patrons.demo import build_patrons
from maillon.patrons.models import CategoryKind, Patron
from maillon.patrons.services import set_own_password
from maillon.programme.demo import build_programme, link_booked_resources, propose_picks
from maillon.purchasing.demo import build_purchasing
from maillon.rotation.demo import build_rotation
from maillon.sip2.demo import build_terminals
from maillon.stats.demo import build_stats
from maillon.weeding.demo import build_weeding

DEMO_PASSWORD = "maillon-demo"


def build_demo(progress: TextIO | None = None) -> list[tuple[str, str]]:
    today = timezone.localdate()
    if progress:
        progress.write("Réseau, bibliothèques, horaires, partenaires et personnel…")
    accounts = build_network(DEMO_PASSWORD, today)
    if progress:
        progress.write("Usagers, catégories, collectivités et blocages…")
    build_patrons(today)
    if progress:
        progress.write("Catalogue (notices UNIMARC et exemplaires dans toutes les bibliothèques)…")
    summary = build_catalogue()
    if progress:
        progress.write(f"  {summary}")
    if progress:
        progress.write("Règles de prêt, prêts (historique et en cours), réservations et navette…")
    seed_rules()
    build_circulation(today)
    if progress:
        progress.write(
            "Désherbage (une campagne en cours, une confirmée avec son procès-verbal), récolement…"
        )
    return accounts + build_on_ground(today)


def build_on_ground(today: dt.date) -> list[tuple[str, str]]:
    """Every part the demo adds on top of its ground (network, patrons, catalogue, circulation:
    what the tests build once, tests/demo_base.py); returns the terminal and patron accounts."""
    seed_rules()  # nothing when build_demo made them before the loans
    build_weeding(today)
    build_inventory()
    build_programme(today)
    build_lots()
    build_rotation(today)
    build_bookings(today)
    link_booked_resources(today)
    build_deposits(today)
    build_collection_policy(today)
    build_offline(today)
    build_purchasing(today)
    # The reading committee's picks onto the purchasing list (the programme sits above).
    propose_picks(today)
    build_stats(today)
    return build_terminals(DEMO_PASSWORD) + give_patron_accounts(DEMO_PASSWORD)


def give_patron_accounts(password: str) -> list[tuple[str, str]]:
    """Public-catalogue accounts for three demo patrons whose account shows real work: a
    reader with a hold ready, one with a hold on its way, and a collective borrower.
    Returns (card number, description) like the staff accounts."""
    wanted = [
        (
            # `loans__returned_at=None` alone would also match patrons with no loan at all.
            Patron.objects.filter(
                holds__status=HoldStatus.READY, category__kind=CategoryKind.ADULT
            ).filter(loans__isnull=False, loans__returned_at__isnull=True),
            "lecteur·rice : réservation disponible, prêts en cours (catalogue public /compte/)",
        ),
        (
            Patron.objects.filter(holds__status=HoldStatus.IN_TRANSIT),
            "lecteur·rice : réservation en route par la navette",
        ),
        (
            Patron.objects.filter(
                category__kind=CategoryKind.COLLECTIVE,
                loans__isnull=False,
                loans__returned_at__isnull=True,
            ),
            "collectivité : ses prêts en cours",
        ),
    ]
    accounts: list[tuple[str, str]] = []
    for candidates, description in wanted:
        patron = (
            candidates.exclude(card_number__in=[card for card, _d in accounts])
            .filter(expires_on__gte=timezone.localdate())
            .order_by("card_number")
            .first()
        )
        if patron is not None:
            set_own_password(patron, password)
            accounts.append((patron.card_number, description))
    return accounts
