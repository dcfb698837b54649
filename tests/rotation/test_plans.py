"""Circulation plans: defined by the coordinator only, the grid stored and checked after a
swap, exchange dates on shuttle days, published to each library's home page, and run through
the lots service (twice changes nothing)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maillon.circulation.models import Transfer
from maillon.lots.models import Lot
from maillon.network.models import Closure
from maillon.rotation import services
from maillon.rotation.models import Cell, Exchange
from tests.conftest import PASSWORD


def test_grid_stored_one_place_per_lot_per_date(ring):
    plan = ring["plan"]
    assert Exchange.objects.filter(plan=plan).count() == 4
    for number in range(5):
        cells = Cell.objects.filter(plan=plan, number=number)
        assert cells.count() == 3
        assert len(set(cells.values_list("library", flat=True))) == 3
    assert services.check(plan) == []
    for cell in Cell.objects.filter(plan=plan, from_library__isnull=False):
        assert cell.day.isoweekday() in (2, 5) and cell.arrival == cell.day


def test_a_volunteer_cannot_edit_a_plan(ring, desk, client):
    plan = ring["plan"]
    with pytest.raises(PermissionDenied):
        services.generate(desk["volunteer"], plan)
    with pytest.raises(PermissionDenied):
        services.swap(desk["volunteer"], plan, 1, ring["libraries"][0], ring["libraries"][1])
    with pytest.raises(PermissionDenied):
        services.publish(desk["a"], plan)
    client.login(username=desk["volunteer"].username, password=PASSWORD)
    assert client.get(reverse("rotation:edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("rotation:publish", args=[plan.pk])).status_code == 403


def test_a_swap_that_breaks_a_rule_is_said_in_french(ring, desk):
    plan = ring["plan"]
    a, b, c = ring["libraries"]
    start = {cell.lot_id: cell.library_id for cell in Cell.objects.filter(plan=plan, number=0)}
    second = {cell.library_id: cell.lot_id for cell in Cell.objects.filter(plan=plan, number=2)}
    # Who holds, after exchange 2, the lot Vasles had at the start: swapping them gives Vasles
    # back the crate it sent on exchange 1.
    vasles_lot = next(lot for lot, lib in start.items() if lib == c.pk)
    holder = next(lib for lib, lot in second.items() if lot == vasles_lot)
    other = a if holder == a.pk else b
    broken = services.swap(desk["head"], plan, 2, other, c)
    assert (broken[0].code, broken[0].library, broken[0].exchange) == ("just_had", c.pk, 2)
    with translation.override("fr"):
        text = services.messages(plan, broken)[0]
    assert text.startswith("La Bibliothèque de Vasles recevrait la caisse qu’elle vient d’avoir")
    assert services.check(plan) == broken


def test_exchange_date_moved_to_a_shuttle_day_off_a_closure(ring, desk):
    plan = ring["plan"]
    a = ring["libraries"][0]
    start = ring["start"]
    Closure.objects.create(library=a, start=start, end=start + dt.timedelta(days=4))
    services.generate(desk["head"], plan)
    days = Cell.objects.filter(plan=plan, number=1, from_library__isnull=False)
    for cell in days:
        assert (
            cell.day.isoweekday() in (2, 5)
            and cell.day
            not in (
                start + dt.timedelta(days=1),
                start + dt.timedelta(days=4),
            )
            or a.pk not in (cell.library_id, cell.from_library_id)
        )
    assert any(n["code"] == "date_moved" for n in plan.__class__.objects.get(pk=plan.pk).notes)


def test_running_an_exchange_sends_the_lots_once(ring, desk):
    plan = ring["plan"]
    with pytest.raises(services.PlanError):
        services.run_exchange(desk["head"], plan, 1)
    services.publish(desk["head"], plan)
    plan.refresh_from_db()
    first = services.run_exchange(desk["head"], plan, 1)
    assert len(first.sent) == 3 and first.refused == []
    moves = {c.lot_id: c.library_id for c in Cell.objects.filter(plan=plan, number=1)}
    for lot in Lot.objects.filter(pk__in=moves):
        assert lot.state == Lot.State.IN_TRANSIT and lot.destination_id == moves[lot.pk]
    transfers = Transfer.objects.count()
    again = services.run_exchange(desk["head"], plan, 1)
    assert again.sent == [] and len(again.already) == 3
    assert Transfer.objects.count() == transfers
    assert Exchange.objects.get(plan=plan, number=1).run_at is not None


def test_a_library_runs_only_its_own_sends(ring, desk):
    plan = ring["plan"]
    services.publish(desk["head"], plan)
    plan.refresh_from_db()
    a = ring["libraries"][0]
    result = services.run_exchange(desk["volunteer"], plan, 1, a)
    assert len(result.sent) == 1
    with pytest.raises(PermissionDenied):
        services.run_exchange(desk["volunteer"], plan, 1, ring["libraries"][1])


def test_pages_in_french_and_home_shows_the_next_exchange(ring, desk, client_fr):
    plan = ring["plan"]
    client_fr.login(username=desk["head"].username, password=PASSWORD)
    listing = client_fr.get(reverse("rotation:list")).content.decode()
    assert "Plans de circulation" in listing and plan.name in listing
    page = client_fr.get(reverse("rotation:detail", args=[plan.pk])).content.decode()
    assert "Grille d’échange" in page and 'class="table-scroll"' in page
    assert "Caisse 0" in page
    form = client_fr.get(reverse("rotation:edit", args=[plan.pk])).content.decode()
    assert "AAA, BBB, CCC" in form
    client_fr.post(reverse("rotation:publish", args=[plan.pk]))
    client_fr.logout()
    client_fr.login(username=desk["volunteer"].username, password=PASSWORD)
    home = client_fr.get(reverse("home")).content.decode()
    assert "Prochain échange" in home and "À préparer et envoyer" in home
    sent = Cell.objects.get(plan=plan, number=1, from_library=ring["libraries"][0])
    assert sent.lot.name in home and sent.library.name in home


def test_swap_page_reports_in_french(ring, desk, client_fr):
    plan = ring["plan"]
    a, b, c = ring["libraries"]
    client_fr.login(username=desk["head"].username, password=PASSWORD)
    response = client_fr.post(
        reverse("rotation:swap", args=[plan.pk]),
        {"number": 1, "first": a.pk, "second": b.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "recevrait" in response.content.decode()


def test_exports_and_pdf(ring, desk, client):
    plan = ring["plan"]
    lot = ring["lots"][0]
    Lot.objects.filter(pk=lot.pk).update(name="=HYPERLINK(1)")
    client.login(username=desk["head"].username, password=PASSWORD)
    csv = client.get(reverse("rotation:export", args=[plan.pk, "csv"]))
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text and "Caisse 1" in text
    assert len(text.strip().splitlines()) == 1 + 3 * 4
    xlsx = client.get(reverse("rotation:export", args=[plan.pk, "xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 3 * 4
    pdf = client.get(reverse("rotation:print", args=[plan.pk]))
    assert pdf.content.startswith(b"%PDF")
    one = client.get(reverse("rotation:print_library", args=[plan.pk, "AAA"]))
    assert one.content.startswith(b"%PDF")


def test_a_lot_outside_the_plan_is_said_in_french(ring, desk, network, make_item, record_of):
    from maillon.lots import services as lots

    plan = ring["plan"]
    lot = lots.create(desk["head"], network["head"], "Caisse du siège")
    lots.add(desk["head"], lot, make_item(record_of("Siège"), network["head"]).barcode)
    services.save_plan(
        desk["head"],
        plan,
        name=plan.name,
        kind=plan.kind,
        every=1,
        unit="months",
        start=ring["start"],
        exchanges=2,
        end=None,
        members=[services.MemberInput(library=lib) for lib in ring["libraries"]],
        lots_in=[*ring["lots"], lot],
    )
    result = services.generate(desk["head"], plan)
    assert [i.code for i in result.broken] == ["outside"]
    plan.refresh_from_db()
    with translation.override("fr"):
        texts = services.messages(plan, [i for i in services.issues_of(plan) if i.broken])
    assert texts and "Caisse du siège se trouve dans une bibliothèque hors du plan" in texts[0]
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(desk["head"])
    page = client.get(reverse("rotation:detail", args=[plan.pk])).content.decode()
    assert "Règles que la grille enfreint" in page and "hors du plan" in page
