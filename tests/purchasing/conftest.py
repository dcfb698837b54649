"""Purchasing fixtures: the seeded media, a bookseller, funds at libraries AAA and BBB."""

from decimal import Decimal

import pytest

from maillon.purchasing.models import Fund, Medium, Order, OrderLine, Supplier
from tests.circulation_fixtures import TODAY

YEAR = TODAY.year


@pytest.fixture
def books(db) -> Medium:
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
