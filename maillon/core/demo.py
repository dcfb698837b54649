"""The demo: each part of Maillon adds its share to one believable network."""

from typing import TextIO

from django.utils import timezone

from maillon.network.demo import build_network

DEMO_PASSWORD = "maillon-demo"


def build_demo(progress: TextIO | None = None) -> list[tuple[str, str]]:
    today = timezone.localdate()
    if progress:
        progress.write("Réseau, bibliothèques, horaires, partenaires et personnel…")
    accounts = build_network(DEMO_PASSWORD, today)
    return accounts
