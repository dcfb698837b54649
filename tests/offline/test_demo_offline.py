"""The demo shows the offline desk's review list at work: Ménigoute's .koc file of yesterday
morning imported, two of its lines waiting for a librarian."""

import datetime as dt

from maillon.catalogue.demo import build_catalogue
from maillon.circulation.demo import build_circulation
from maillon.network.demo import build_network
from maillon.offline import services
from maillon.offline.demo import build_offline
from maillon.offline.models import OfflineFile, Status
from maillon.patrons.demo import build_patrons

TODAY = dt.date(2026, 11, 25)


def test_demo_offline(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    build_network("maillon-demo", TODAY)
    build_patrons(TODAY)
    build_catalogue(records=400)
    build_circulation(TODAY)
    assert build_offline(TODAY) == {"operations": 5, "to_review": 2}
    file = OfflineFile.objects.get()
    assert file.library.code == "MEN" and file.name == "menigoute-2026-11-24.koc"
    waiting = list(services.conflicts(file.library))
    assert sorted(op.code for op in waiting) == ["already_on_loan", "unreadable_line"]
    assert file.operations.filter(status=Status.APPLIED).count() == 3
    assert build_offline(TODAY) == {}  # once
