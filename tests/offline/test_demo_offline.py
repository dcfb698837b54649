"""The demo shows the offline desk's review list at work: Ménigoute's .koc file of yesterday
morning imported, two of its lines waiting for a librarian."""

import datetime as dt

from maillon.offline import services
from maillon.offline.demo import build_offline
from maillon.offline.models import OfflineFile, Status

TODAY = dt.date(2026, 11, 25)


def test_demo_offline(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()
    assert build_offline(TODAY) == {"operations": 5, "to_review": 2}
    file = OfflineFile.objects.get()
    assert file.library.code == "MEN" and file.name == "menigoute-2026-11-24.koc"
    waiting = list(services.conflicts(file.library))
    assert sorted(op.code for op in waiting) == ["already_on_loan", "unreadable_line"]
    assert file.operations.filter(status=Status.APPLIED).count() == 3
    assert build_offline(TODAY) == {}  # once
