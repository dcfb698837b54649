"""Two people run the same exchange date at once (the coordinator and a library's desk): each
lot is sent once, neither sees an error, and the date is marked run. Real threads on
PostgreSQL (SQLite lets one writer in at a time)."""

import pytest
from django.db import connection

from maillon.circulation.models import Transfer
from maillon.lots.models import Lot, LotItem
from maillon.rotation import services
from maillon.rotation.models import Cell, Exchange, Plan
from tests.circulation.test_concurrency import in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_runs_at_once_send_each_lot_once(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    a = ring["libraries"][0]

    def run(username, library=None):
        return lambda: services.run_exchange(
            user(username), Plan.objects.get(pk=plan.pk), 1, library
        )

    outcomes = in_parallel(run("coord"), run("volunt", a))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    sent = [label for o in outcomes for label in o.sent]
    assert len(sent) == len(set(sent)) == 3
    assert not [text for o in outcomes for text in o.refused]
    items = LotItem.objects.filter(lot__in=ring["lots"]).values("item")
    assert Transfer.objects.filter(item__in=items).count() == 6  # two items a lot, once each
    moves = {c.lot_id: c.library_id for c in Cell.objects.filter(plan=plan, number=1)}
    for lot in Lot.objects.filter(pk__in=moves):
        assert lot.destination_id == moves[lot.pk]
    assert Exchange.objects.get(plan=plan, number=1).run_at is not None
