"""Shuttle run sheets: per shuttle day, the stops in the set order with what goes on and off —
single transfers, lots and deposit crates counted as crates — and the run's volume against the
coordinator's limit; printable as PDF."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from maillon.circulation.transfers import create_transfer, send_transfer
from maillon.deposits import services as deposits
from maillon.deposits.models import DepositLevel, ExchangeSession
from maillon.lots import services as lots
from maillon.network.models import Role
from maillon.rotation import runsheet


def _first(library, today):
    return today if library.is_shuttle_day(today) else library.next_shuttle_day(today)


def _run(day, today):
    run = runsheet.run_of(day, today)
    assert run is not None
    return run, {stop.library.code: stop for stop in run.stops}


@pytest.fixture
def traffic(desk, staff, network, make_item, record_of):
    a, b, md = network["a"], network["b"], network["md"]
    single = make_item(record_of("Un seul"), a)
    create_transfer(desk["a"], a, single.barcode, b)  # to load at a
    sent = make_item(record_of("Déjà parti"), a)
    create_transfer(desk["a"], a, sent.barcode, b)
    send_transfer(desk["a"], a, sent.barcode)  # to unload at b
    crate = lots.create(desk["a"], a, "Romans policiers n°3")
    for n in range(3):
        lots.add(desk["a"], crate, make_item(record_of(f"Polar {n}"), a).barcode)
    lots.send(desk["a"], crate, b)  # a crate to unload at b
    md_staff = staff[Role.MD_STAFF]
    level = DepositLevel.objects.create(code="TT", name="Niveau test")
    deposit = deposits.open_deposit(md_staff, md, a, level, timezone.localdate())
    shuttle = deposits.open_session(
        md_staff, deposit, timezone.localdate(), ExchangeSession.Kind.SHUTTLE
    )
    books = [make_item(record_of(f"Dépôt {n}"), md).barcode for n in range(2)]
    deposits.lend(md_staff, shuttle, books)  # a deposit crate to unload at a
    return {"single": single, "sent": sent, "crate": crate}


def test_each_stop_says_what_goes_on_and_off(traffic, network):
    today = timezone.localdate()
    run, stops = _run(_first(network["a"], today), today)  # a and b share their shuttle days
    a, b = stops["AAA"], stops["BBB"]
    assert [t.item for t in a.on.singles] == [traffic["single"]]
    assert [(c.kind, c.label, c.items) for c in a.off.crates] == [
        ("deposit", "Bibliothèque AAA", 2)
    ]
    assert [t.item for t in b.off.singles] == [traffic["sent"]]
    assert [(c.kind, c.label, c.items) for c in b.off.crates] == [("lot", traffic["crate"].code, 3)]
    assert run.items == 1 + 2 + 1 + 3 and run.crates == 2 and not run.too_full


def test_stop_order_and_limit_are_data(traffic, desk, network):
    today = timezone.localdate()
    day = _first(network["a"], today)
    runsheet.set_route(desk["head"], ["BBB", "AAA"], max_items=5, max_crates=10)
    run, _stops = _run(day, today)
    assert [s.library.code for s in run.stops][:2] == ["BBB", "AAA"]
    assert run.too_full  # 7 items, at most 5
    with pytest.raises(runsheet.DomainError) as error:
        runsheet.set_route(desk["head"], ["NOPE"], max_items=5, max_crates=10)
    assert error.value.code == "unknown_library"
    with pytest.raises(PermissionDenied):
        runsheet.set_route(desk["a"], ["AAA"], max_items=5, max_crates=10)


def test_pages_and_pdf(client_fr, traffic, desk, network):
    today = timezone.localdate()
    day = _first(network["a"], today)
    client_fr.force_login(desk["head"])
    client_fr.post(reverse("rotation:runs"), {"stops": "AAA BBB", "max_items": 3, "max_crates": 10})
    listing = client_fr.get(reverse("rotation:runs")).content.decode()
    assert "trop chargée" in listing
    page = client_fr.get(reverse("rotation:run", args=[day.isoformat()])).content.decode()
    assert traffic["crate"].code in page and "Caisse de dépôt" in page
    assert "Un seul" in page
    pdf = client_fr.get(reverse("rotation:run_pdf", args=[day.isoformat()]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_fr.get(reverse("rotation:run", args=["2001-01-01"])).status_code == 404


def test_planned_exchange_appears_on_its_days(ring, desk):
    from maillon.rotation import services

    services.publish(desk["head"], ring["plan"])
    cell = ring["plan"].cells.filter(number=1, from_library__isnull=False).order_by("day")[0]
    today = cell.day - dt.timedelta(days=3)
    _run_, stops = _run(cell.day, today)
    crates = [(c.label, c.items) for c in stops[cell.from_library.code].on.crates]
    assert (cell.lot.code, 2) in crates
    _run_, stops = _run(cell.arrival, today)
    assert (cell.lot.code, 2) in [(c.label, c.items) for c in stops[cell.library.code].off.crates]
