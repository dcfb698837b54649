import datetime as dt

import pytest

from maillon.network.models import Partner, PartnerKind, Role
from maillon.patrons import services
from maillon.patrons.models import CategoryKind, PatronCategory


@pytest.fixture
def categories(db) -> dict[str, PatronCategory]:
    return {
        "adult": PatronCategory.objects.create(
            code="ADU", name="Adulte", kind=CategoryKind.ADULT, min_age=18, registration_months=12
        ),
        "child": PatronCategory.objects.create(
            code="ENF",
            name="Enfant",
            kind=CategoryKind.CHILD,
            min_age=0,
            max_age=13,
            registration_months=12,
        ),
        "collective": PatronCategory.objects.create(
            code="COL", name="Collectivité", kind=CategoryKind.COLLECTIVE, registration_months=24
        ),
    }


@pytest.fixture
def partner(network) -> Partner:
    return Partner.objects.create(
        library=network["a"],
        name="École des Tilleuls",
        kind=PartnerKind.SCHOOL,
        contact_name="Mme Girard",
    )


@pytest.fixture
def coordinator(staff):
    return staff[Role.COORDINATOR]


@pytest.fixture
def make_patron(network, categories, coordinator):
    """Register through the service, as the coordinator, with sensible defaults."""
    counter = iter(range(10_000_000, 99_999_999))

    def make(library=None, **fields):
        fields.setdefault("card_number", str(next(counter)))
        fields.setdefault("surname", "Martin")
        fields.setdefault("first_name", "Léa")
        fields.setdefault("birth_date", dt.date(1990, 5, 17))
        fields.setdefault("category", categories["adult"])
        return services.register_patron(
            coordinator, library or network["a"], allow_duplicate=True, **fields
        )

    return make
