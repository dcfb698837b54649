"""The coordinator changes the loan rules in a real browser, with the keyboard only: a new rule
for DVDs at one library, seen at once in that library's grid and named by "which rule
applies?"; axe-core finds no serious violation on the rules page."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from maillon.circulation.models import LoanRule
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(msgid: str, **values) -> str:
    with translation.override("fr"):
        return gettext(msgid) % values


def test_coordinator_adds_a_rule_with_the_keyboard(
    page, live_server, network, staff, categories, types, default_rule
):
    page.goto(f"{live_server.url}/pro/circulation/regles/")
    page.get_by_label("Identifiant").fill("coord")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Loan rules"))

    page.get_by_role("link", name=fr("Add a rule")).focus()
    page.keyboard.press("Enter")
    page.get_by_label(fr("library").capitalize()).select_option(label=network["b"].name)
    page.get_by_label(fr("item type").capitalize()).select_option(label="DVD")
    page.get_by_label(fr("loan length (days)").capitalize()).fill("7")
    page.get_by_label(fr("renewals allowed").capitalize()).fill("0")
    page.get_by_label(fr("holds allowed").capitalize()).uncheck()
    page.get_by_label(fr("note").capitalize()).fill("Petit fonds de DVD")
    page.get_by_label(fr("note").capitalize()).press("Enter")

    expect(page.locator(".messages")).to_contain_text(
        fr(
            "Rule saved: %(scope)s. It applies to loans made from now on.",
            scope=str(LoanRule.objects.get(library=network["b"])),
        )
    )
    rule = LoanRule.objects.get(library=network["b"], item_type=types["DVD"])
    assert (rule.loan_days, rule.renewals, rule.holds_allowed) == (7, 0, False)

    page.get_by_label(fr("Library"), exact=True).last.select_option(label=network["b"].name)
    page.locator("#grille button[type=submit]").click()
    dvd_row = page.locator("table.rule-grid tbody tr", has_text="DVD")
    expect(dvd_row.locator("td").first).to_contain_text(fr("%(days)s d", days=7))
    expect(dvd_row.locator("td").first).to_contain_text(fr("no holds"))
    dvd_row.locator("td a").first.click()
    expect(page.locator("#pourquoi .explanation")).to_contain_text(
        fr("the library %(name)s", name=network["b"].name)
    )
    screenshot(page, "loan-rules")
    assert serious_violations(page) == []
