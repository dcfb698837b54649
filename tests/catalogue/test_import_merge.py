"""One union catalogue: the same edition from a second library joins the first record."""

import pytest

from maillon.catalogue import services
from maillon.catalogue.importer import import_marc
from maillon.catalogue.models import Item, Record, RecordMerge
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write


def test_merge_by_isbn_then_undo(tmp_path, libraries, make_staff):
    write(
        tmp_path / "a.mrc",
        [
            marc(
                "La Peste",
                author="Camus, Albert",
                year=1947,
                isbn="9782070360420",
                items=[item("A1", "AAA")],
            )
        ],
    )
    write(
        tmp_path / "b.mrc",
        [
            marc(
                "La peste : roman",
                author="Camus, A.",
                year=1972,
                isbn="2-07-036042-3",
                items=[item("B1", "BBB")],
            )
        ],
    )
    import_marc(tmp_path / "a.mrc", libraries["AAA"], reject_dir=tmp_path)
    report = import_marc(tmp_path / "b.mrc", libraries["BBB"], reject_dir=tmp_path)
    assert report.merged == 1 and report.created == 0
    record = Record.objects.get()
    assert set(record.items.values_list("barcode", flat=True)) == {"A1", "B1"}
    merge = RecordMerge.objects.get()
    assert merge.matched_by == "isbn" and merge.library.code == "BBB"

    coordinator = make_staff("coord", (libraries["AAA"], Role.COORDINATOR))
    split = services.undo_merge(coordinator, merge)
    assert split.title.startswith("La peste") and split.year == 1972
    assert list(split.items.values_list("barcode", flat=True)) == ["B1"]
    assert list(record.items.values_list("barcode", flat=True)) == ["A1"]
    with pytest.raises(services.CatalogueError) as refused:
        services.undo_merge(coordinator, merge)
    assert refused.value.code == "merge_undone"


def test_merge_by_source_identifier_and_by_key(tmp_path, libraries):
    base = marc(
        "Les Misérables",
        author="Hugo, Victor",
        year=1862,
        record_id="FRBNF30612345",
        items=[item("A1", "AAA")],
    )
    write(tmp_path / "a.mrc", [base])
    import_marc(tmp_path / "a.mrc", libraries["AAA"], reject_dir=tmp_path)
    # No ISBN, same title, author and year, different accents and case: merged by the key.
    write(
        tmp_path / "b.mrc",
        [marc("LES MISERABLES", author="Hugo, Victor", year=1862, items=[item("B1", "BBB")])],
    )
    report = import_marc(tmp_path / "b.mrc", libraries["BBB"], reject_dir=tmp_path)
    assert report.merged == 1
    assert RecordMerge.objects.get().matched_by in ("key", "source_id")
    # A different year is another edition: not merged.
    write(
        tmp_path / "c.mrc",
        [marc("Les Misérables", author="Hugo, Victor", year=1985, items=[item("C1", "CCC")])],
    )
    report = import_marc(tmp_path / "c.mrc", libraries["CCC"], reject_dir=tmp_path)
    assert report.created == 1
    assert Record.objects.count() == 2


def test_same_edition_twice_in_one_file_makes_one_record(tmp_path, libraries):
    write(
        tmp_path / "a.mrc",
        [
            marc(
                "Bel-Ami",
                author="Maupassant, Guy de",
                isbn="9782253004172",
                items=[item("A1", "AAA")],
            ),
            marc(
                "Bel-Ami",
                author="Maupassant, Guy de",
                isbn="9782253004172",
                items=[item("A2", "AAA")],
            ),
        ],
    )
    report = import_marc(tmp_path / "a.mrc", libraries["AAA"], reject_dir=tmp_path)
    assert report.created == 1 and report.items_added == 2
    assert Item.objects.filter(record__title="Bel-Ami").count() == 2
