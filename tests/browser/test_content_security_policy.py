"""The pages keep to their Content-Security-Policy in a real browser: nothing refused."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_break_no_rule(page, live_server, network, make_staff):
    from maillon.network.models import Role

    make_staff("csp", (network["a"], Role.LIBRARIAN))
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for path in ("/", "/recherche/?q=prince"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill("csp")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for path in ("/pro/", "/pro/circulation/", "/pro/desherbage/", "/pro/recolement/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()  # Swagger UI drew the operations
    assert refused == []
