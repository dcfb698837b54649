import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_login_switch_library_and_language(page, live_server, network, make_staff):
    from maillon.network.models import Role

    make_staff("double", (network["a"], Role.LIBRARIAN), (network["b"], Role.VOLUNTEER))
    page.goto(f"{live_server.url}/pro/")
    assert page.locator("h1").inner_text() == "Connexion du personnel"

    # The skip link is the first stop of the tab order and takes the focus to the content.
    first = "document.querySelector('a[href], button, input:not([type=hidden]), select')"
    assert page.evaluate(f"{first}.className") == "skip-link"
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # Typing then Enter logs in, as with a keyboard only.
    page.get_by_label("Identifiant").fill("double")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Aujourd’hui à la Bibliothèque AAA")
    screenshot(page, "staff-home")

    page.get_by_label("Je travaille à").select_option(label="Bibliothèque BBB")
    page.get_by_role("button", name="Changer").click()
    assert "Aujourd’hui à la Bibliothèque BBB" in page.locator("h1").inner_text()

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="OK").click()
    assert "Today at Bibliothèque BBB" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="Log out").click()
    assert page.locator("h1").inner_text() == "Staff login"


def test_tablet_width_keeps_navigation_usable(page, live_server, network, staff):
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}/pro/compte/connexion/")
    page.get_by_label("Identifiant").fill("coord")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    nav = page.get_by_role("navigation", name="Menu principal")
    nav.get_by_role("link", name="Bibliothèques").click()
    assert page.locator("h1").inner_text() == "Bibliothèques du réseau"
    # Nothing overflows sideways on a tablet.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "staff-libraries-tablet")
