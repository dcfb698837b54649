"""The demo has a running circulation plan: the twelve crates among the six libraries of the
Gâtine, a year of exchanges generated and published, shown on each library's home page."""

import datetime as dt

from maillon.circulation import capacity
from maillon.lots.demo import build_lots
from maillon.network.models import Library
from maillon.rotation import rotas, runsheet, services
from maillon.rotation.demo import NAME, ROTA, build_rotation
from maillon.rotation.models import Cell, Plan, Rota

TODAY = dt.date(2026, 11, 25)


def test_demo_rotation(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    build_lots()
    made = build_rotation(TODAY)
    assert made == {"plans": 1, "exchanges": 6, "broken": 0, "rota_items": 6}
    rota = Rota.objects.get(name=ROTA)
    rows = rotas.where(rota, TODAY)
    assert [row["stage"].library.code for row in rows] == ["PAR"] * 6
    assert len({row["moves_on"] for row in rows}) == 6  # the next moves fall on different days
    plan = Plan.objects.get(name=NAME)
    assert plan.published_at is not None and plan.members.count() == 6
    assert Cell.objects.filter(plan=plan, number=6).count() == 12
    assert services.check(plan) == []
    for library in Library.objects.filter(code__in=["PAR", "VAS", "THE"]):
        coming = services.next_exchange(library, TODAY)
        assert coming and coming[0].send and coming[0].exchange.number == 1
    full = {
        line.library.code: line for line in capacity.stock_against_capacity(Library.objects.all())
    }
    assert full["POU"].max_items == full["POU"].stock + 15 and full["POU"].max_copies == 1
    assert [s.library.code for s in runsheet.runs(TODAY)[0].stops][0] == "PAR"
    assert build_rotation(TODAY) == {}
