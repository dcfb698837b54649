"""Proposals from usage: idle copies wanted elsewhere, low stock of a kind against its loans,
long hold queues with idle copies elsewhere; each one click from the shuttle or a lot."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan, Transfer
from maillon.circulation.services import place_hold
from maillon.lots import services as lots
from maillon.lots.models import LotItem
from maillon.rotation import proposals
from tests.circulation.conftest import TODAY

LONG_AGO = timezone.now() - dt.timedelta(days=800)


def _idle(make_item, record, library, **extra):
    item = make_item(record, library, last_loan_at=LONG_AGO, **extra)
    Item.objects.filter(pk=item.pk).update(created_at=LONG_AGO)
    return item


def _lend(item, library, days_ago=30):
    Loan.objects.create(
        item=item,
        library=library,
        checked_out_at=timezone.now() - dt.timedelta(days=days_ago),
        due_on=TODAY,
        loan_days=21,
        returned_at=timezone.now(),
    )


def test_idle_here_and_lent_elsewhere(network, make_item, record_of):
    a, b = network["a"], network["b"]
    wanted = record_of("Lu ailleurs")
    idle = _idle(make_item, wanted, a)
    _lend(make_item(wanted, b), b)
    _idle(make_item, record_of("Personne ne le lit"), a)
    found = [p for p in proposals.proposals(a) if p.kind == proposals.IDLE]
    assert [(p.item, p.to_library) for p in found] == [(idle, b)]
    with translation.override("fr"):
        why = proposals.proposals(a)[0].why
    assert why == "Pas prêté ici depuis 12 mois ; prêté 1 fois à la Bibliothèque BBB."


def test_low_stock_of_a_kind_brings_idle_copies(network, make_item, record_of):
    a, b = network["a"], network["b"]
    busy = make_item(record_of("DVD très prêté"), a, item_type="DVD")
    for _n in range(6):
        _lend(busy, a)
    sleeping = [_idle(make_item, record_of(f"DVD {n}"), b, item_type="DVD") for n in range(3)]
    _lend(sleeping[0], b, days_ago=500)  # long ago: not in the window
    found = [p for p in proposals.proposals(a) if p.kind == proposals.LOW_STOCK]
    assert {p.item for p in found} == set(sleeping) and {p.to_library for p in found} == {a}


def test_long_queue_and_idle_copy_elsewhere(network, desk, make_item, record_of, make_patron):
    a, b = network["a"], network["b"]
    wanted = record_of("Prix Goncourt")
    make_item(wanted, a, status=ItemStatus.ON_LOAN)
    idle = _idle(make_item, wanted, b)
    for n in range(3):
        place_hold(desk["a"], a, make_patron(surname=f"L{n}"), wanted, a, today=TODAY)
    found = [p for p in proposals.proposals(a) if p.kind == proposals.QUEUE]
    assert [(p.item, p.to_library) for p in found] == [(idle, a)]


def test_one_click_to_send_or_to_add_to_a_lot(client_fr, network, desk, make_item, record_of):
    a, b = network["a"], network["b"]
    wanted = record_of("Lu ailleurs")
    idle = _idle(make_item, wanted, a)
    _lend(make_item(wanted, b), b)
    crate = lots.create(desk["a"], a, "Caisse pour BBB")
    client_fr.force_login(desk["head"])
    url = reverse("rotation:proposals") + f"?library={a.pk}"
    page = client_fr.get(url).content.decode()
    assert "Lu ailleurs" in page and crate.code in page
    client_fr.post(reverse("rotation:proposal_lot"), {"item": idle.pk, "lot": crate.code})
    assert LotItem.objects.filter(lot=crate, item=idle).exists()
    lots.remove(desk["a"], crate, idle)
    client_fr.post(reverse("rotation:proposal_send"), {"item": idle.pk, "to_library": b.pk})
    idle.refresh_from_db()
    assert idle.home_id == b.pk and idle.status == ItemStatus.IN_TRANSIT
    assert Transfer.objects.get(item=idle).to_library_id == b.pk


def test_a_forged_number_is_an_unknown_item_not_an_error(client_fr, network, desk):
    client_fr.force_login(desk["head"])
    sent = client_fr.post(reverse("rotation:proposal_send"), {"item": "abc", "to_library": "1"})
    assert sent.status_code == 404
    sent = client_fr.post(reverse("rotation:proposal_lot"), {"item": "1; DROP", "lot": "X"})
    assert sent.status_code == 404
