"""120 mutated MARC files from real ones: the importer never raises, and every record of a
file is accounted for (read = created + merged + unchanged + rejected), as the database says.

Another seed, more files (`make fuzz` runs a thousand):
  MAILLON_FUZZ_SEED=7 MAILLON_FUZZ_FILES=1000 pytest -s tests/catalogue/test_import_fuzz.py
"""

import os
import traceback

import pytest

from maillon.catalogue.importer import import_marc
from maillon.catalogue.marc.fuzz import cases, load_records
from maillon.catalogue.models import ImportBatch, Item, Record

SEED = int(os.environ.get("MAILLON_FUZZ_SEED", "11"))
FILES = int(os.environ.get("MAILLON_FUZZ_FILES", "120"))


@pytest.fixture
def pools(shared_data):
    paths = [
        shared_data / "rero_marc21" / "documents_small.xml",
        shared_data / "koha_misc4dev_marc21" / "biblios_with_952.marcxml",
        shared_data / "bnf_sru_unimarc" / "bnf_anywhere_all_peter.xml",
        *(shared_data / "pymarc" / name for name in ("test.dat", "testunimarc.dat", "utf8.xml")),
    ]
    return load_records(paths, per_file=40)


def test_mutated_files_are_accounted_for(pools, libraries, tmp_path):
    tried, crashes, unaccounted, problems = 0, 0, 0, []
    runs = []
    for case in cases(pools, FILES, SEED):
        path = tmp_path / f"{case.name}.{'xml' if case.fmt == 'marcxml' else 'mrc'}"
        path.write_bytes(case.data)
        runs += [(case, path)] * (2 if len(runs) % 4 == 0 else 1)  # re-run: nothing may break
    for case, path in runs:
        records, items = Record.objects.count(), Item.objects.count()
        tried += 1
        try:
            report = import_marc(path, libraries["AAA"], reject_dir=tmp_path / "rejets")
        except Exception:
            crashes += 1
            problems.append(f"{case.name}: {traceback.format_exc(limit=-2)}")
            continue
        missing = report.read - (
            report.created + report.merged + report.unchanged + report.rejected
        )
        if case.records is not None:
            missing += case.records - report.read
        unaccounted += abs(missing)
        batch = ImportBatch.objects.get(pk=report.batch_id)
        checks = {
            "sum": missing == 0,
            "records in db": Record.objects.count() - records == report.created,
            "items in db": Item.objects.count() - items == report.items_added,
            "batch": batch.state == ImportBatch.State.DONE and batch.counts["read"] == report.read,
        }
        if not all(checks.values()):
            problems.append(f"{case.name}: {checks} {report.as_counts()} expected {case.records}")
    print(
        f"\nfuzz seed {SEED}: {tried} files tried, {crashes} uncaught exceptions, "
        f"{unaccounted} records unaccounted for"
    )
    assert not problems, "\n".join(problems[:15])
