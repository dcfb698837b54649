"""Importing twice changes nothing; a killed import, run again, ends like an uninterrupted one."""

import pytest
from stdnum import ean

from maillon.catalogue import importer
from maillon.catalogue.models import Item, Record, RecordIdentifier, RecordMerge
from tests.catalogue.factories import item, marc, write


def catalogue_state() -> set:
    return {
        (
            r.title,
            r.isbn,
            tuple(sorted(r.items.values_list("barcode", "home__code"))),
            tuple(sorted(r.known_as.values_list("value", flat=True))),
        )
        for r in Record.objects.prefetch_related("items", "known_as")
    }


def valid_isbn(first12: str) -> str:
    return first12 + ean.calc_check_digit(first12)


def sample(tmp_path, n=40):
    records = [
        marc(
            f"Roman numéro {i}",
            author=f"Martin, Lucie{i}",
            year=2000 + i % 20,
            isbn=valid_isbn(f"978207036{i:03d}"),
            items=[item(f"AAA{i:05d}", "AAA"), item(f"BBB{i:05d}", "BBB")],
        )
        for i in range(n)
    ]
    return write(tmp_path / "lot.mrc", records)


def test_second_import_changes_nothing(tmp_path, libraries):
    path = sample(tmp_path)
    first = importer.import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    state = catalogue_state()
    second = importer.import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert first.created == Record.objects.count() > 0
    assert (second.created, second.merged, second.items_added) == (0, 0, 0)
    assert first.merged == 0 and first.warnings == []
    assert second.unchanged == first.created == 40
    assert catalogue_state() == state
    assert not RecordMerge.objects.exists()


def test_killed_import_resumes_to_the_same_result(tmp_path, libraries, monkeypatch):
    path = sample(tmp_path)
    importer.import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    expected = catalogue_state()
    Item.objects.all().delete()
    RecordIdentifier.objects.all().delete()
    Record.objects.all().delete()

    # Kill the import in its third chunk of ten records.
    monkeypatch.setattr(importer, "CHUNK", 10)
    real_write = importer._write_chunk
    calls = {"n": 0}

    def dying_write(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_write(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_chunk", dying_write)
    with pytest.raises(KeyboardInterrupt):
        importer.import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert Record.objects.count() == 20  # two whole chunks, nothing of the third
    monkeypatch.setattr(importer, "_write_chunk", real_write)
    importer.import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert catalogue_state() == expected


def test_dry_run_writes_nothing_but_counts(tmp_path, libraries):
    path = sample(tmp_path, n=5)
    report = importer.import_marc(path, libraries["AAA"], dry_run=True, reject_dir=tmp_path)
    assert report.created == 5 and report.items_added == 10
    assert not Record.objects.exists() and not Item.objects.exists()
