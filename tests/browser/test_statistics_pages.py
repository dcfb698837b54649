"""The annual report and the dashboards in a real browser at phone width: no sideways scroll
(wide tables scroll in their own region), a figure's link reached by keyboard opens the rows
behind it, and axe finds nothing serious."""

import pytest

from tests.browser.conftest import screenshot, serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_and_dashboards_at_phone_width(browser, live_server, staff, activity):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/pro/")
    page.get_by_label("Identifiant").fill("coord")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server.url}/pro/statistiques/rapport/2025/AAA/")
    assert page.get_by_role("heading", name="E2. Prêts").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    found = serious_violations(page)
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    screenshot(page, "annual-report-375")
    loans = page.locator("a[href$='/AAA/loans/']")
    loans.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading").first.inner_text().endswith(": 4")
    assert page.locator("tbody tr").count() == 4
    page.goto(f"{live_server.url}/pro/statistiques/?start=2025-01-01&end=2025-12-31")
    charts = page.locator("figure img")
    assert charts.count() >= 5
    assert charts.first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    found = serious_violations(page)
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    screenshot(page, "statistics-dashboards-375")
    context.close()
