"""The public catalogue benchmark runs its pages for real and reports them (no speed asserted)."""

import pytest

from maillon.bench import opac_bench
from maillon.bench.opac_report import opac_markdown

pytestmark = pytest.mark.django_db


def test_run_times_every_page_and_the_baselines(network, make_item, make_record):
    for title in ("Histoire de France", "Le jardin secret"):
        make_item(make_record(title), network["a"])
    run = opac_bench.run(rounds=1)
    assert set(run["sets"]) == {"search page", "search() alone", "record page", "API record"}
    assert run["sets"]["record page"]["runs"] == 2
    assert run["sets"]["search page"]["runs"] == run["queries"]
    text = opac_markdown({"SQLite": run}, 2, "machine", "maillon bench --only opac")
    assert "| SQLite | record page | 2 |" in text
    assert "Re-run: `maillon bench --only opac`" in text
