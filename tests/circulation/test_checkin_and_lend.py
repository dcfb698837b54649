"""At the desk, a copy still on loan to someone else is checked in and lent in one step, with
the routing answer when it cannot stay."""

import datetime as dt

import pytest
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.circulation.models import Loan
from maillon.circulation.services import checkout, place_hold


@pytest.fixture
def make_patron(make_patron):
    """Cards valid today: the desk pages act on the real date."""

    def make(surname="Martin", **extra):
        return make_patron(surname, expires_on=dt.date.today() + dt.timedelta(days=300), **extra)

    return make


def _scan(client, library, card, barcode):
    return client.post(
        reverse("circulation:checkout"),
        {"library": library.pk, "carte": card, "barcode": barcode},
        follow=True,
    )


def test_brought_back_by_another_patron_then_lent(
    client_fr, desk, network, make_patron, make_item, book
):
    item = make_item(book)
    first, second = make_patron("Un"), make_patron("Deux")
    checkout(desk["a"], network["a"], first.card_number, item.barcode)
    client_fr.force_login(desk["volunteer"])
    page = _scan(client_fr, network["a"], second.card_number, item.barcode).content.decode()
    assert "Enregistrer le retour et prêter" in page

    page = client_fr.post(
        reverse("circulation:relend"),
        {"library": network["a"].pk, "carte": second.card_number, "barcode": item.barcode},
        follow=True,
    ).content.decode()
    assert "Retour enregistré, puis prêté" in page
    loans = Loan.objects.filter(item=item).order_by("pk")
    assert [(loan.patron_id, loan.returned_at is None) for loan in loans] == [
        (first.pk, False),
        (second.pk, True),
    ]
    actions = list(entries_for(item).values_list("action", flat=True))
    assert "checkin" in actions and actions.count("checkout") == 2


def test_a_copy_claimed_by_a_hold_is_not_lent(
    client_fr, desk, network, make_patron, make_item, book
):
    item = make_item(book)
    first, second, waiting = make_patron("Un"), make_patron("Deux"), make_patron("Trois")
    checkout(desk["a"], network["a"], first.card_number, item.barcode)
    place_hold(desk["a"], network["a"], waiting, book, network["a"])
    client_fr.force_login(desk["a"])
    page = client_fr.post(
        reverse("circulation:relend"),
        {"library": network["a"].pk, "carte": second.card_number, "barcode": item.barcode},
        follow=True,
    ).content.decode()
    assert "Retour enregistré, pas prêté" in page
    assert not Loan.objects.filter(item=item, returned_at__isnull=True).exists()


def test_an_overdue_loan_is_renewed_online_only_if_the_category_allows_it(
    network, desk, make_patron, make_item, book
):
    from maillon.circulation.services import CirculationError, renew_own

    patron = make_patron("Lent")
    lent_on = dt.date.today() - dt.timedelta(days=60)
    loan = checkout(
        desk["a"], network["a"], patron.card_number, make_item(book).barcode, today=lent_on
    )
    assert loan.due_on < dt.date.today()
    with pytest.raises(CirculationError) as refused:
        renew_own(patron, loan)
    assert refused.value.code == "overdue_renewal_at_desk"
    assert Loan.objects.get(pk=loan.pk).renewals == 0

    patron.category.renew_overdue_online = True
    patron.category.save()
    patron.refresh_from_db()
    assert renew_own(patron, loan).renewals == 1


def test_cancelling_a_hold_at_the_desk_asks_first(
    client_fr, desk, network, make_patron, book, make_item
):
    from maillon.circulation.models import Hold, HoldStatus

    make_item(book)
    patron = make_patron("Attente")
    hold = place_hold(desk["a"], network["a"], patron, book, network["a"])
    client_fr.force_login(desk["a"])
    data = {"library": network["a"].pk, "carte": patron.card_number, "hold": hold.pk}
    page = client_fr.post(reverse("circulation:hold_cancel"), data).content.decode()
    assert "Annuler la réservation ?" in page and 'name="confirmed" value="1"' in page
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.WAITING
    client_fr.post(reverse("circulation:hold_cancel"), {**data, "confirmed": "1"})
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.CANCELLED
