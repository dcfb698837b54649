"""The programme benchmark builds its network, times both pages and their baselines for real and
reports them (no speed asserted)."""

import pytest

from maillon.bench import programme_bench
from maillon.programme.models import Event

pytestmark = pytest.mark.django_db


def test_run_times_both_pages_and_their_baselines():
    run = programme_bench.run(seed=3, rounds=1, libraries=6, events=120)
    assert Event.objects.count() == 120 and run["sessions"] >= 120
    for name in ("agenda", "agenda_baseline", "calendar", "calendar_baseline"):
        assert run[name]["runs"] == 10 and run[name]["median"] > 0
    text = programme_bench.markdown({"SQLite": run}, "machine")
    assert "| SQLite | network calendar | 10 |" in text
    assert "Re-run: `maillon bench --only programme`" in text
