"""The staff item page: its actions (forms with CSRF, for the roles allowed) and its history,
in French words rather than codes."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.services import checkout, renew
from maillon.network.models import Role
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import fr


def _page(client, item) -> str:
    return client.get(reverse("catalogue:item", args=[item.barcode])).content.decode()


def _act(client, item, **data):
    return client.post(reverse("catalogue:item_action", args=[item.barcode]), data)


def test_librarian_withdraws_from_the_page_and_reads_it_in_the_history(
    client_fr, desk, network, make_item, book
):
    item = make_item(book)
    client_fr.force_login(desk["a"])
    body = _page(client_fr, item)
    assert 'value="withdraw"' in body and "csrfmiddlewaretoken" in body
    assert 'value="lost"' in body and 'value="found"' not in body

    # No reason given: refused, the form keeps what was chosen.
    response = _act(client_fr, item, action="withdraw", destination="donated", note="Pour l'école")
    assert response.status_code == 409
    assert "Pour l&#x27;école" in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE

    response = _act(client_fr, item, action="withdraw", reason="outdated", destination="donated")
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).status == ItemStatus.WITHDRAWN
    body = client_fr.get(response.url).content.decode()
    assert fr("Item %(barcode)s withdrawn from the collection.", barcode=item.barcode) in body
    assert fr("Withdrawn from the collection") in body
    assert fr("outdated content") in body and fr("given away (association, school…)") in body
    assert "withdrawn<" not in body and "outdated<" not in body  # no raw code
    assert 'value="reinstate"' in body and 'value="withdraw"' not in body


def test_the_history_speaks_french_not_codes(
    client_fr, desk, network, make_patron, make_item, book
):
    item = make_item(book)
    patron = make_patron()
    checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    renew(desk["a"], network["a"], item.barcode, today=TODAY + dt.timedelta(days=10))
    client_fr.force_login(desk["a"])
    body = _page(client_fr, item)
    assert fr("Checked out") in body and fr("Renewed") in body
    assert fr("previous due date").capitalize() in body
    assert "old_due" not in body and "new_due" not in body and "Renewed" not in body


def test_a_volunteer_sees_desk_actions_only_and_cannot_post_others(
    client_fr, desk, network, make_item, book
):
    item = make_item(book)
    client_fr.force_login(desk["volunteer"])
    body = _page(client_fr, item)
    assert 'value="damaged"' in body and 'value="withdraw"' not in body
    assert (
        _act(client_fr, item, action="withdraw", reason="worn", destination="sold").status_code
        == 403
    )
    response = _act(client_fr, item, action="damaged", note="Couverture déchirée")
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DAMAGED
    body = client_fr.get(response.url).content.decode()
    assert "Couverture déchirée" in body
    assert fr("Item %(barcode)s marked damaged, to repair.", barcode=item.barcode) in body


def test_b_s_volunteer_sees_no_action_on_a_s_item(
    client_fr, staff, make_staff, network, make_item, book
):

    item = make_item(book)
    client_fr.force_login(make_staff("volb", (network["b"], Role.VOLUNTEER)))
    body = _page(client_fr, item)
    assert "item_action" not in body and 'name="action"' not in body
    assert _act(client_fr, item, action="lost").status_code == 403
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE


def test_the_actions_need_the_csrf_token(desk, network, make_item, book):
    item = make_item(book)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(desk["a"])
    assert _act(strict, item, action="lost").status_code == 403
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE
