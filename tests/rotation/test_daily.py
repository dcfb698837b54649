"""`maillon rotation-daily`: the exchange dates due open by themselves (lots sent through the
rotation service), not before; twice is once; a dry run only says what it would do."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from maillon.audit.models import ActorKind, AuditEntry
from maillon.jobs.registry import DAILY_TASKS
from maillon.lots.models import Lot
from maillon.rotation import services
from maillon.rotation.models import Cell, Exchange


def first_day(plan) -> dt.date:
    """The last sending day of exchange 1 (every move of it is due then)."""
    return max(c.day for c in Cell.objects.filter(plan=plan, number=1, from_library__isnull=False))


def daily(*args) -> str:
    out = StringIO()
    with translation.override("fr"):
        call_command("rotation_daily", *args, stdout=out)
    return out.getvalue()


def states(ring) -> list[tuple[str, int | None]]:
    return [
        (lot.state, lot.destination_id)
        for lot in Lot.objects.filter(pk__in=[lot.pk for lot in ring["lots"]]).order_by("pk")
    ]


def test_a_due_exchange_sends_its_lots_as_the_grid_says(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    output = daily("--date", first_day(plan).isoformat())
    expected = {
        c.lot_id: c.library_id
        for c in Cell.objects.filter(plan=plan, number=1, from_library__isnull=False)
    }
    for lot in Lot.objects.filter(pk__in=expected):
        assert (lot.state, lot.destination_id) == (Lot.State.IN_TRANSIT, expected[lot.pk])
        assert f"{lot.code} {lot.name} : envoyé à" in output
    assert "3 lots envoyés." in output
    assert Exchange.objects.get(plan=plan, number=1).run_at is not None
    sent = AuditEntry.objects.filter(action="lot_sent")
    assert sent.count() == 3 and {e.actor_kind for e in sent} == {ActorKind.SYSTEM}


def test_nothing_is_sent_before_the_day_nor_for_a_draft(ring, desk):
    plan = ring["plan"]
    before = states(ring)
    assert "0 lot envoyé." in daily("--date", first_day(plan).isoformat())  # not published
    services.publish(desk["head"], plan)
    earliest = min(
        c.day for c in Cell.objects.filter(plan=plan, number=1, from_library__isnull=False)
    )
    daily("--date", (earliest - dt.timedelta(days=1)).isoformat())
    assert states(ring) == before
    assert Exchange.objects.get(plan=plan, number=1).run_at is None


def test_twice_is_once(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    day = first_day(plan).isoformat()
    daily("--date", day)
    after_first = (states(ring), AuditEntry.objects.count())
    again = daily("--date", day)
    assert (states(ring), AuditEntry.objects.count()) == after_first
    assert "0 lot envoyé." in again


def test_a_dry_run_prints_the_lots_and_changes_nothing(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    before = (states(ring), AuditEntry.objects.count())
    output = daily("--date", first_day(plan).isoformat(), "--dry-run")
    assert (states(ring), AuditEntry.objects.count()) == before
    for lot in ring["lots"]:
        assert f"{lot.code} {lot.name} : serait envoyé à" in output
    assert "Plan de la Gâtine, échange 1" in output
    assert "3 lots seraient envoyés" in output and "rien n’a été modifié" in output


def test_a_lot_not_where_the_grid_expects_is_left_for_a_person(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    stray = ring["lots"][0]
    Lot.objects.filter(pk=stray.pk).update(state=Lot.State.IN_TRANSIT)  # gone elsewhere by hand
    output = daily("--date", first_day(plan).isoformat())
    assert f"{stray.code} {stray.name} n’est pas" in output
    assert "2 lots envoyés." in output
    assert Exchange.objects.get(plan=plan, number=1).run_at is None


def test_it_joins_the_daily_work(ring, desk):
    task = DAILY_TASKS["maillon.rotation.job_kinds.rotation_daily"]
    services.publish(desk["head"], ring["plan"])
    assert task(first_day(ring["plan"])) == {"lots_sent": 3, "refused": 0}
    assert task(first_day(ring["plan"])) == {"lots_sent": 0, "refused": 0}
