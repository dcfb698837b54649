"""The patron's whole journey in a real browser, with the desk doing its part in between:
search → record → reserve for pickup at A → checked in at B, sent by the shuttle → checked in
at A → "ready at A until …" in the account; renew a loan; log out. Accessibility checked on the
login, record and account pages. Run in English, the patron's other language (the French
words of these pages come with the translation catalogue)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillon.catalogue.models import Item, ItemType
from maillon.catalogue.search import rebuild_index
from maillon.circulation import services
from maillon.circulation.models import Hold, HoldStatus, Loan, LoanRule
from maillon.network.models import LibraryKind, Role
from maillon.patrons.models import CategoryKind, Patron, PatronCategory
from tests.browser.conftest import screenshot
from tests.browser.test_opac_search import PHONE, assert_accessible, assert_no_sideways_scroll
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD, make_library
from tests.opac.conftest import PATRON_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(tmp_path, make_staff):
    from django.contrib.auth.hashers import make_password

    from maillon.catalogue.importer import import_marc

    ItemType.objects.get_or_create(code="LIVRE", defaults={"name": "Livre"})
    LoanRule.objects.get_or_create(
        library=None,
        patron_category=None,
        item_type=None,
        defaults={"loan_days": 21, "renewals": 2, "holds_allowed": True, "hold_shelf_days": 10},
    )
    head = make_library(
        "PAR", LibraryKind.HEAD, name="Médiathèque de Parthenay", shuttle_days=[1, 2, 3, 4, 5, 6, 7]
    )
    a = make_library("AVA", name="Médiathèque d'Aval", shuttle_days=[1, 2, 3, 4, 5, 6, 7])
    b = make_library("BOI", name="Bibliothèque de Bois", shuttle_days=[1, 2, 3, 4, 5, 6, 7])
    write(
        tmp_path / "cat.mrc",
        [
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1830,
                items=[item("BOI001", "BOI", call_number="R STE")],
            ),
            marc(
                "Le Père Goriot",
                author="Balzac, Honoré de",
                year=1835,
                items=[item("AVA001", "AVA", call_number="R BAL")],
            ),
        ],
    )
    import_marc(tmp_path / "cat.mrc", head, reject_dir=tmp_path)
    rebuild_index()
    today = timezone.localdate()
    adult = PatronCategory.objects.create(code="ADU", name="Adulte", kind=CategoryKind.ADULT)
    reader = Patron.objects.create(
        card_number="10000001",
        surname="Martin",
        first_name="Léa",
        category=adult,
        birth_date=dt.date(1990, 5, 17),
        home_library=a,
        email="lea@example.org",
        registered_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=265),
        password=make_password(PATRON_PASSWORD),
    )
    librarian = make_staff("biblio", (a, Role.LIBRARIAN), (b, Role.LIBRARIAN))
    # A loan lent three weeks ago, due today: renewing it gives three more weeks.
    loan = services.checkout(librarian, a, reader, "AVA001")
    Loan.objects.filter(pk=loan.pk).update(
        due_on=today, checked_out_at=timezone.now() - dt.timedelta(days=21)
    )
    return {"a": a, "b": b, "reader": reader, "loan": loan}


def patron_logs_in_to_reserve(page, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("searchbox", name="Search the catalogue").fill("rouge noir")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Le Rouge et le Noir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le Rouge et le Noir")
    assert_accessible(page, "record")
    page.get_by_role("link", name=re.compile("^Reserve")).click()
    # Not logged in yet: the login page, then back to the reservation.
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to my account")
    assert_accessible(page, "login")
    page.get_by_label("Card number").fill("10000001")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong card number or password")
    page.get_by_label("Password").fill(PATRON_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reserve")


def test_reserve_transit_ready_renew_logout(browser, live_server, town):
    base = live_server.url
    patron = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 768})
    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    try:
        page = patron.new_page()
        page.set_default_timeout(10_000)
        patron_logs_in_to_reserve(page, base)
        # Home library (A) chosen by default; the only copy is at B: the shuttle brings it.
        expect(page.get_by_label("I will pick it up at")).to_have_value("AVA")
        expect(page.locator("#delai")).to_contain_text("Bibliothèque de Bois")
        expect(page.locator("#delai")).to_contain_text("the shuttle should bring it")
        page.get_by_role("button", name="Confirm the reservation at Médiathèque d'Aval").click()
        expect(page.get_by_role("status").first).to_contain_text("is recorded")
        expect(page.locator(".hold-status")).to_contain_text("Waiting: number 1 in line")
        hold = Hold.objects.get(patron=town["reader"])
        assert hold.pickup_library == town["a"]

        # The desk at B: check-in says to send it to A; the day's lists send it.
        staff = desk.new_page()
        staff.set_default_timeout(10_000)
        staff.goto(f"{base}/pro/")
        staff.get_by_label("Username").fill("biblio")
        staff.get_by_label("Password").fill(PASSWORD)
        staff.get_by_role("button", name="Log in").click()
        staff.get_by_label("I work at").select_option(label="Bibliothèque de Bois")
        staff.get_by_role("button", name="Switch").click()
        staff.goto(f"{base}/pro/circulation/retours/")
        staff.get_by_label("Item returned or received by the shuttle").fill("BOI001")
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator(".checkin-result.big")).to_contain_text("SEND TO Médiathèque d'Aval")
        screenshot(staff, "journey-desk-b-send")
        staff.goto(f"{base}/pro/circulation/jour/")
        staff.get_by_role("button", name="Sent BOI001").click()
        assert Item.objects.get(barcode="BOI001").status == "in_transit"

        # The shuttle arrives at A: checked in there, it goes on the hold shelf.
        staff.get_by_label("I work at").select_option(label="Médiathèque d'Aval")
        staff.get_by_role("button", name="Switch").click()
        staff.goto(f"{base}/pro/circulation/retours/")
        staff.get_by_label("Item returned or received by the shuttle").fill("BOI001")
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator(".checkin-result.big")).to_contain_text("HOLD SHELF")
        hold.refresh_from_db()
        assert hold.status == HoldStatus.READY

        # The patron's account: ready at A until the shelf date; renew the loan; log out.
        page.goto(f"{base}/compte/")
        expect(page.locator(".hold-status")).to_contain_text("Ready at Médiathèque d'Aval until")
        expect(page.locator(".hold-status")).to_contain_text(str(hold.ready_until.day))
        assert_accessible(page, "account")
        screenshot(page, "journey-account-ready")
        page.get_by_role("button", name="Renew : Le Père Goriot").click()
        expect(page.get_by_role("status").first).to_contain_text("renewed")
        assert Loan.objects.get(pk=town["loan"].pk).renewals == 1
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
        page.goto(f"{base}/compte/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in to my account")
    finally:
        patron.close()
        desk.close()


def test_account_pages_on_a_phone(browser, live_server, town):
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/compte/connexion/")
        assert_no_sideways_scroll(page, "login")
        page.get_by_label("Card number").fill("10000001")
        page.get_by_label("Password").fill(PATRON_PASSWORD)
        page.keyboard.press("Enter")  # the keyboard alone logs in
        expect(page.get_by_role("heading", level=1)).to_contain_text("My account")
        for path, what in (
            ("/compte/", "account"),
            ("/compte/historique/", "history"),
            ("/compte/coordonnees/", "details"),
            ("/compte/choix/", "choices"),
        ):
            page.goto(f"{live_server.url}{path}")
            assert_accessible(page, what)
            assert_no_sideways_scroll(page, what)
        screenshot(page, "journey-phone-choices")
    finally:
        context.close()
