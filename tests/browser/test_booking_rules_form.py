"""The MD's staff change a booking rule in a real browser, with the keyboard: a maximum
shorter than the minimum is refused in French with what was typed kept, then saved once
corrected; axe-core finds no serious violation on the rules page."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from maillon.bookings.models import BookingRule, ResourceKind
from maillon.network.models import Role
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(msgid: str) -> str:
    with translation.override("fr"):
        return gettext(msgid)


def test_md_staff_add_a_rule_with_the_keyboard(page, live_server, network, staff):
    kit = ResourceKind.objects.get(code="valise")
    page.goto(f"{live_server.url}/pro/outils-animation/regles/")
    page.get_by_label("Identifiant").fill(staff[Role.MD_STAFF].username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Booking rules"))

    page.get_by_role("link", name=fr("Add a rule")).focus()
    page.keyboard.press("Enter")
    page.locator("#id_kind").select_option(label=kit.name)
    page.locator("#id_owner").select_option(label=network["md"].name)
    page.locator("#id_min_days").fill("30")
    page.locator("#id_max_days").fill("14")
    page.locator("#id_max_days").press("Enter")
    expect(page.locator("form.form-grid")).to_contain_text(
        "La durée maximale (14 jours) est plus courte que la minimale (30 jours)."
    )
    expect(page.locator("#id_min_days")).to_have_value("30")
    assert not BookingRule.objects.filter(kind=kit, owner=network["md"]).exists()

    page.locator("#id_max_days").fill("60")
    page.locator("#id_max_days").press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        fr("Rule saved. It applies to the bookings asked for from now on.")
    )
    rule = BookingRule.objects.get(kind=kit, owner=network["md"])
    assert (rule.min_days, rule.max_days) == (30, 60)
    screenshot(page, "booking-rules")
    assert serious_violations(page) == []
