import pytest
from playwright.sync_api import expect

from maillon.network.models import Role
from tests.browser.conftest import screenshot
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_refine_open_record_and_item(page, live_server, network, make_staff, tmp_path):
    from maillon.catalogue.importer import import_marc

    write(
        tmp_path / "a.mrc",
        [
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1830,
                items=[item("A1", "AAA"), item("B1", "BBB")],
            ),
            marc("La Chartreuse de Parme", author="Stendhal", year=1839, items=[item("B2", "BBB")]),
            marc(
                "Le Père Goriot", author="Balzac, Honoré de", year=1835, items=[item("A2", "AAA")]
            ),
        ],
    )
    import_marc(tmp_path / "a.mrc", network["a"], reject_dir=tmp_path)
    make_staff("vol", (network["a"], Role.VOLUNTEER))
    page.goto(f"{live_server.url}/pro/compte/connexion/?next=/pro/catalogue/")
    page.get_by_label("Identifiant").fill("vol")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")

    # Accents ignored; the box has the focus, so typing then Enter searches (as a scanner does).
    box = page.get_by_label("Chercher dans le catalogue")
    expect(box).to_be_focused()
    box.press_sequentially("STENDHAL")
    box.press("Enter")
    expect(page.get_by_role("status")).to_have_text("2 notices")
    page.get_by_role("navigation", name="Affiner la recherche").get_by_role(
        "link", name="Bibliothèque AAA"
    ).click()
    expect(page.get_by_role("status")).to_have_text("1 notice")
    screenshot(page, "staff-catalogue-search")
    page.get_by_role("link", name="Le Rouge et le Noir").click()
    expect(page.locator("h1")).to_contain_text("Le Rouge et le Noir")
    expect(page.get_by_role("heading", name="Bibliothèque BBB")).to_be_visible()

    # A barcode typed in the search box leads straight to the item and its history.
    page.goto(f"{live_server.url}/pro/catalogue/")
    box = page.get_by_label("Chercher dans le catalogue")
    expect(box).to_be_focused()
    box.press_sequentially("B2")
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Exemplaire B2")
    expect(page.get_by_role("cell", name="Importé")).to_be_visible()
