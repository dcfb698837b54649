"""The circulation desk in a real browser, as a librarian with a barcode scanner works it: the
scanner types the code then presses Enter. Card, two items lent, the loans listed; one item back
at the returns page with its big action message; axe-core finds no serious violation."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from maillon.circulation.models import Loan
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, field: str, code: str) -> None:
    """What a scanner does: the characters one by one, then Enter."""
    page.locator(field).press_sequentially(code, delay=5)
    page.locator(field).press("Enter")


def fr(msgid: str) -> str:
    with translation.override("fr"):
        return gettext(msgid)


def test_lend_two_items_then_check_one_in(
    page, live_server, network, staff, make_patron, make_record, make_item
):
    today = timezone.localdate()
    reader = make_patron(
        "Martin",
        "Léa",
        registered_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=300),
    )
    first = make_item(make_record("Le Petit Prince"))
    second = make_item(make_record("Vingt mille lieues sous les mers"))
    wanted = make_item(make_record("Les Misérables"), network["b"], status="on_loan")

    page.goto(f"{live_server.url}/pro/circulation/")
    page.get_by_label("Identifiant").fill("libr")  # the librarian of AAA
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#scan-card")).to_be_focused()

    scan(page, "#scan-card", reader.card_number)
    expect(page.locator("#h-patron")).to_contain_text(reader.full_name)
    expect(page.locator("#scan-item")).to_be_focused()
    scan(page, "#scan-item", first.barcode)
    expect(page.locator("table.loans tbody tr")).to_have_count(1)
    # After each scan the field has the focus again: the next item can be scanned at once.
    expect(page.locator("#scan-item")).to_be_focused()
    scan(page, "#scan-item", second.barcode)
    rows = page.locator("table.loans tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=first.barcode)).to_contain_text("Le Petit Prince")
    expect(rows.filter(has_text=second.barcode)).to_contain_text("Vingt mille lieues")
    assert Loan.objects.filter(patron=reader, returned_at__isnull=True).count() == 2

    # A hold for the patron, from the barcode of a copy, picked up at their library.
    page.get_by_text(fr("Place a hold")).click()
    scan(page, "#hold-query", wanted.barcode)
    page.get_by_role("button", name=fr("Place the hold")).click()
    holds = page.locator("table.holds tbody tr")
    expect(holds).to_have_count(1)
    expect(holds).to_contain_text("Les Misérables")
    expect(holds.get_by_role("button", name=fr("Suspend"))).to_be_visible()
    screenshot(page, "circulation-desk")
    assert serious_violations(page) == []

    # The loan ticket: the desk offers it; it lists today's two loans on receipt paper.
    ticket = page.get_by_role("link", name=fr("Print the ticket"))
    href = ticket.get_attribute("href") or ""
    assert "imprimer=1" in href
    desk_url = page.url
    page.goto(live_server.url + href.replace("&imprimer=1", ""))
    receipt = page.locator("article.receipt")
    expect(receipt).to_contain_text("Le Petit Prince")
    expect(receipt).to_contain_text("Vingt mille lieues")
    expect(receipt).to_contain_text(reader.card_number)
    expect(receipt).not_to_contain_text(reader.surname)
    assert page.locator("article.receipt").bounding_box()["width"] < 500  # receipt paper
    page.goto(desk_url)

    page.locator(".desk-nav a[href$='/retours/']").click()
    expect(page.locator("#scan-return")).to_be_focused()
    scan(page, "#scan-return", first.barcode)
    result = page.locator(".checkin-result.big")
    expect(result.locator(".action-word")).to_have_text(fr("SHELVE HERE"))
    expect(result).to_contain_text(first.barcode)
    expect(result).to_have_attribute("role", "alert")
    screenshot(page, "circulation-checkin")
    assert serious_violations(page) == []
    assert list(
        Loan.objects.filter(patron=reader, returned_at__isnull=True).values_list(
            "item__barcode", flat=True
        )
    ) == [second.barcode]
