import datetime as dt

import pytest

from maillon.deposits import services
from maillon.deposits.models import DepositAllowance, DepositLevel, ExchangeSession
from maillon.network.models import Role

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def md_staff(staff):
    return staff[Role.MD_STAFF]


@pytest.fixture
def level(db, types):
    """A small level: 5 items in all (beyond: a warning), 1 DVD at most (beyond: refused)."""
    level = DepositLevel.objects.create(code="T3", name="Niveau test", rank=3, period_months=6)
    DepositAllowance.objects.create(level=level, max_items=5, strict=False)
    DepositAllowance.objects.create(level=level, item_type=types["DVD"], max_items=1)
    return level


@pytest.fixture
def md_item(make_item, record_of, network):
    def make(title=None, **extra):
        return make_item(record_of(title), network["md"], **extra)

    return make


@pytest.fixture
def deposit(md_staff, network, level):
    return services.open_deposit(md_staff, network["md"], network["a"], level, DAY)


@pytest.fixture
def bus(md_staff, deposit):
    return services.open_session(md_staff, deposit, DAY, ExchangeSession.Kind.BIBLIOBUS)
