"""Single items on a rota: stages (library, days), items added by scan, a daily advance through
the item and circulation services; an item on loan follows when returned."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkin, checkout
from maillon.lots import services as lots
from maillon.rotation import rotas
from maillon.rotation.models import RotaItem
from tests.circulation.conftest import TODAY


@pytest.fixture
def rota(desk, network):
    """AAA for 30 days, then BBB for 60, then round again."""
    found = rotas.create(desk["head"], "Nouveautés BD en tournée")
    rotas.add_stage(desk["head"], found, network["a"], 30)
    rotas.add_stage(desk["head"], found, network["b"], 60)
    return found


def test_items_move_stage_by_stage_and_round_again(rota, desk, network, make_item, record_of):
    item = make_item(record_of("Astérix"), network["a"])
    entry = rotas.add_item(desk["head"], rota, item.barcode)
    entry.since = TODAY
    entry.save()
    assert entry.stage.library == network["a"]
    assert rotas.advance(desk["head"], TODAY + dt.timedelta(days=29)) == []
    done = rotas.advance(desk["head"], TODAY + dt.timedelta(days=30))
    assert [d.outcome for d in done] == [rotas.MOVED]
    item.refresh_from_db()
    assert item.home == network["b"] and item.current == network["a"]
    transfer = Transfer.objects.get(item=item)
    assert transfer.to_library == network["b"]
    # Run again the same day: nothing more (the item is at its new stage since that day).
    assert rotas.advance(desk["head"], TODAY + dt.timedelta(days=30)) == []
    assert Transfer.objects.filter(item=item).count() == 1
    # The transfer is still on its way 60 days later: it waits, no second transfer.
    later = TODAY + dt.timedelta(days=90)
    checkin(desk["head"], network["b"], item.barcode, today=TODAY + dt.timedelta(days=32))
    item.refresh_from_db()
    assert item.current == network["b"] and item.status == ItemStatus.AVAILABLE
    done = rotas.advance(desk["head"], later)
    assert [d.to.library for d in done] == [network["a"]]  # round again: cyclical
    item.refresh_from_db()
    assert item.home == network["a"]


def test_an_item_on_loan_follows_when_returned(
    rota, desk, network, make_item, record_of, make_patron
):
    item = make_item(record_of("Tintin"), network["a"])
    entry = rotas.add_item(desk["head"], rota, item.barcode)
    entry.since = TODAY
    entry.save()
    patron = make_patron()
    checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    done = rotas.advance(desk["head"], TODAY + dt.timedelta(days=30))
    assert [d.outcome for d in done] == [rotas.FOLLOWS]
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN and item.home == network["b"]
    assert not Transfer.objects.filter(item=item).exists()
    # Returned at its old library: it goes to the rota's next library.
    result = checkin(desk["a"], network["a"], item.barcode, today=TODAY + dt.timedelta(days=31))
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRANSIT
    assert Transfer.objects.get(item=item).to_library == network["b"]
    assert result is not None


def test_away_items_wait_and_new_items_join_the_first_stage(
    rota, desk, network, make_item, record_of
):
    away = make_item(record_of("Loin"), network["head"])
    entry = rotas.add_item(desk["head"], rota, away.barcode)
    assert entry.stage is None  # its home is on no stage: the first one, at the next run
    lines = StringIO()
    call_command("rotation_daily", "--dry-run", f"--date={TODAY.isoformat()}", stdout=lines)
    assert away.barcode in lines.getvalue() and network["a"].name in lines.getvalue()
    assert RotaItem.objects.get(pk=entry.pk).stage is None  # a dry run changes nothing
    away.status = ItemStatus.MISSING
    away.save()
    done = rotas.advance(desk["head"], TODAY)
    assert [d.outcome for d in done] == [rotas.WAITING]
    away.status = ItemStatus.AVAILABLE
    away.save()
    call_command("rotation_daily", f"--date={TODAY.isoformat()}", stdout=StringIO())
    entry.refresh_from_db()
    away.refresh_from_db()
    assert entry.stage.library == network["a"] and away.home == network["a"]


def test_bad_input(rota, desk, network, make_item, record_of):
    item = make_item(record_of("Deux fois"), network["a"])
    rotas.add_item(desk["head"], rota, item.barcode)
    other = rotas.create(desk["head"], "Autre")
    rotas.add_stage(desk["head"], other, network["b"], 10)
    with pytest.raises(rotas.RotaError) as error:
        rotas.add_item(desk["head"], other, item.barcode)
    assert error.value.code == "on_a_rota" and "Nouveautés BD" in error.value.message
    crate = lots.create(desk["head"], network["a"], "Caisse")
    boxed = make_item(record_of("En caisse"), network["a"])
    lots.add(desk["head"], crate, boxed.barcode)
    with pytest.raises(rotas.RotaError) as error:
        rotas.add_item(desk["head"], other, boxed.barcode)
    assert error.value.code == "in_a_lot"
    with pytest.raises(rotas.RotaError) as error:
        rotas.add_stage(desk["head"], other, network["b"], 5)
    assert error.value.code == "same_library"
    with pytest.raises(rotas.RotaError) as error:
        rotas.add_stage(desk["head"], other, network["a"], 0)
    assert error.value.code == "days_invalid"
    empty = rotas.create(desk["head"], "Vide")
    with pytest.raises(rotas.RotaError) as error:
        rotas.add_item(desk["head"], empty, item.barcode)
    assert error.value.code == "no_stages"
    with pytest.raises(PermissionDenied):
        rotas.create(desk["a"], "Pas le coordinateur")


def test_staff_page_builds_a_rota_adds_by_scan_and_shows_where(
    client, rota, desk, network, make_item, record_of
):
    item = make_item(record_of("Lucky Luke"), network["a"])
    client.force_login(desk["head"])
    page = client.get(reverse("rotation:rotas"))
    assert "Nouveautés BD en tournée" in page.content.decode()
    response = client.post(
        reverse("rotation:rotas"), {"name": "Romans ados", "cyclical": "on"}, follow=True
    )
    assert response.status_code == 200 and "Romans ados" in response.content.decode()
    url = reverse("rotation:rota", args=[rota.pk])
    client.post(url, {"action": "scan", "barcode": item.barcode})
    client.post(url, {"action": "stage", "library": network["head"].pk, "days": 15})
    page = client.get(url).content.decode()
    assert item.barcode in page and "Lucky Luke" in page
    assert network["head"].name in page and "15" in page
    client.post(url, {"action": "scan", "barcode": "INCONNU"})
    page = client.get(url).content.decode()
    assert "INCONNU" in page  # the refusal names the barcode
    client.force_login(desk["a"])
    assert client.post(url, {"action": "scan", "barcode": item.barcode}).status_code == 403
