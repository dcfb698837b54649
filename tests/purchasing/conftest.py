"""Purchasing fixtures: the seeded media, a bookseller, funds at libraries AAA and BBB."""

import importlib
from decimal import Decimal

import pytest
from django.utils import translation

from maillon.purchasing.models import Fund, Medium, Order, OrderLine, Supplier
from tests.circulation_fixtures import TODAY
from tests.corecollection.test_core_collection import demand  # noqa: F401 (a core collection with gaps)

YEAR = TODAY.year


@pytest.fixture(autouse=True)
def _french():
    """The services' messages are checked in French, whatever a previous test activated."""
    with translation.override("fr"):
        yield


@pytest.fixture
def books(db) -> Medium:
    """The seeded row (seeded again after a test on real transactions emptied the tables)."""
    from django.apps import apps

    importlib.import_module("maillon.purchasing.migrations.0002_media").seed(apps, None)
    return Medium.objects.get(code="LIVRE")


@pytest.fixture
def bookseller(books) -> Supplier:
    return Supplier.objects.create(
        name="Librairie La Colline", medium=books, discount=Decimal("9.00"), delivery_days=15
    )


@pytest.fixture
def funds(network) -> dict[str, Fund]:
    return {
        "a": Fund.objects.create(
            library=network["a"], year=YEAR, code="ADU", name="Adultes", amount=Decimal("1000")
        ),
        "a_youth": Fund.objects.create(
            library=network["a"], year=YEAR, code="JEU", name="Jeunesse", amount=Decimal("500")
        ),
        "b": Fund.objects.create(
            library=network["b"], year=YEAR, code="ADU", name="Adultes", amount=Decimal("800")
        ),
    }


@pytest.fixture
def make_line(bookseller, books):
    """An order line written as a row (the order services have their own tests)."""

    def make(record, fund, quantity, price, *, state=Order.State.SENT, **extra):
        order = Order.objects.create(
            number=f"T{Order.objects.count() + 1}",
            supplier=bookseller,
            library=fund.library,
            state=state,
        )
        public = Decimal(price)
        return OrderLine.objects.create(
            order=order,
            record=record,
            fund=fund,
            medium=books,
            quantity=quantity,
            public_price=public,
            discount=Decimal("9.00"),
            net_price=(public * Decimal("0.91")).quantize(Decimal("0.01")),
            vat_rate=Decimal("5.50"),
            **extra,
        )

    return make


@pytest.fixture
def season(staff):
    """An open list with a title priced 20 € (capped at 3 copies) and one without a cap."""
    from maillon.purchasing import selection

    coordinator = staff["coordinator"]
    chosen = selection.create_list(coordinator, "Rentrée littéraire", TODAY, today=TODAY)
    return chosen


@pytest.fixture
def proposed(season, staff, make_record):
    from maillon.purchasing import selection

    coordinator = staff["coordinator"]
    capped = selection.propose(
        coordinator,
        season,
        make_record("Veiller sur elle"),
        public_price=Decimal("22.50"),
        cap=3,
        today=TODAY,
    )
    free = selection.propose(
        coordinator, season, make_record("La Tresse"), public_price=Decimal("20"), today=TODAY
    )
    return {"capped": capped, "free": free}


@pytest.fixture
def open_today(season, funds):
    """The pages read today's date: the list closes in a month, the funds are this year's."""
    import datetime as dt

    season.closes_on = dt.date.today() + dt.timedelta(days=30)
    season.save()
    Fund.objects.update(year=dt.date.today().year)
    return season


@pytest.fixture
def committed(proposed, funds, desk, network):
    """AAA commits 2 + 1 copies, BBB 1 copy of the capped title."""
    from maillon.purchasing import selection

    selection.commit(desk["a"], proposed["capped"], network["a"], funds["a"], 2, today=TODAY)
    selection.commit(desk["a"], proposed["free"], network["a"], funds["a_youth"], 1, today=TODAY)
    selection.commit(desk["b"], proposed["capped"], network["b"], funds["b"], 1, today=TODAY)
    return proposed


@pytest.fixture
def sent_order(committed, season, bookseller, desk, network, types, default_rule, policy):
    """AAA's order built from the list and sent: 3 copies on order."""
    from maillon.purchasing import orders

    built = orders.build_from_list(desk["a"], season, bookseller)
    order = built.orders[0]
    return orders.send(desk["a"], order)


@pytest.fixture
def ratios(types) -> None:
    """The seeded thresholds: 4 by default, 6 for DVDs (seeded again after a flush)."""
    from django.apps import apps

    importlib.import_module("maillon.purchasing.migrations.0004_holds_ratio").seed(apps, None)


@pytest.fixture
def holds_on(make_patron):
    """`n` waiting holds on a record, each by its own patron, for pickup at `library`."""
    from maillon.circulation.models import Hold

    def make(record, library, n):
        for _i in range(n):
            Hold.objects.create(
                record=record, patron=make_patron("Lecteur"), pickup_library=library
            )

    return make
