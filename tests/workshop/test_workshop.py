"""The shared workshop: items travel to it as transfers, queue there, are worked in batches
(what was done, time spent, a replacement proposed), go home; labels print on A4 sheets."""

import pytest
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue import items as item_service
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import TransferReason
from maillon.circulation.services import receive_transfer, send_transfer
from maillon.weeding import services as weeding
from maillon.workshop import labels, services
from maillon.workshop.models import Batch, LabelSheet, WorkOrder, Workshop
from tests.circulation.helpers import assert_item_consistent
from tests.weeding.conftest import TODAY, default_criteria, years_ago  # noqa: F401


@pytest.fixture
def workshop(network):
    return Workshop.objects.create(library=network["head"])


@pytest.fixture
def arrived(desk, network, workshop, make_item, book):
    """Two items of library a at the workshop's queue: one to repair, one to equip."""

    def make():
        torn = make_item(book, network["a"], call_number="R SAI P")
        new = make_item(book, network["a"], call_number="BD HER 12")
        item_service.mark_damaged(desk["a"], torn)
        orders = [
            services.send(desk["a"], network["a"], torn.barcode, "repair", note="Dos décollé"),
            services.send(desk["a"], network["a"], new.barcode, "equip"),
        ]
        for order in orders:
            send_transfer(desk["a"], network["a"], order.item.barcode)
            result = receive_transfer(desk["head"], network["head"], order.item.barcode)
            assert result.action == "shelve" and "atelier" in result.message
        return [WorkOrder.objects.get(pk=o.pk) for o in orders]

    return make


def test_sent_by_the_shuttle_and_queued(desk, network, arrived):
    torn, new = arrived()
    assert torn.transfer.reason == TransferReason.WORKSHOP
    assert (torn.state, new.state) == (WorkOrder.State.QUEUED, WorkOrder.State.QUEUED)
    item = assert_item_consistent(torn.item)
    assert (item.status, item.current, item.home) == (
        ItemStatus.DAMAGED,
        network["head"],
        network["a"],
    )
    assert assert_item_consistent(new.item).status == ItemStatus.IN_PROCESSING
    with pytest.raises(services.WorkshopError) as twice:
        services.send(desk["head"], network["head"], torn.item.barcode, "repair")
    assert twice.value.code == "already_at_workshop"
    figures = services.figures(torn.workshop, None)
    assert figures.queued == {"repair": 1, "equip": 1} and figures.travelling == 0


def test_a_batch_created_closed_sent_received(desk, network, arrived):
    torn, new = arrived()
    batch = services.create_batch(desk["head"], "Semaine 12")
    for order in (torn, new):
        services.add_to_batch(desk["head"], batch, order.item.barcode)
    with pytest.raises(services.WorkshopError) as not_queued:
        services.add_to_batch(desk["head"], batch, torn.item.barcode)
    assert not_queued.value.code == "not_queued"
    services.record_work(desk["head"], torn, ["mend", "cover"], 25, replace=True)
    services.record_work(desk["head"], new, ["cover", "spine", "rfid", "barcode"], 8)
    for bad in (
        lambda: services.record_work(desk["head"], new, ["paint"], 8),
        lambda: services.record_work(desk["head"], new, [], 9999),
    ):
        with pytest.raises(services.WorkshopError):
            bad()
    with pytest.raises(services.WorkshopError) as early:
        services.send_batch(desk["head"], batch)
    assert early.value.code == "batch_not_closed"
    services.close_batch(desk["head"], batch)
    with pytest.raises(services.WorkshopError):
        services.add_to_batch(desk["head"], batch, "B9999")
    services.send_batch(desk["head"], batch)
    batch.refresh_from_db()
    assert batch.state == Batch.State.SENT and services.received(batch) == (0, 2)
    for order in (torn, new):
        order.refresh_from_db()
        assert order.state == WorkOrder.State.SENT
        item = assert_item_consistent(order.item)
        assert item.status == ItemStatus.IN_TRANSIT
        send_transfer(desk["head"], network["head"], item.barcode)
        receive_transfer(desk["a"], network["a"], item.barcode)
        item = assert_item_consistent(item)
        assert (item.status, item.current) == (ItemStatus.AVAILABLE, network["a"])
    assert services.received(batch) == (2, 2)
    done = entries_for(torn.item).get(action="workshop_done")
    assert done.details == {"tasks": "cover, mend", "minutes": 25, "replace": True}
    figures = services.figures(torn.workshop, None)
    assert figures.minutes_per_item == pytest.approx(16.5)
    assert figures.days_at_workshop is not None and figures.days_at_workshop < 1


def test_refusals(desk, network, workshop, make_item, book, make_patron):
    item = make_item(book, network["a"])
    with pytest.raises(services.WorkshopError) as elsewhere:
        services.send(desk["b"], network["b"], item.barcode, "repair")
    assert elsewhere.value.code == "not_here"
    with pytest.raises(services.WorkshopError) as kind:
        services.send(desk["a"], network["a"], item.barcode, "paint")
    assert kind.value.code == "kind_unknown"
    Workshop.objects.all().delete()
    with pytest.raises(services.WorkshopError) as none:
        services.send(desk["a"], network["a"], item.barcode, "repair")
    assert none.value.code == "no_workshop"


def test_at_the_workshop_itself_an_item_queues_at_once(desk, network, workshop, make_item, book):
    item = make_item(book, network["head"])
    order = services.send(desk["head"], network["head"], item.barcode, "equip")
    assert order.state == WorkOrder.State.QUEUED and order.transfer is None
    assert assert_item_consistent(item).status == ItemStatus.IN_PROCESSING


def test_label_sheets(desk, network, arrived):
    torn, new = arrived()
    sheet = LabelSheet.objects.create(
        name="Planche 2 × 3",
        columns=2,
        rows=3,
        label_width=90,
        label_height=90,
        top=5,
        left=10,
        column_gap=5,
        row_gap=2,
    )
    positions = labels.placed(sheet, 5, skip=2)
    assert [len(page) for page in positions] == [4, 1]
    # Two labels already used: the first goes on the second row, first column.
    assert positions[0][0] == {"top": 5 + 90 + 2, "left": 10}
    assert positions[0][1] == {"top": 5 + 90 + 2, "left": 10 + 90 + 5}
    assert positions[1][0] == {"top": 5, "left": 10}
    batch = services.create_batch(desk["head"], "Étiquettes")
    services.add_to_batch(desk["head"], batch, torn.item.barcode)
    services.add_to_batch(desk["head"], batch, new.item.barcode)
    html = labels.html([torn.item, new.item], sheet, "spine")
    assert "BD" in html and "HER" in html and "SAI" in html
    assert "<svg" in labels.html([torn.item], sheet, "barcode")


def test_pages(client_fr, desk, network, arrived):
    torn, new = arrived()
    client_fr.force_login(desk["head"])
    page = client_fr.get(reverse("workshop:queue")).content.decode()
    assert torn.item.barcode in page and "Dos décollé" in page
    client_fr.post(reverse("workshop:create_batch"), {"name": "Lundi"})
    batch = Batch.objects.get(name="Lundi")
    client_fr.post(reverse("workshop:add", args=[batch.pk]), {"barcode": torn.item.barcode})
    response = client_fr.post(
        reverse("workshop:work", args=[batch.pk, torn.pk]),
        {"tasks": ["mend"], "minutes": "abc"},
        follow=True,
    )
    assert "minutes" in response.content.decode()
    for kind in ("spine", "barcode"):
        pdf = client_fr.get(reverse("workshop:labels", args=[batch.pk]) + f"?type={kind}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client_fr.force_login(desk["a"])
    refused = client_fr.post(
        reverse("workshop:send"), {"barcode": "INCONNU", "kind": "repair"}, follow=True
    )
    assert "INCONNU" in refused.content.decode()


def test_a_weeding_review_sends_to_repair(desk, network, workshop, make_item, record_of):
    item = make_item(
        record_of("Un roman abîmé", year=TODAY.year - 20), network["a"], last_loan_at=years_ago(6)
    )
    campaign = weeding.create_campaign(desk["a"], network["a"], "Printemps")
    weeding.decide(desk["a"], campaign.candidates.get(item=item), "repair")
    weeding.confirm(desk["a"], campaign)
    order = WorkOrder.objects.get(item=item)
    assert order.state == WorkOrder.State.TRAVELLING and order.kind == "repair"
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT
