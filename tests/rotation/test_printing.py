"""The printed exchange grid: read once whatever the number of libraries, every library's page
saying what it sends and receives on each date, and a large network's grid cut into tables of
even width."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillon.lots import services as lots
from maillon.rotation import printing
from maillon.rotation.models import Cell
from tests.conftest import make_library
from tests.rotation.conftest import monthly_plan


def _plan(desk, make_item, record_of, libraries, name="Plan imprimé"):
    crates = []
    for library in libraries:
        lot = lots.create(desk["head"], library, f"Caisse {library.code}")
        lots.add(desk["head"], lot, make_item(record_of(f"Titre {library.code}"), library).barcode)
        crates.append(lot)
    return monthly_plan(desk["head"], crates, name=name)[0]


def _statements(plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        printing.html(plan)
    return len(queries.captured_queries)


def test_the_grid_is_read_once_whatever_the_number_of_libraries(
    network, desk, make_item, record_of
):
    small = _plan(desk, make_item, record_of, [network["a"], network["b"]])
    others = [make_library(f"L{n:02d}") for n in range(7)]
    large = _plan(desk, make_item, record_of, [network["a"], network["b"], *others], "Grand")
    assert _statements(large) == _statements(small)


def test_each_library_page_lists_what_it_sends_and_receives(ring):
    plan = ring["plan"]
    page = {}
    for library in ring["libraries"]:
        text = printing.html(plan, library)
        assert "Grille" not in text and text.count('class="page"') == 1
        page[library.pk] = text
    moves = Cell.objects.filter(plan=plan, number__gte=1, from_library__isnull=False)
    assert moves.count() == 3 * 4
    for cell in moves.select_related("lot", "library", "from_library"):
        sent = f"{cell.lot.code}</strong> {cell.lot.name} → {cell.library.name}"
        received = f"{cell.lot.code}</strong> {cell.lot.name} ← {cell.from_library.name}"
        assert sent in page[cell.from_library_id] and received in page[cell.library_id]
        assert sent not in page[cell.library_id]
    whole = printing.html(plan)
    assert whole.count('class="page"') == 3 and whole.count('class="grid"') == 1


def test_a_large_network_grid_is_cut_into_tables_of_even_width(network, desk, make_item, record_of):
    others = [make_library(f"L{n:02d}") for n in range(8)]
    plan = _plan(desk, make_item, record_of, [network["a"], network["b"], *others])
    text = printing.html(plan)
    tables = re.findall(r'<table class="grid">.*?</table>', text, re.S)
    assert len(tables) == 2  # ten libraries: five and five, each with the exchange dates
    for table in tables:
        assert table.count("<th>Bibliothèque ") == 5
        assert table.count("<tr><th>") == 3
    for library in [network["a"], network["b"], *others]:
        assert "".join(tables).count(f"<th>{library.name}</th>") == 1
    assert printing.pdf(plan).startswith(b"%PDF")
