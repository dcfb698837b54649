import datetime as dt

import pytest

from maillon.bookings import services
from maillon.bookings.models import BookingRule, ResourceKind
from maillon.network.models import Role

# A fixed Monday; the rules count from it.
TODAY = dt.date(2027, 3, 1)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def kinds(db) -> dict[str, ResourceKind]:
    return {k.code: k for k in ResourceKind.objects.all()}


@pytest.fixture
def people(staff, network, make_staff) -> dict:
    return {
        "md": staff[Role.MD_STAFF],
        "coord": staff[Role.COORDINATOR],
        "a": staff[Role.LIBRARIAN],
        "volunteer": staff[Role.VOLUNTEER],
        "b": make_staff("libb", (network["b"], Role.LIBRARIAN)),
        "volunteer_b": make_staff("volb", (network["b"], Role.VOLUNTEER)),
    }


@pytest.fixture
def expo(people, network, kinds):
    return services.create_resource(
        people["md"],
        kind=kinds["exposition"],
        title="Les p’tites bêtes du jardin",
        owner=network["md"],
        contents="12 panneaux\n1 livret",
        crates=3,
    )


@pytest.fixture
def kit(people, network, kinds):
    return services.create_resource(
        people["md"],
        kind=kinds["valise"],
        title="Valise Kamishibaï contes du monde",
        owner=network["md"],
    )


@pytest.fixture
def expo2(people, network, kinds):
    return services.create_resource(
        people["md"], kind=kinds["exposition"], title="Arbres", owner=network["md"]
    )


def book(actor, library, resource, start: int, end: int):
    return services.request_booking(actor, library, resource, days(start), days(end), today=TODAY)


__all__ = ["TODAY", "BookingRule", "book", "days"]
