"""The offline desk in a real Chromium: the page is loaded once, the network is cut, a loan and
a return are recorded in the browser, the page says it is offline and how many operations
wait; the network comes back and the operations reach the database, in order, once."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillon.circulation.models import Loan
from maillon.circulation.services import checkout
from maillon.offline.models import OfflineOperation, Status
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.test_circulation_desk import fr, scan
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_loans_and_returns_recorded_offline_reach_the_server_when_it_is_back(
    page, live_server, network, desk, make_patron, make_record, make_item
):
    today = timezone.localdate()
    valid = {
        "registered_on": today - dt.timedelta(days=30),
        "expires_on": today + dt.timedelta(days=300),
    }
    reader, other = make_patron("Martin", "Léa", **valid), make_patron("Durand", "Paul", **valid)
    lent = make_item(make_record("Le Petit Prince"))
    back = make_item(make_record("Les Misérables"))
    earlier = checkout(desk["a"], network["a"], other, back)

    page.goto(f"{live_server.url}/pro/pret-secouru/")
    page.get_by_label("Identifiant").fill("libr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#offline-desk")).to_have_attribute("data-ready", "true")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "online")
    # The worker has kept the page and its files: it may be reloaded with no server.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert serious_violations(page) == []

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-desk")).to_have_attribute("data-ready", "true")
    expect(page.locator("#offline-card")).to_be_focused()
    scan(page, "#offline-card", reader.card_number)
    expect(page.locator("#offline-barcode")).to_be_focused()
    scan(page, "#offline-barcode", lent.barcode)
    # The page saves the loan, then gives the focus back to the barcode field: scan on after.
    expect(page.locator("#offline-queue tbody tr")).to_have_count(1)
    scan(page, "#offline-return", back.barcode)

    state = page.locator("#offline-state")
    expect(state).to_have_attribute("data-state", "offline")
    offline = (
        "Offline: the operations are kept in this browser and sent when the server answers again."
    )
    expect(state).to_contain_text(fr(offline))
    expect(page.locator("#offline-waiting")).to_have_text(
        fr("%(count)s operations waiting to be sent") % {"count": 2}
    )
    rows = page.locator("#offline-queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(lent.barcode)
    expect(rows.nth(1)).to_contain_text(back.barcode)
    screenshot(page, "offline-desk-offline")
    assert not Loan.objects.filter(item=lent).exists()
    assert OfflineOperation.objects.count() == 0

    page.context.set_offline(False)
    expect(page.locator("#offline-waiting")).to_have_text(
        fr("No operation waiting"), timeout=20_000
    )
    expect(state).to_have_attribute("data-state", "online")
    expect(rows).to_have_count(0)
    expect(page.locator("#offline-results li")).to_have_count(2)

    loan = Loan.objects.get(item=lent)
    assert loan.patron == reader and loan.returned_at is None
    earlier.refresh_from_db()
    assert earlier.returned_at is not None and earlier.returned_at < timezone.now()
    assert earlier.returned_at > loan.checked_out_at  # in the order they were recorded
    ops = list(OfflineOperation.objects.order_by("seq"))
    assert [(o.seq, o.kind, o.status) for o in ops] == [
        (1, "checkout", Status.APPLIED),
        (2, "checkin", Status.APPLIED),
    ]
    # Sending again (the button) changes nothing: the queue is empty, the loans are the same.
    page.get_by_role("button", name=fr("Send now")).click()
    expect(page.locator("#offline-waiting")).to_have_text(fr("No operation waiting"))
    assert Loan.objects.count() == 2 and OfflineOperation.objects.count() == 2

    # The session ends (cookies gone): the operation waits, and the page asks to log in again.
    page.context.clear_cookies()
    scan(page, "#offline-return", lent.barcode)
    expect(state).to_have_attribute("data-state", "login")
    expect(page.locator("#offline-waiting")).to_have_text(fr("1 operation waiting to be sent"))
    expect(page.get_by_role("link", name=fr("Log in"))).to_be_visible()
    assert Loan.objects.get(item=lent).returned_at is None


# Holds a read-write transaction on the page's IndexedDB stores for `ms` milliseconds: the
# page's own save of an operation waits behind it, as on a slow or busy disk.
# Holds the desk's stores busy until the test releases them (`RELEASE_STORAGE`), so that a
# save ends exactly when the test says, however slow the machine (a fixed delay ran out first
# under load). A guard releases them after 20 s should a test forget.
HOLD_STORAGE = """() => new Promise((held) => {
  window.storageHeld = true;
  const open = indexedDB.open("maillon-pret-secouru", 1);
  open.onsuccess = () => {
    const transaction = open.result.transaction(["meta", "queue"], "readwrite");
    const meta = transaction.objectStore("meta");
    const until = Date.now() + 20000;
    const spin = () => {
      if (window.storageHeld && Date.now() < until) { meta.get("seq").onsuccess = spin; }
    };
    spin();
    held();
  };
})"""
RELEASE_STORAGE = "() => { window.storageHeld = false; }"


def test_a_slow_save_leaves_the_focus_where_the_librarian_put_it(
    page, live_server, network, desk, make_patron, make_record, make_item
):
    """A loan saved while the librarian already scans a return: the save must not pull the
    focus back to the loan's barcode field, which would split the return's scan in two."""
    today = timezone.localdate()
    reader = make_patron(
        "Martin",
        "Léa",
        registered_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=300),
    )
    lent = make_item(make_record("Le Petit Prince"))
    page.goto(f"{live_server.url}/pro/pret-secouru/")
    page.get_by_label("Identifiant").fill("libr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#offline-desk")).to_have_attribute("data-ready", "true")
    page.context.set_offline(True)  # nothing sent: only the browser's save is awaited

    scan(page, "#offline-card", reader.card_number)
    page.evaluate(HOLD_STORAGE)
    scan(page, "#offline-barcode", lent.barcode)  # its save waits behind the held stores
    expect(page.locator("#offline-queue tbody tr")).to_have_count(0)
    page.locator("#offline-return").click()
    page.locator("#offline-return").press_sequentially("RET-12", delay=5)
    # The save ends while the return is being scanned; the rest of the scan follows.
    page.evaluate(RELEASE_STORAGE)
    expect(page.locator("#offline-queue tbody tr")).to_have_count(1, timeout=10_000)
    page.locator("#offline-return").press_sequentially("345", delay=5)
    expect(page.locator("#offline-return")).to_be_focused()
    expect(page.locator("#offline-return")).to_have_value("RET-12345")
    expect(page.locator("#offline-barcode")).to_have_value("")

    # The focus left on the loan's field (or nowhere) still comes back to it after a save.
    page.evaluate(HOLD_STORAGE)
    scan(page, "#offline-barcode", "AUTRE-1")
    page.evaluate("document.activeElement.blur()")
    expect(page.locator("#offline-queue tbody tr")).to_have_count(1)  # still saving
    page.evaluate(RELEASE_STORAGE)
    expect(page.locator("#offline-queue tbody tr")).to_have_count(2, timeout=10_000)
    expect(page.locator("#offline-barcode")).to_be_focused()
