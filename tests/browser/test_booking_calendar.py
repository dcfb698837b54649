"""A resource's availability calendar in a real browser at phone width: the page does not
scroll sideways, the keyboard reaches the next month, and axe finds nothing serious."""

import datetime as dt

import pytest
from django.utils import timezone

from maillon.bookings import services
from maillon.bookings.models import ResourceKind
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calendar_at_phone_width_and_by_keyboard(browser, live_server, staff, network, desk):
    coordinator = desk["head"]
    resource = services.create_resource(
        coordinator,
        kind=ResourceKind.objects.get(code="exposition"),
        title="Les p’tites bêtes du jardin",
        owner=network["md"],
    )
    start = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    booking = services.request_booking(
        coordinator, network["a"], resource, start, start + dt.timedelta(days=9)
    )
    services.approve(coordinator, booking)
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill(desk["a"].username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/pro/outils-animation/{resource.pk}/")
    assert page.get_by_role("heading", name="Disponibilité").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    following = page.get_by_role("link", name="Mois suivant")
    for _month in range(2):
        following.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if page.locator(".day-booked").count():
            break
    assert page.locator(".day-booked").first.inner_text().startswith(str(start.day))
    assert "réservé" in page.locator(".day-booked").first.inner_text()
    screenshot(page, "booking-calendar-375")
    found = serious_violations(page)
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    context.close()
