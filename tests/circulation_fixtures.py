"""Circulation fixtures for every test: a small network with patrons, records and items, built
with real rows (registered as a plugin by tests/conftest.py).

Dates are fixed (TODAY is a Monday) and passed to the services; libraries AAA and BBB are served
by the shuttle on Tuesdays and Fridays, HEAD on every weekday (see tests/conftest.py).
"""

import datetime as dt
import itertools

import pytest

from maillon.catalogue.models import Collection, Item, ItemType, Record
from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.network.models import Role
from maillon.patrons.models import CategoryKind, Patron, PatronCategory

TODAY = dt.date(2025, 3, 3)  # a Monday


@pytest.fixture
def categories(db) -> dict[str, PatronCategory]:
    def get(code, name, kind):
        return PatronCategory.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )[0]

    return {
        "adult": get("ADU", "Adulte", CategoryKind.ADULT),
        "child": get("ENF", "Enfant", CategoryKind.CHILD),
        "collective": get("COL", "Collectivité", CategoryKind.COLLECTIVE),
    }


@pytest.fixture
def types(db) -> dict[str, ItemType]:
    return {
        code: ItemType.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (("LIVRE", "Livre"), ("DVD", "DVD"), ("NOUV", "Nouveauté"))
    }


@pytest.fixture
def default_rule(db) -> LoanRule:
    """The rule the migration seeds (recreated if a transactional test flushed it)."""
    rule, _created = LoanRule.objects.get_or_create(
        library=None,
        patron_category=None,
        item_type=None,
        defaults={"loan_days": 21, "renewals": 2, "holds_allowed": True, "hold_shelf_days": 10},
    )
    return rule


@pytest.fixture
def policy(db) -> NetworkPolicy:
    return NetworkPolicy.current()


@pytest.fixture
def desk(staff, network, make_staff) -> dict:
    """Who works where: librarians at AAA and BBB, a volunteer at AAA, the coordinator."""
    return {
        "a": staff[Role.LIBRARIAN],
        "volunteer": staff[Role.VOLUNTEER],
        "b": make_staff("libb", (network["b"], Role.LIBRARIAN)),
        "head": staff[Role.COORDINATOR],
    }


@pytest.fixture
def make_patron(network, categories):
    cards = itertools.count(10000001)

    def make(surname="Martin", first_name="Léa", category="adult", home=None, **extra):
        fields = {
            "card_number": str(next(cards)),
            "surname": surname,
            "first_name": first_name,
            "birth_date": dt.date(1990, 5, 17),
            "category": categories[category],
            "home_library": home or network["a"],
            "registered_on": TODAY - dt.timedelta(days=100),
            "expires_on": TODAY + dt.timedelta(days=265),
        }
        fields.update(extra)
        return Patron.objects.create(**fields)

    return make


@pytest.fixture
def make_record(db):
    def make(title="Le Petit Prince"):
        return Record.objects.create(
            title=title, marc=b"", sort_title=title.lower(), match_key=title.lower()
        )

    return make


@pytest.fixture
def make_item(network, types, default_rule, policy):
    barcodes = itertools.count(1001)

    def make(record, home=None, *, current=None, item_type="LIVRE", floating=False, **extra):
        home = home or network["a"]
        collection = None
        if floating:
            collection = Collection.objects.get_or_create(
                code="FLOT", defaults={"name": "Fonds flottant", "floating": True}
            )[0]
        return Item.objects.create(
            record=record,
            barcode=f"B{next(barcodes)}",
            owner=home,
            home=home,
            current=current or home,
            item_type=types[item_type],
            collection=collection,
            **extra,
        )

    return make


@pytest.fixture
def book(make_record):
    return make_record("Le Petit Prince")


@pytest.fixture
def record_of(db):
    """Records with what weeding and inventory read: year, Dewey class, kind, author."""
    numbers = itertools.count(1)

    def make(title=None, *, year=None, dewey="", doc_type="text", author=""):
        title = title or f"Titre {next(numbers)}"
        return Record.objects.create(
            title=title,
            year=year,
            classification=dewey,
            doc_type=doc_type,
            authors=[{"name": author, "role": "auteur"}] if author else [],
            marc=b"",
            sort_title=title.lower(),
            match_key=title.lower(),
        )

    return make
