"""The network calendar in a real browser at tablet width: the clash is said in words, the
filters work by keyboard, the page does not scroll sideways, and axe finds nothing serious."""

import pytest

from maillon.network.models import Role
from maillon.programme import services
from maillon.programme.models import Audience, EventKind
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD
from tests.programme.conftest import SOON, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calendar_shows_the_clash_by_keyboard(browser, live_server, staff, network):
    coordinator = staff[Role.COORDINATOR]
    kind = EventKind.objects.get_or_create(code="story-time", defaults={"name": "Heure du conte"})[
        0
    ]
    for library, title in ((network["a"], "Conte du matin"), (network["a"], "Lectures d'albums")):
        event = services.create_event(
            coordinator, library, kind=kind, title=title, audience=Audience.CHILDREN
        )
        services.add_sessions(coordinator, event, [(at(SOON, 10), at(SOON, 11))])
        services.publish(coordinator, event)
    context = browser.new_context(locale="fr-FR", viewport={"width": 768, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill(coordinator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/pro/animations/calendrier/?mois={SOON:%Y-%m}")
    clashes = page.get_by_role("region", name="Conflits").or_(
        page.locator("section", has=page.get_by_role("heading", name="Conflits"))
    )
    assert "Conte du matin" in clashes.first.inner_text()
    assert page.locator(".programme-calendar .clash").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 769
    screenshot(page, "network-calendar-768")
    page.get_by_label("Affichage").select_option("liste")
    page.get_by_label("Public").select_option("children")
    page.get_by_role("button", name="Afficher").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".calendar-list .clash").count() == 2
    found = serious_violations(page)
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    context.close()
