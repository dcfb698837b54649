"""The public catalogue in a real browser: search → facet → record → library, on a desktop
and on a phone, keyboard first, with axe-core finding no serious accessibility violation."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from maillon.catalogue.marc.extract import Series
from maillon.catalogue.models import ItemType
from maillon.catalogue.search import rebuild_index
from maillon.network.models import Closure, LibraryKind, OpeningHours
from tests.browser.conftest import screenshot
from tests.catalogue.factories import item, marc, write
from tests.conftest import make_library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def public_catalogue(tmp_path):
    from django.utils import timezone

    from maillon.catalogue.importer import import_marc

    # A transactional test empties every table after it, migrations' rows included.
    ItemType.objects.get_or_create(code="LIVRE", defaults={"name": "Livre"})
    today = timezone.localdate()
    head = make_library(
        "PAR",
        LibraryKind.HEAD,
        name="Médiathèque de Parthenay",
        commune="Parthenay",
        postcode="79200",
        address="8 rue de la Citadelle",
        phone="05 49 64 00 00",
        email="mediatheque@example.org",
        latitude="46.648600",
        longitude="-0.247800",
        shuttle_days=[1, 2, 3, 4, 5],
    )
    member = make_library(
        "SEC",
        name="Bibliothèque de Secondigny",
        commune="Secondigny",
        postcode="79130",
        address="2 place de l'Église",
        shuttle_days=[2, 5],
    )
    for library in (head, member):
        for weekday in (3, 6):
            OpeningHours.objects.create(
                library=library, weekday=weekday, opens=dt.time(10), closes=dt.time(12, 30)
            )
        OpeningHours.objects.create(
            library=library, weekday=3, opens=dt.time(14), closes=dt.time(18)
        )
        OpeningHours.objects.create(
            library=library, weekday=today.isoweekday(), opens=dt.time(16), closes=dt.time(18, 30)
        )
    Closure.objects.create(
        library=member,
        start=today + dt.timedelta(days=12),
        end=today + dt.timedelta(days=15),
        reason="inventaire",
    )
    write(
        tmp_path / "cat.mrc",
        [
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1830,
                isbn="9782070412044",
                series=[Series("Folio classique", "17")],
                subjects=["Roman français -- 19e siècle"],
                summary="Julien Sorel, fils de charpentier, veut s'élever dans la société de la "
                "Restauration.",
                items=[
                    item("P1", "PAR", call_number="R STE"),
                    item("S1", "SEC", call_number="R STE"),
                ],
            ),
            marc(
                "La Chartreuse de Parme",
                author="Stendhal",
                year=1839,
                items=[item("S2", "SEC", call_number="R STE")],
            ),
            marc(
                "Le Père Goriot",
                author="Balzac, Honoré de",
                year=1835,
                items=[item("P2", "PAR", call_number="R BAL")],
            ),
        ],
    )
    import_marc(tmp_path / "cat.mrc", head, reject_dir=tmp_path)
    # Between transactional tests Django empties the model tables but not the full-text
    # table (not a model): start from an index of these rows only.
    rebuild_index()
    return {"head": head, "member": member}


def assert_accessible(page, what: str) -> None:
    results = Axe().run(page)
    grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not grave, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in grave
    )


def assert_no_sideways_scroll(page, what: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.viewport_size["width"], f"{what}: {wide}px wide"


def journey(page, base: str, name: str) -> None:
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, "home")
    assert_no_sideways_scroll(page, "home")
    screenshot(page, f"opac-{name}-home")

    page.get_by_role("searchbox", name="Chercher dans le catalogue").fill("stendhal")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("2 documents")
    assert_accessible(page, "search results")
    assert_no_sideways_scroll(page, "search results")
    screenshot(page, f"opac-{name}-results")

    page.get_by_role("navigation", name="Affiner la recherche").get_by_role(
        "link", name="Médiathèque de Parthenay"
    ).click()
    expect(page.get_by_role("status")).to_have_text("1 document")
    assert "library=PAR" in page.url  # shareable: the state is in the address
    page.get_by_role("link", name="Le Rouge et le Noir").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Le Rouge et le Noir")
    expect(page.get_by_role("row", name="Bibliothèque de Secondigny")).to_be_visible()
    assert_accessible(page, "record")
    assert_no_sideways_scroll(page, "record")
    screenshot(page, f"opac-{name}-record")

    page.get_by_role("link", name="Bibliothèque de Secondigny").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliothèque de Secondigny")
    expect(page.get_by_text("inventaire")).to_be_visible()
    assert_accessible(page, "library")
    assert_no_sideways_scroll(page, "library")
    screenshot(page, f"opac-{name}-library")


def test_search_facet_record_library_on_a_desktop(page, live_server, public_catalogue):
    journey(page, live_server.url, "desktop")


def test_search_facet_record_library_on_a_phone(browser, live_server, public_catalogue):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        journey(page, live_server.url, "phone")
        page.goto(f"{live_server.url}/bibliotheques/")
        assert_no_sideways_scroll(page, "libraries")
        assert_accessible(page, "libraries")
        page.goto(f"{live_server.url}/nouveautes/")
        assert_no_sideways_scroll(page, "new arrivals")
        assert_accessible(page, "new arrivals")
        screenshot(page, "opac-phone-new")
    finally:
        context.close()


def test_keyboard_only(page, live_server, public_catalogue):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # From the main landmark, the next stop is the search box: type and search.
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Chercher dans le catalogue")).to_be_focused()
    page.keyboard.type("goriot")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 document")
    page.get_by_role("link", name="Le Père Goriot").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le Père Goriot")


def test_empty_and_absurd_searches_in_the_browser(page, live_server, public_catalogue):
    page.goto(f"{live_server.url}/recherche/?q=")
    expect(page.get_by_role("searchbox", name="Chercher dans le catalogue")).to_be_visible()
    assert_accessible(page, "empty search")
    page.goto(f"{live_server.url}/recherche/?q=stendhal&page=99999")
    expect(page.get_by_role("alert")).to_contain_text("99999")
    page.goto(f"{live_server.url}/notice/987654/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "record not found")
    screenshot(page, "opac-desktop-404")
