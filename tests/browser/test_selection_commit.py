"""A librarian commits copies on a shared selection list in a real browser, with the keyboard
only: quantity, fund (arrow keys), Enter; a commitment that would overspend the fund comes back
with the reason field, typed and sent with Enter; axe-core finds no serious violation."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from maillon.purchasing.models import Commitment
from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD
from tests.purchasing.conftest import (  # noqa: F401 (fixtures)
    books,
    funds,
    open_today,
    proposed,
    season,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(msgid: str, **values) -> str:
    with translation.override("fr"):
        return gettext(msgid) % values


def test_librarian_commits_with_the_keyboard(page, live_server, network, staff, request):
    # The purchasing fixtures imported above, asked by name (they share the names).
    budget = request.getfixturevalue("funds")
    titles = request.getfixturevalue("proposed")
    chosen = request.getfixturevalue("open_today")
    capped, free = titles["capped"], titles["free"]
    page.goto(f"{live_server.url}/pro/achats/listes/{chosen.pk}/")
    page.get_by_label("Identifiant").fill("libr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(chosen.name)

    page.locator(f"#q{capped.pk}").focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    expect(page.locator(f"#f{capped.pk}")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Adultes → Jeunesse
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Commit button
    expect(page.locator(".messages")).to_contain_text(
        fr("Commitment saved for “%(title)s”.", title="Veiller sur elle")
    )
    mine = Commitment.objects.get(title=capped, library=network["a"])
    assert (mine.quantity, mine.fund) == (2, budget["a_youth"])
    expect(page.locator(f"#q{capped.pk}")).to_have_value("2")

    # 30 copies at 20 € from the youth fund (500 €, 45 € already promised): a reason is asked.
    page.locator(f"#q{free.pk}").focus()
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("La Tresse")
    reason = page.locator(f"#r{free.pk}")
    expect(reason).to_be_visible()
    assert not Commitment.objects.filter(title=free).exists()
    expect(page.locator(f"#q{free.pk}")).to_have_value("30")  # what was typed is kept
    reason.focus()
    page.keyboard.type("Prix littéraire du réseau : un exemplaire par club de lecture")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        fr("Commitment saved for “%(title)s”.", title="La Tresse")
    )
    kept = Commitment.objects.get(title=free, library=network["a"])
    assert (kept.quantity, kept.fund) == (30, budget["a_youth"])
    assert kept.overspent_reason.startswith("Prix littéraire")
    screenshot(page, "selection-commit")
    assert serious_violations(page) == []
