"""Two people take the workshop's last rolls at once, and two libraries give needs while the
coordinator sends the order: one outcome each time. Real threads on PostgreSQL."""

import pytest
from django.db import connection

from maillon.purchasing import supplies
from maillon.purchasing.models import SupplyArticle, SupplyOrder
from maillon.purchasing.services import PurchasingError
from tests.circulation.test_concurrency import in_parallel, user
from tests.purchasing.test_supplies import articles, season  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_last_rolls_go_to_one_taker(request, staff):
    film = request.getfixturevalue("articles")["film"]
    request.getfixturevalue("season")
    SupplyArticle.objects.filter(pk=film.pk).update(in_stock=4)
    take = lambda: supplies.use(user("coord"), SupplyArticle.objects.get(pk=film.pk), "3")  # noqa: E731
    outcomes = in_parallel(take, take)
    taken = [o for o in outcomes if isinstance(o, SupplyArticle)]
    refused = [o for o in outcomes if isinstance(o, PurchasingError)]
    assert len(taken) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "not_enough_stock"
    assert SupplyArticle.objects.get(pk=film.pk).in_stock == 1


def test_needs_given_while_the_order_is_sent_are_in_it_or_refused(request, staff, desk, network):
    film = request.getfixturevalue("articles")["film"]
    order = request.getfixturevalue("season")
    outcomes = in_parallel(
        lambda: supplies.set_needs(
            user("libr"), SupplyOrder.objects.get(pk=order.pk), network["a"], {film.pk: "2"}
        ),
        lambda: supplies.send(user("coord"), SupplyOrder.objects.get(pk=order.pk)),
    )
    sent = SupplyOrder.objects.get(pk=order.pk)
    assert sent.state == SupplyOrder.State.SENT
    needs = sent.needs.filter(library=network["a"])
    if isinstance(outcomes[0], PurchasingError):
        assert outcomes[0].code == "supply_order_state" and not needs.exists()
    else:
        assert outcomes[0] is None and needs.get().quantity == 2
