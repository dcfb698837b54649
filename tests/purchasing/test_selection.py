"""Shared selection lists: titles proposed, the network's figures read at decision time,
commitments with a fund and a cap, coverage for the coordinator, a closing date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.network.models import Role
from maillon.purchasing import selection
from maillon.purchasing.models import Commitment
from tests.circulation_fixtures import TODAY
from tests.conftest import PASSWORD


def test_the_network_columns_are_read_when_a_library_commits(
    proposed, funds, staff, network, make_item, make_patron, desk
):
    title = proposed["capped"]
    record = title.record
    make_item(record, network["a"])
    make_item(record, network["b"])
    make_item(record, network["b"], status=ItemStatus.ON_ORDER)
    make_item(record, network["b"], status=ItemStatus.WITHDRAWN)  # gone: not counted
    item = make_item(record, network["head"])
    patron = make_patron()
    Hold.objects.create(record=record, patron=patron, pickup_library=network["a"])
    Hold.objects.create(
        record=record,
        patron=make_patron("Durand"),
        pickup_library=network["a"],
        status=HoldStatus.FULFILLED,
    )
    now = timezone.now()
    for days in (10, 200, 400):  # the last one is older than a year
        Loan.objects.create(
            item=item,
            library=network["head"],
            checked_out_at=now - dt.timedelta(days=days),
            due_on=TODAY,
            loan_days=21,
            returned_at=now,
        )
    commitment = selection.commit(
        staff[Role.LIBRARIAN], title, network["a"], funds["a"], 2, today=TODAY
    )
    assert commitment.seen == {
        "held": 3,
        "held_here": 1,
        "on_order": 1,
        "holds": 1,
        "loans": 2,
        "others": 0,
    }
    row = selection.rows(title.selection)[1]
    assert row.title == title
    assert row.network.held == {network["a"].pk: 1, network["b"].pk: 1, network["head"].pk: 1}
    assert row.network.on_order == {network["b"].pk: 1}
    assert AuditEntry.objects.filter(action="commitment_made").count() == 1


def test_a_commitment_replaces_the_previous_one_and_respects_the_cap(
    proposed, funds, staff, desk, network
):
    title = proposed["capped"]
    selection.commit(desk["a"], title, network["a"], funds["a"], 2, today=TODAY)
    selection.commit(desk["a"], title, network["a"], funds["a_youth"], 1, today=TODAY)
    mine = Commitment.objects.get(title=title, library=network["a"])
    assert mine.quantity == 1 and mine.fund == funds["a_youth"]
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["b"], title, network["b"], funds["b"], 3, today=TODAY)
    assert error.value.code == "cap_reached"
    assert "Seuls 2 exemplaires" in error.value.message
    selection.commit(desk["b"], title, network["b"], funds["b"], 2, today=TODAY)
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["a"], title, network["a"], funds["a"], 2, today=TODAY)
    assert error.value.code == "cap_reached"
    assert Commitment.objects.get(title=title, library=network["a"]).quantity == 1


@pytest.mark.parametrize("quantity", [0, -2, "", "deux"])
def test_a_quantity_of_zero_or_less_is_refused(proposed, funds, desk, network, quantity):
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["a"], proposed["free"], network["a"], funds["a"], quantity)
    assert error.value.code == "quantity_invalid"
    assert not Commitment.objects.exists()


def test_a_library_commits_from_its_own_funds_and_for_itself(proposed, funds, desk, network):
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["a"], proposed["free"], network["a"], funds["b"], 1, today=TODAY)
    assert error.value.code == "fund_other_library"
    with pytest.raises(PermissionDenied):
        selection.commit(desk["a"], proposed["free"], network["b"], funds["b"], 1, today=TODAY)
    with pytest.raises(PermissionDenied):
        selection.commit(
            desk["volunteer"], proposed["free"], network["a"], funds["a"], 1, today=TODAY
        )


def test_a_closed_list_takes_no_commitment(proposed, funds, desk, network, staff, make_record):
    title = proposed["free"]
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(
            desk["a"], title, network["a"], funds["a"], 1, today=TODAY + dt.timedelta(days=1)
        )
    assert error.value.code == "list_closed"
    selection.close_list(staff[Role.COORDINATOR], title.selection)
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["a"], title, network["a"], funds["a"], 1, today=TODAY)
    assert error.value.code == "list_closed" and "close" in error.value.message.lower()
    with pytest.raises(selection.PurchasingError):
        selection.propose(desk["a"], title.selection, make_record("Tard"), today=TODAY)


def test_overspending_a_fund_asks_for_a_reason_and_keeps_it(proposed, funds, desk, network):
    funds["b"].amount = Decimal("50")
    funds["b"].save()
    title = proposed["capped"]  # 22.50 each
    with pytest.raises(selection.PurchasingError) as error:
        selection.commit(desk["b"], title, network["b"], funds["b"], 3, today=TODAY)
    assert error.value.code == "fund_overspent" and "67,50" in error.value.message
    commitment = selection.commit(
        desk["b"],
        title,
        network["b"],
        funds["b"],
        3,
        overspent_reason="Prix Goncourt",
        today=TODAY,
    )
    assert commitment.overspent_reason == "Prix Goncourt"


def test_coverage_shows_what_nobody_and_everybody_took(proposed, funds, desk, network, season):
    selection.commit(desk["a"], proposed["capped"], network["a"], funds["a"], 1, today=TODAY)
    selection.commit(desk["b"], proposed["capped"], network["b"], funds["b"], 1, today=TODAY)
    found = selection.coverage(season)
    assert [r.title for r in found.nobody] == [proposed["free"]]
    assert [r.title for r in found.everybody] == [proposed["capped"]]
    assert [(lib.code, n, copies, amount) for lib, n, copies, amount in found.per_library] == [
        ("AAA", 1, 1, Decimal("22.50")),
        ("BBB", 1, 1, Decimal("22.50")),
    ]


def test_a_title_is_proposed_once(proposed, staff):
    with pytest.raises(selection.PurchasingError) as error:
        selection.propose(
            staff[Role.COORDINATOR],
            proposed["free"].selection,
            proposed["free"].record,
            today=TODAY,
        )
    assert error.value.code == "already_proposed"


def test_the_coordinator_caps_never_below_what_is_committed(proposed, funds, desk, network):
    title = proposed["free"]
    selection.commit(desk["a"], title, network["a"], funds["a"], 2, today=TODAY)
    with pytest.raises(selection.PurchasingError) as error:
        selection.set_cap(desk["head"], title, 1)
    assert error.value.code == "cap_below_committed"
    assert selection.set_cap(desk["head"], title, 2).cap == 2
    with pytest.raises(PermissionDenied):
        selection.set_cap(desk["a"], title, 5)


def test_the_list_page_commits_for_the_current_library(
    client_fr, proposed, funds, desk, open_today
):
    client_fr.login(username="libr", password=PASSWORD)
    url = reverse("purchasing:selection", args=[proposed["free"].selection_id])
    page = client_fr.get(url).content.decode()
    assert "Veiller sur elle" in page and "22,50\xa0€" in page and "Adultes" in page
    response = client_fr.post(
        reverse("purchasing:commit", args=[proposed["free"].selection_id, proposed["free"].pk]),
        {"quantity": "2", "fund": funds["a"].pk},
    )
    assert response.status_code == 302
    assert Commitment.objects.get().quantity == 2
    response = client_fr.post(
        reverse("purchasing:commit", args=[proposed["free"].selection_id, proposed["free"].pk]),
        {"quantity": "0", "fund": funds["a"].pk},
        follow=True,
    )
    assert "Engagez un exemplaire ou plus" in response.content.decode()
    assert Commitment.objects.get().quantity == 2


def test_an_overspent_fund_brings_back_what_was_typed(client_fr, proposed, funds, desk, open_today):
    funds["a"].amount = Decimal("10")
    funds["a"].save()
    client_fr.login(username="libr", password=PASSWORD)
    title = proposed["free"]
    response = client_fr.post(
        reverse("purchasing:commit", args=[title.selection_id, title.pk]),
        {"quantity": "3", "fund": funds["a"].pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Donnez un motif pour passer outre" in page
    assert 'name="overspent_reason"' in page and 'value="3"' in page
    client_fr.post(
        reverse("purchasing:commit", args=[title.selection_id, title.pk]),
        {"quantity": "3", "fund": funds["a"].pk, "overspent_reason": "Demande forte"},
    )
    assert Commitment.objects.get().overspent_reason == "Demande forte"


def test_coverage_page_and_volunteers(client_fr, proposed, funds, desk, network, open_today):
    selection.commit(desk["a"], proposed["capped"], network["a"], funds["a"], 1)
    client_fr.login(username="coord", password=PASSWORD)
    page = client_fr.get(
        reverse("purchasing:coverage", args=[proposed["free"].selection_id])
    ).content.decode()
    assert "1 titre que personne n’a pris" in page and "La Tresse" in page
    client_fr.login(username="volunt", password=PASSWORD)
    page = client_fr.get(
        reverse("purchasing:selection", args=[proposed["free"].selection_id])
    ).content.decode()
    assert 'name="quantity"' not in page


def test_the_coordinator_caps_and_withdraws_from_the_list_page(
    client_fr, committed, funds, desk, open_today
):
    client_fr.login(username="coord", password=PASSWORD)
    selection_pk = committed["capped"].selection_id
    page = client_fr.get(reverse("purchasing:selection", args=[selection_pk])).content.decode()
    row = page[page.index(f'<tr id="t{committed["capped"].pk}">') :].split("</tr>")[0]
    assert "AAA × 2" in row and "BBB × 1" in row and "plafond 3, reste 0" in row
    assert 'aria-label="Retirer l’engagement de Bibliothèque BBB"' in row
    assert f'id="cap{committed["capped"].pk}"' in row and 'value="3"' in row
    bbb = Commitment.objects.get(title=committed["capped"], library__code="BBB")
    withdraw = reverse("purchasing:withdraw", args=[selection_pk, bbb.pk])
    assert f'action="{withdraw}"' in row
    assert client_fr.post(withdraw).status_code == 302
    assert not Commitment.objects.filter(pk=bbb.pk).exists()
