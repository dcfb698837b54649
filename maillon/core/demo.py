"""The demo: each part of Maillon adds its share to one believable network."""

from typing import TextIO

from django.utils import timezone

from maillon.catalogue.demo import build_catalogue
from maillon.circulation.demo import build_circulation
from maillon.network.demo import build_network
from maillon.patrons.demo import build_patrons

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
        progress.write("Prêts (historique et en cours), réservations et navette…")
    build_circulation(today)
    return accounts
