"""The exchange grid in a real browser: at phone width only the table scrolls sideways, the
keyboard reaches it and scrolls it, and axe finds nothing serious."""

import pytest

from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD
from tests.rotation.conftest import ring as ring  # the plan of three libraries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_fits_a_phone_and_scrolls_by_keyboard(browser, live_server, ring, desk):
    plan = ring["plan"]
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill(desk["head"].username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/pro/plans-de-circulation/{plan.pk}/")
    assert page.get_by_role("heading", name="Grille d’échange").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    region = page.get_by_role("region", name="Grille d’échange")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Scrolling may be smooth: wait for it to move rather than read it at once.
    page.wait_for_function(
        "() => document.querySelector('.rotation-grid').parentElement.scrollLeft > 0"
    )
    screenshot(page, "rotation-grid-375")
    assert serious_violations(page) == []
    context.close()


def test_exchange_board_fits_a_phone_and_is_reached_by_keyboard(browser, live_server, ring, desk):
    from maillon.rotation import services

    plan = ring["plan"]
    services.publish(desk["head"], plan)
    plan.refresh_from_db()
    services.run_exchange(desk["head"], plan, 1)
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill(desk["a"].username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/pro/plans-de-circulation/{plan.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tableau de l’échange").first.click()
    assert page.get_by_role("heading", name="Bibliothèque AAA").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    region = page.get_by_role("region", name="Bibliothèque AAA À préparer et envoyer")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    assert "envoyé" in region.inner_text()
    screenshot(page, "rotation-board-375")
    assert serious_violations(page) == []
    context.close()
