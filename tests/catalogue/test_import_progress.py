"""The import's progress follows the bytes read, so its total is the file's size, known at once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from maillon.catalogue.importer import import_marc
from maillon.catalogue.management.commands import import_marc as command
from maillon.catalogue.models import Record


@pytest.mark.parametrize("name", ["regression45.dat", "marc.dat", "batch.xml"])
def test_progress_adds_up_to_the_file_size(tmp_path, libraries, shared_data, name):
    path = shared_data / "pymarc" / name
    steps: list[int] = []
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path, progress=steps.append)
    assert report.read > 0
    assert all(step >= 0 for step in steps)
    assert sum(steps) == path.stat().st_size


def test_the_command_bar_reaches_its_total_and_the_summary_keeps_its_counts(
    tmp_path, libraries, shared_data, monkeypatch
):
    path = shared_data / "pymarc" / "regression45.dat"
    bars = []

    class Bar:
        """Stands for tqdm, which draws nothing when the test's stderr is not a terminal."""

        def __init__(self, *, total, **_options):
            self.total, self.n = total, 0
            bars.append(self)

        def update(self, n: int) -> None:
            self.n += n

        def close(self) -> None:
            pass

    monkeypatch.setattr(command, "tqdm", Bar)
    out = StringIO()
    call_command(
        "import_marc", str(path), "--library", "AAA", "--rejects", str(tmp_path), stdout=out
    )
    [bar] = bars
    assert bar.total == path.stat().st_size and bar.n == bar.total
    # "R records read: C created, M merged, U unchanged, J rejected; I items added."
    read, created, merged, unchanged, rejected, _items = map(
        int, re.findall(r"\d+", out.getvalue().splitlines()[0])
    )
    assert created == Record.objects.count() > 0
    assert read == created + merged + unchanged + rejected
