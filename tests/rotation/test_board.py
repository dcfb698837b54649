"""The live board of an exchange date: each lot due to move and its state (to pack, sent, in
transit, received, discrepancy), counted at the top; the coordinator sees every library, a
library's staff only their part."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from maillon.lots import services as lots
from maillon.lots.models import LotItem
from maillon.network.models import Role
from maillon.rotation import board, services
from maillon.rotation.models import Cell
from tests.conftest import PASSWORD


@pytest.fixture
def published(ring, desk):
    services.publish(desk["head"], ring["plan"])
    ring["plan"].refresh_from_db()
    return ring


def moves(plan) -> dict[int, Cell]:
    """Exchange 1's moves by sending library id."""
    return {
        c.from_library_id: c
        for c in Cell.objects.filter(
            plan=plan, number=1, from_library__isnull=False
        ).select_related("lot", "library", "from_library")
    }


def states(found) -> dict[str, str]:
    return {row.lot.code: row.state for row in found.rows}


def barcodes(lot) -> list[str]:
    return sorted(LotItem.objects.filter(lot=lot).values_list("item__barcode", flat=True))


def test_each_state_of_an_exchange(published, desk):
    plan = published["plan"]
    a, b, c = published["libraries"]
    by_sender = moves(plan)
    day = min(m.day for m in by_sender.values())
    arrived = max(m.arrival for m in by_sender.values())
    found = board.board(plan, 1, None, day)
    assert set(states(found).values()) == {board.TO_PACK}
    assert [(s, n) for s, _label, n in found.counts if n] == [(board.TO_PACK, 3)]

    services.run_exchange(desk["head"], plan, 1)
    found = board.board(plan, 1, None, day - dt.timedelta(days=1))
    assert set(states(found).values()) == {board.SENT}
    late = board.board(plan, 1, None, arrived)
    assert set(states(late).values()) == {board.IN_TRANSIT}

    from_a, from_b = by_sender[a.pk], by_sender[b.pk]
    # AAA's crate is received whole; BBB's with an item not in it and a stranger in it.
    lots.receive(desk["head"], from_a.lot, from_a.library)
    kept, lost = barcodes(from_b.lot)
    lots.receive(desk["head"], from_b.lot, from_b.library, [kept, "X-ETRANGER"])
    found = board.board(plan, 1, None, arrived)
    rows = {row.lot.code: row for row in found.rows}
    assert rows[from_a.lot.code].state == board.RECEIVED
    crate = rows[from_b.lot.code]
    assert (crate.state, crate.missing, crate.extra) == (board.DISCREPANCY, [lost], ["X-ETRANGER"])
    counts = {s: n for s, _label, n in found.counts}
    assert (counts[board.RECEIVED], counts[board.DISCREPANCY], counts[board.IN_TRANSIT]) == (
        1,
        1,
        1,
    )


def test_the_page_counts_and_states_for_the_coordinator(published, desk, client_fr):
    plan = published["plan"]
    services.run_exchange(desk["head"], plan, 1)
    client_fr.login(username=desk["head"].username, password=PASSWORD)
    grid = client_fr.get(reverse("rotation:detail", args=[plan.pk])).content.decode()
    url = reverse("rotation:board", args=[plan.pk, 1])
    assert f'href="{url}"' in grid
    page = client_fr.get(url).content.decode()
    assert '<li class="badge" data-state="sent"><strong>3</strong> lots envoyés' in page
    assert page.count('class="table-scroll" tabindex="0" role="region"') == 6  # 3 × (send, receive)
    for library in published["libraries"]:
        assert f'<h2 id="h-lib-{library.pk}">{library.name}</h2>' in page
    assert client_fr.get(reverse("rotation:board", args=[plan.pk, 99])).status_code == 404


def test_a_librarian_sees_only_her_library_part(published, desk, client_fr):
    plan = published["plan"]
    a, b, c = published["libraries"]
    by_sender = moves(plan)
    client_fr.login(username=desk["a"].username, password=PASSWORD)
    page = client_fr.get(reverse("rotation:board", args=[plan.pk, 1])).content.decode()
    assert f'id="h-lib-{a.pk}"' in page
    assert f'id="h-lib-{b.pk}"' not in page and f'id="h-lib-{c.pk}"' not in page
    mine = {by_sender[a.pk].lot.code} | {m.lot.code for m in by_sender.values() if m.library == a}
    others = {m.lot.code for m in by_sender.values()} - mine
    for code in mine:
        assert code in page
    for code in others:
        assert code not in page
    assert "À préparer et envoyer" in page and "À recevoir" in page
    found = board.board(plan, 1, board.libraries_of(desk["a"], plan), by_sender[a.pk].day)
    assert {row.lot.code for row in found.rows} == mine


def test_staff_outside_the_plan_see_nothing_and_drafts_stay_hidden(ring, desk, make_staff, network):
    plan = ring["plan"]
    outsider = make_staff("mdvol", (network["md"], Role.VOLUNTEER))
    client = Client()
    client.login(username=desk["a"].username, password=PASSWORD)
    url = reverse("rotation:board", args=[plan.pk, 1])
    assert client.get(url).status_code == 404  # a draft
    services.publish(desk["head"], plan)
    client.login(username=outsider.username, password=PASSWORD)
    page = client.get(url, headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert board.libraries_of(outsider, plan) == []
    assert not any(lot.code in page.content.decode() for lot in ring["lots"])
