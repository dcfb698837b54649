"""Holds at the desk for the patron whose card is scanned, and sending a copy by hand."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillon.catalogue.models import ItemStatus
from maillon.catalogue.search import index_records
from maillon.circulation import services
from maillon.circulation.models import Hold, HoldStatus, Transfer
from tests.circulation.helpers import assert_item_consistent, fr

DESK = reverse("circulation:desk")
DAY = reverse("circulation:day")
PLACE = reverse("circulation:hold_place")
CANCEL = reverse("circulation:hold_cancel")
SUSPEND = reverse("circulation:hold_suspend")
RESUME = reverse("circulation:hold_resume")
TRANSFER = reverse("circulation:transfer")


@pytest.fixture
def reader(make_patron, now, network):
    return make_patron(
        "Martin",
        "Léa",
        home=network["b"],
        registered_on=now - dt.timedelta(days=30),
        expires_on=now + dt.timedelta(days=300),
    )


@pytest.fixture
def librarian(client, desk):
    client.force_login(desk["a"])
    return client


def desk_of(reader) -> str:
    return f"{DESK}?carte={reader.card_number}"


def act(client, url, library, reader, follow=False, **data):
    return client.post(
        url, {"library": library.pk, "carte": reader.card_number, **data}, follow=follow
    )


def test_scan_a_barcode_then_place_the_hold_for_the_home_library(
    librarian, network, reader, book, make_item
):
    item = make_item(book)
    page = librarian.get(DESK, {"carte": reader.card_number, "reserver": item.barcode})
    html = page.content.decode()
    assert escape(book.title) in html
    # The patron's home library is chosen already.
    assert f'<option value="{network["b"].pk}" selected>' in html

    response = act(librarian, PLACE, network["a"], reader, record=book.pk, pickup=network["b"].pk)
    assert response.status_code == 302 and response["Location"] == desk_of(reader)
    hold = Hold.objects.get(patron=reader)
    assert (hold.record, hold.pickup_library, hold.status) == (
        book,
        network["b"],
        HoldStatus.WAITING,
    )
    assert hold.created_by is not None
    page = librarian.get(response["Location"])
    assert "Réservation de Le Petit Prince enregistrée, à retirer à la Bibliothèque BBB." in (
        page.content.decode().replace("&#x27;", "'")
    )
    assert_item_consistent(item)


def test_search_by_title_finds_the_record(librarian, reader, book, make_item):
    make_item(book)
    index_records([book.pk])
    page = librarian.get(DESK, {"carte": reader.card_number, "reserver": "petit prince"})
    assert page.context["hold_candidates"] == [book]
    assert f'name="record" value="{book.pk}"' in page.content.decode()


def test_refusal_is_shown_and_nothing_placed(librarian, desk, network, reader, book, make_item):
    make_item(book)
    services.place_hold(desk["a"], network["a"], reader, book, network["b"])
    response = act(
        librarian,
        PLACE,
        network["a"],
        reader,
        record=book.pk,
        pickup=network["a"].pk,
        reserver="petit",
    )
    assert response["Location"] == desk_of(reader) + "&reserver=petit"
    assert Hold.objects.filter(patron=reader).count() == 1
    page = librarian.get(response["Location"])
    assert fr("This patron already has a hold on this document.") in page.content.decode()


def test_suspend_until_a_date_resume_then_cancel(
    librarian, desk, network, reader, book, make_item, now
):
    make_item(book, network["b"], status=ItemStatus.ON_LOAN)
    hold = services.place_hold(desk["a"], network["a"], reader, book, network["b"])
    page = librarian.get(desk_of(reader))
    assert f'name="hold" value="{hold.pk}"' in page.content.decode()
    assert f'min="{(now + dt.timedelta(days=1)).isoformat()}"' in page.content.decode()

    until = now + dt.timedelta(days=20)
    act(librarian, SUSPEND, network["a"], reader, hold=hold.pk, until=until.isoformat())
    hold.refresh_from_db()
    assert (hold.status, hold.suspended_until) == (HoldStatus.SUSPENDED, until)
    page = librarian.get(desk_of(reader)).content.decode()
    assert until.strftime("%d/%m/%Y") in page and escape(reverse("circulation:hold_resume")) in page

    act(librarian, RESUME, network["a"], reader, hold=hold.pk)
    hold.refresh_from_db()
    assert (hold.status, hold.suspended_until) == (HoldStatus.WAITING, None)

    act(librarian, CANCEL, network["a"], reader, hold=hold.pk, confirmed="1")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CANCELLED and hold.closed_at is not None
    assert not librarian.get(desk_of(reader)).context["holds"]


def test_bad_or_past_dates_change_nothing(librarian, desk, network, reader, book, make_item, now):
    make_item(book, network["b"], status=ItemStatus.ON_LOAN)
    hold = services.place_hold(desk["a"], network["a"], reader, book, network["b"])
    act(librarian, SUSPEND, network["a"], reader, hold=hold.pk, until="demain")
    response = act(librarian, SUSPEND, network["a"], reader, hold=hold.pk, until=now.isoformat())
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING
    page = librarian.get(response["Location"]).content.decode()
    assert fr("Give the date as YYYY-MM-DD, or none.") in page
    assert fr("The suspension must end after today.") in page


def test_cancelling_a_ready_hold_says_where_the_copy_goes(
    librarian, desk, network, reader, book, make_item
):
    item = make_item(book)
    hold = services.place_hold(desk["a"], network["a"], reader, book, network["a"])
    services.checkin(desk["a"], network["a"], item)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    page = act(librarian, CANCEL, network["a"], reader, hold=hold.pk, confirmed="1", follow=True)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CANCELLED
    assert assert_item_consistent(item).status == ItemStatus.AVAILABLE
    shown = [(m.level_tag, str(m)) for m in page.context["messages"]]
    assert shown[0] == (
        "success",
        gettext_fr("Hold on %(title)s cancelled.") % {"title": book.title},
    )
    assert shown[1][0] == "warning" and shown[1][1].startswith(f"{item.barcode}\u00a0: ")


def test_another_patrons_hold_is_not_touched(
    librarian, desk, network, reader, make_patron, book, make_item, now
):
    make_item(book, status=ItemStatus.ON_LOAN)
    other = make_patron("Roy", registered_on=now, expires_on=now + dt.timedelta(days=300))
    hold = services.place_hold(desk["a"], network["a"], other, book, network["a"])
    response = act(librarian, CANCEL, network["a"], reader, hold=hold.pk, confirmed="1")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING
    assert (
        fr("This hold is no longer active on this patron's account.")
        in librarian.get(response["Location"]).content.decode()
    )


def test_permissions_and_csrf(client, desk, network, reader, book, make_item):
    make_item(book)
    client.force_login(desk["b"])  # a librarian of BBB posting for AAA's desk
    assert (
        act(client, PLACE, network["a"], reader, record=book.pk, pickup=network["a"].pk).status_code
        == 403
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(desk["a"])
    assert (
        act(strict, PLACE, network["a"], reader, record=book.pk, pickup=network["a"].pk).status_code
        == 403
    )
    anonymous = Client()
    assert (
        act(
            anonymous, PLACE, network["a"], reader, record=book.pk, pickup=network["a"].pk
        ).status_code
        == 302
    )
    assert not Hold.objects.exists()


def test_send_an_item_by_hand_from_the_lists_of_the_day(
    librarian, network, book, make_item, reader
):
    item = make_item(book)
    page = librarian.get(DAY).content.decode()
    assert f'<option value="{network["b"].pk}">' in page
    assert f'<option value="{network["a"].pk}">' not in page  # not to itself

    response = librarian.post(
        TRANSFER,
        {"library": network["a"].pk, "barcode": item.barcode, "to_library": network["b"].pk},
    )
    assert response["Location"] == DAY + "#envoi"
    transfer = Transfer.objects.get(item=item)
    assert (transfer.from_library, transfer.to_library) == (network["a"], network["b"])
    assert assert_item_consistent(item).status == ItemStatus.IN_TRANSIT
    page = librarian.get(DAY)
    assert page.context["shuttle"].to_send == [transfer]

    # Already travelling, or not here: the service's refusal, nothing more.
    again = librarian.post(
        TRANSFER,
        {"library": network["a"].pk, "barcode": item.barcode, "to_library": network["b"].pk},
    )
    assert Transfer.objects.filter(item=item).count() == 1
    assert (
        fr(
            "The item %(barcode)s is %(status)s: it cannot be sent.",
            barcode=item.barcode,
            status=gettext_fr(ItemStatus.IN_TRANSIT.label),
        )
        in librarian.get(again["Location"]).content.decode()
    )
    elsewhere = make_item(book, network["b"])
    librarian.post(
        TRANSFER,
        {
            "library": network["a"].pk,
            "barcode": elsewhere.barcode,
            "to_library": network["head"].pk,
        },
    )
    assert not Transfer.objects.filter(item=elsewhere).exists()


def gettext_fr(msgid: str) -> str:
    with translation.override("fr"):
        return gettext(msgid)
