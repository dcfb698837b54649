"""The staff pages work at phone width (375 px) without sideways scrolling: reading points run
their desk on a tablet or a phone."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outermost elements that stick out on the right, to say what to fix.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 376
  && !e.parentElement.closest('.table-scroll') && e.getBoundingClientRect().width > 0
  && e.parentElement.getBoundingClientRect().right <= 376)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 5)"""

PAGES = [
    "/pro/",
    "/pro/circulation/",
    "/pro/circulation/retours/",
    "/pro/circulation/jour/",
    "/pro/catalogue/",
    "/pro/usagers/",
    "/pro/desherbage/",
    "/pro/recolement/",
    "/pro/circulation/regles/",
]


def test_main_staff_pages_fit_a_phone(browser, live_server, network, make_staff):
    from maillon.network.models import Role

    make_staff("phone", (network["a"], Role.LIBRARIAN))
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill("phone")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    too_wide = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 376:
            too_wide[path] = page.evaluate(WIDEST)
    context.close()
    assert too_wide == {}
