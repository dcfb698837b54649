"""The circulation desk over HTTP: scan a card, scan items, check in, the lists of the day."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from maillon.circulation import services
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer
from maillon.core.exports import XLSX_TYPE
from maillon.patrons.models import BlockKind, PatronBlock
from tests.circulation.helpers import fr

DESK = reverse("circulation:desk")
CHECKOUT = reverse("circulation:checkout")
CHECKIN = reverse("circulation:checkin")
CHECKIN_SCAN = reverse("circulation:checkin_scan")
DAY = reverse("circulation:day")


@pytest.fixture
def reader(make_patron, now):
    """A patron whose card is valid today (the pages work on the real date)."""
    return make_patron(
        "Martin",
        "Léa",
        registered_on=now - dt.timedelta(days=30),
        expires_on=now + dt.timedelta(days=300),
    )


@pytest.fixture
def other_reader(make_patron, now):
    return make_patron(
        "Bézier",
        "Hervé",
        registered_on=now - dt.timedelta(days=30),
        expires_on=now + dt.timedelta(days=300),
    )


@pytest.fixture
def login(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def lend(client, library, card, barcode, **extra):
    data = {"library": library.pk, "carte": card, "barcode": barcode, **extra}
    return client.post(CHECKOUT, data)


# Checkout ------------------------------------------------------------------------------------


def test_scan_card_then_item_makes_a_loan(login, desk, network, reader, book, make_item):
    item = make_item(book)
    client = login(desk["a"])
    page = client.get(DESK, {"carte": reader.card_number})
    assert page.status_code == 200
    assert escape(reader.full_name) in page.content.decode()
    assert 'name="barcode"' in page.content.decode()

    response = lend(client, network["a"], reader.card_number, item.barcode)
    assert response.status_code == 302
    assert response["Location"] == f"{DESK}?carte={reader.card_number}"
    loan = Loan.objects.get(item=item, returned_at__isnull=True)
    assert loan.patron == reader and loan.library == network["a"]

    page = client.get(response["Location"])
    assert item.barcode in page.content.decode()
    assert loan.due_on.strftime("%d/%m/%Y") in page.content.decode()

    # A double submit does not lend twice; the desk says why.
    again = lend(client, network["a"], reader.card_number, item.barcode)
    page = client.get(again["Location"])
    assert Loan.objects.filter(item=item).count() == 1
    assert (
        fr("The item %(barcode)s is already on loan to this patron.", barcode=item.barcode)
        in page.content.decode()
    )


def test_unknown_card_and_unknown_barcode_are_said(login, desk, network, reader):
    client = login(desk["a"])
    page = client.get(DESK, {"carte": "99999999"})
    assert fr("No patron has the card number %(card)s.", card="99999999") in page.content.decode()
    response = lend(client, network["a"], reader.card_number, "NOPE")
    page = client.get(response["Location"])
    assert fr("No item has the barcode %(barcode)s.", barcode="NOPE") in page.content.decode()


def test_renew_button_renews(login, desk, network, reader, book, make_item, now):
    item = make_item(book)
    loan = services.checkout(
        desk["a"], network["a"], reader, item, today=now - dt.timedelta(days=10)
    )
    client = login(desk["a"])
    response = client.post(
        reverse("circulation:renew"),
        {"library": network["a"].pk, "carte": reader.card_number, "loan": loan.pk},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_on > now


# Refusals and overrides ----------------------------------------------------------------------


@pytest.fixture
def blocked(reader, network):
    PatronBlock.objects.create(patron=reader, kind=BlockKind.OTHER, library=network["a"])
    return reader


def test_refusal_is_shown_and_nothing_lent(login, desk, network, blocked, book, make_item):
    item = make_item(book)
    client = login(desk["volunteer"])
    response = lend(client, network["a"], blocked.card_number, item.barcode)
    page = client.get(response["Location"]).content.decode()
    assert not Loan.objects.filter(item=item).exists()
    kind = PatronBlock.objects.get(patron=blocked).get_kind_display()
    with translation.override("fr"):
        expected = fr(
            "The card of %(card)s is blocked: %(reasons)s.",
            card=blocked.card_number,
            reasons=str(kind),
        )
    assert expected in page
    # A volunteer is not offered the override …
    assert 'name="override_reason"' not in page


def test_volunteer_cannot_override_even_by_posting(login, desk, network, blocked, book, make_item):
    item = make_item(book)
    client = login(desk["volunteer"])
    lend(
        client,
        network["a"],
        blocked.card_number,
        item.barcode,
        override="1",
        override_reason="je connais la dame",
    )
    assert not Loan.objects.filter(item=item).exists()


def test_librarian_overrides_with_a_reason(login, desk, network, blocked, book, make_item):
    item = make_item(book)
    client = login(desk["a"])
    response = lend(client, network["a"], blocked.card_number, item.barcode)
    page = client.get(response["Location"]).content.decode()
    assert 'name="override_reason"' in page and item.barcode in page

    # No reason, no loan.
    lend(
        client, network["a"], blocked.card_number, item.barcode, override="1", override_reason="  "
    )
    assert not Loan.objects.filter(item=item).exists()

    lend(
        client,
        network["a"],
        blocked.card_number,
        item.barcode,
        override="1",
        override_reason="Blocage levé par téléphone",
    )
    loan = Loan.objects.get(item=item)
    assert loan.override_reason == "Blocage levé par téléphone"
    assert loan.overridden_by == desk["a"] and "patron_blocked" in loan.override_codes


def test_which_rule_applies(login, desk, network, reader, book, make_item):
    item = make_item(book)
    client = login(desk["a"])
    page = client.get(DESK, {"carte": reader.card_number, "regle": item.barcode})
    explanation = services.explain_rule(network["a"], reader.category, item.item_type)
    assert escape(explanation.reason) in page.content.decode()


# Permissions ---------------------------------------------------------------------------------


def test_volunteer_of_a_cannot_work_the_desk_of_b(login, desk, network, reader, book, make_item):
    item = make_item(book, network["b"])
    client = login(desk["volunteer"])
    client.post(reverse("switch_library"), {"library": network["b"].pk, "next": DESK})
    page = client.get(DESK)
    assert page.context["library"] == network["a"]

    response = lend(client, network["b"], reader.card_number, item.barcode)
    assert response.status_code == 403
    response = client.post(CHECKIN_SCAN, {"library": network["b"].pk, "barcode": item.barcode})
    assert response.status_code == 403
    assert not Loan.objects.filter(item=item).exists()


def test_post_for_another_library_is_refused_even_for_a_librarian(
    login, desk, network, reader, book, make_item
):
    item = make_item(book)
    client = login(desk["b"])
    assert lend(client, network["a"], reader.card_number, item.barcode).status_code == 403
    assert not Loan.objects.exists()


def test_desk_needs_login(client):
    assert client.get(DESK).status_code == 302


# Check-in ------------------------------------------------------------------------------------


def check_in(client, library, barcode):
    response = client.post(CHECKIN_SCAN, {"library": library.pk, "barcode": barcode})
    assert response.status_code == 302
    return client.get(CHECKIN).content.decode()


def test_checkin_shelve_here(login, desk, network, reader, book, make_item):
    item = make_item(book)
    services.checkout(desk["a"], network["a"], reader, item)
    page = check_in(login(desk["a"]), network["a"], item.barcode)
    assert "action-shelve big" in page
    assert not Loan.objects.filter(item=item, returned_at__isnull=True).exists()


def test_checkin_hold_shelf_with_slip(login, desk, network, reader, other_reader, book, make_item):
    item = make_item(book)
    services.checkout(desk["a"], network["a"], reader, item)
    hold = services.place_hold(desk["a"], network["a"], other_reader, book, network["a"])
    client = login(desk["a"])
    page = check_in(client, network["a"], item.barcode)
    assert "action-hold_shelf big" in page
    assert other_reader.card_number in page
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    slip = client.get(reverse("circulation:hold_slip", args=[hold.pk])).content.decode()
    assert other_reader.card_number in slip and "H. B." in slip
    assert other_reader.surname not in slip

    # Scanning again changes nothing.
    page = check_in(client, network["a"], item.barcode)
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.READY

    # The hold shelf list shows it; lending it to its patron fulfils the hold.
    assert item.barcode in client.get(DAY).content.decode()
    lend(client, network["a"], other_reader.card_number, item.barcode)
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.FULFILLED


def test_checkin_transfer_then_send_and_receive(login, desk, network, reader, book, make_item):
    item = make_item(book, network["b"])
    services.checkout(desk["a"], network["a"], reader, item)
    client = login(desk["a"])
    page = check_in(client, network["a"], item.barcode)
    assert "action-transfer big" in page and escape(network["b"].name) in page
    transfer = Transfer.objects.get(item=item, received_at__isnull=True)
    slip = client.get(reverse("circulation:transfer_slip", args=[transfer.pk]))
    assert escape(network["b"].name) in slip.content.decode()

    day = client.get(DAY).content.decode()
    assert item.barcode in day.split('id="h-send"')[1].split('id="h-expected"')[0]
    response = client.post(
        reverse("circulation:send"), {"library": network["a"].pk, "barcode": item.barcode}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.sent_at is not None

    other = login(desk["b"])
    day = other.get(DAY).content.decode()
    assert item.barcode in day.split('id="h-expected"')[1]
    page = check_in(other, network["b"], item.barcode)
    assert "action-shelve big" in page
    transfer.refresh_from_db()
    assert transfer.received_at is not None


# Lists of the day ----------------------------------------------------------------------------


def test_pull_list_and_csv(login, desk, network, reader, book, make_item, make_record):
    item = make_item(book, call_number="R SAI")
    untouched = make_item(make_record("Vendredi ou la vie sauvage"))
    hold = services.place_hold(desk["b"], network["b"], reader, book, network["b"])
    assert hold.target == item
    client = login(desk["a"])
    day = client.get(DAY).content.decode()
    pull = day.split('id="h-pull"')[1].split('id="h-shelf"')[0]
    assert item.barcode in pull and untouched.barcode not in pull
    csv_page = client.get(reverse("circulation:pull_csv"))
    assert csv_page["Content-Type"].startswith("text/csv")
    body = csv_page.content.decode("utf-8-sig")
    assert item.barcode in body and "R SAI" in body and untouched.barcode not in body
    # Library B's list does not show A's shelves.
    assert (
        item.barcode
        not in login(desk["b"])
        .get(DAY)
        .content.decode()
        .split('id="h-pull"')[1]
        .split('id="h-shelf"')[0]
    )


def test_patron_page_lists_loans_and_holds(
    login, desk, network, reader, book, make_item, make_record
):
    item = make_item(book)
    services.checkout(desk["a"], network["a"], reader, item)
    other = make_record("Vendredi ou la vie sauvage")
    make_item(other, network["b"])
    services.place_hold(desk["a"], network["a"], reader, other, network["a"])
    page = login(desk["a"]).get(reverse("patrons:detail", args=[reader.pk])).content.decode()
    section = page.split('id="prets"')[1]
    assert item.barcode in section and "Vendredi ou la vie sauvage" in section


def test_coordinator_opens_the_desk_of_the_head_library(login, desk, network):
    page = login(desk["head"]).get(DESK)
    assert page.status_code == 200 and page.context["library"] == network["head"]


def test_pull_list_as_xlsx(login, desk, network, reader, book, make_item):
    item = make_item(book, call_number="=R SAI")
    services.place_hold(desk["b"], network["b"], reader, book, network["b"])
    response = login(desk["a"]).get(reverse("circulation:pull_xlsx"))
    assert response["Content-Type"] == XLSX_TYPE
    assert f"prelevements-{network['a'].code}-" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:2] == (item.barcode, "'=R SAI")
    assert rows[1][5] == reader.card_number
    csv_body = login(desk["a"]).get(reverse("circulation:pull_csv")).content.decode("utf-8-sig")
    assert "'=R SAI" in csv_body
