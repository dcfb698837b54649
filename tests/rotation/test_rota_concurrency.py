"""The daily job and the coordinator's "advance now" run the rota advance at the same moment:
each item moves once (one transfer, one change of home), and neither run reports an item the
other one moved. Real threads on PostgreSQL (SQLite lets one writer in at a time)."""

import datetime as dt

import pytest
from django.db import connection

from maillon.audit.models import AuditEntry
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkout
from maillon.rotation import rotas
from maillon.rotation.models import RotaItem
from tests.circulation.conftest import TODAY
from tests.circulation.test_concurrency import in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_advances_at_once_move_each_item_once(desk, network, make_item, make_patron, record_of):
    rota = rotas.create(desk["head"], "Mangas en tournée")
    rotas.add_stage(desk["head"], rota, network["a"], 30)
    rotas.add_stage(desk["head"], rota, network["b"], 30)
    items = [make_item(record_of(f"Manga {n}"), network["a"]) for n in range(6)]
    for item in items:
        rotas.add_item(desk["head"], rota, item.barcode)
    RotaItem.objects.update(since=TODAY)
    reader = make_patron()
    for item in items[:2]:  # on loan: they only change home
        checkout(desk["a"], network["a"], reader.card_number, item.barcode, today=TODAY)
    day = TODAY + dt.timedelta(days=30)

    outcomes = in_parallel(
        lambda: rotas.advance(user("coord"), day), lambda: rotas.advance(user("coord"), day)
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    reported = sorted(step.entry.item_id for done in outcomes for step in done)
    assert reported == sorted(item.pk for item in items)  # each once, by one run or the other
    assert {step.outcome for done in outcomes for step in done} == {rotas.MOVED, rotas.FOLLOWS}
    assert Transfer.objects.filter(item__in=items).count() == 4  # the four on the shelf
    changes = AuditEntry.objects.filter(action__contains="home").count()
    assert changes == 6
    assert set(RotaItem.objects.values_list("stage__library", flat=True)) == {network["b"].pk}
