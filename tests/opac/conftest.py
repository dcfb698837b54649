"""A small network catalogue imported from a UNIMARC file, as the public would see it."""

import datetime as dt

import pytest

from maillon.catalogue.importer import import_marc
from maillon.catalogue.marc.extract import Series
from maillon.catalogue.models import Record
from tests.catalogue.factories import item, marc, write
from tests.conftest import make_library


@pytest.fixture
def libraries(db):
    return {
        "a": make_library(
            "AAA",
            name="Médiathèque d'Aval",
            address="1 rue Haute",
            postcode="79000",
            phone="05 49 00 00 01",
            email="aval@example.org",
            latitude="46.648600",
            longitude="-0.247800",
            shuttle_days=[2, 5],
        ),
        "b": make_library("BBB", name="Bibliothèque de Bois", shuttle_days=[3]),
    }


@pytest.fixture
def catalogue(libraries, tmp_path) -> dict[str, Record]:
    """Four records; Stendhal's novel in two editions, one copy of it on loan at BBB."""
    write(
        tmp_path / "cat.mrc",
        [
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1830,
                isbn="9782070412044",
                series=[Series("Folio classique", "17")],
                subjects=["Roman français -- 19e siècle"],
                summary="Julien Sorel, fils de charpentier, veut s'élever.",
                items=[item("A1", "AAA", call_number="R STE"), item("B1", "BBB")],
            ),
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1972,
                isbn="9782253006206",
                items=[item("B3", "BBB", call_number="R STE")],
            ),
            marc("La Chartreuse de Parme", author="Stendhal", year=1839, items=[item("B2", "BBB")]),
            marc(
                "Le Père Goriot", author="Balzac, Honoré de", year=1835, items=[item("A2", "AAA")]
            ),
        ],
    )
    import_marc(tmp_path / "cat.mrc", libraries["a"], reject_dir=tmp_path)
    records = {r.title + (f" {r.year}" if r.year == 1972 else ""): r for r in Record.objects.all()}
    assert len(records) == 4, records
    return records


@pytest.fixture
def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def fr(msgid: str) -> str:
    """A message as the French page shows it (HTML-escaped), whatever its translation."""
    from django.utils.html import escape
    from django.utils.translation import gettext, override

    with override("fr"):
        return escape(gettext(msgid))


PATRON_PASSWORD = "lire-au-jardin-2024"


@pytest.fixture
def make_reader(network, categories):
    """make_reader(card, password=…, **fields): a patron of AAA with an online account."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from maillon.patrons.models import Patron

    def make(
        card: str, password: str | None = PATRON_PASSWORD, category: str = "adult", **extra
    ) -> Patron:
        now = timezone.localdate()
        fields = {
            "card_number": card,
            "surname": "Martin",
            "first_name": "Léa",
            "birth_date": dt.date(1990, 5, 17),
            "category": categories[category],
            "home_library": network["a"],
            "email": f"{card}@example.org",
            "registered_on": now - dt.timedelta(days=100),
            "expires_on": now + dt.timedelta(days=265),
            "password": make_password(password),
        }
        fields.update(extra)
        return Patron.objects.create(**fields)

    return make


@pytest.fixture
def reader(make_reader):
    return make_reader("10000001")


def log_in(client, card: str, password: str = PATRON_PASSWORD):
    """Log a patron in through the page, as a browser would."""
    response = client.post("/compte/connexion/", {"card": card, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response
