"""Broken files: every bad record goes to the reject file with its reason; the rest is taken."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillon.catalogue.importer import _Rejects, import_marc
from maillon.catalogue.models import Item, Record
from tests.catalogue.factories import item, marc, write


def reasons(report) -> list[str]:
    with open(Path(report.reject_file).with_suffix(".csv"), encoding="utf-8-sig") as fp:
        return [row["motif"] for row in csv.DictReader(fp, delimiter=";")]


def test_pymarc_bad_records(tmp_path, libraries, shared_data):
    report = import_marc(
        shared_data / "pymarc" / "bad_records.mrc", libraries["AAA"], reject_dir=tmp_path
    )
    assert report.rejected >= 1
    assert report.read == report.created + report.merged + report.unchanged + report.rejected
    assert len(reasons(report)) == report.rejected and all(reasons(report))
    assert Path(report.reject_file).stat().st_size > 0


def test_truncated_file_keeps_the_good_records(tmp_path, libraries):
    good = write(
        tmp_path / "good.mrc", [marc(f"Titre {i}", items=[item(f"T{i}", "AAA")]) for i in range(5)]
    )
    data = good.read_bytes()
    cut = tmp_path / "cut.mrc"
    cut.write_bytes(data[: len(data) - 40])
    report = import_marc(cut, libraries["AAA"], reject_dir=tmp_path)
    assert (report.created, report.rejected) == (4, 1)
    assert Record.objects.count() == 4


def test_invalid_xml_is_rejected_with_its_reason(tmp_path, libraries):
    path = tmp_path / "broken.xml"
    path.write_text(
        '<?xml version="1.0"?><collection><record><leader>00000nam</leader>'
        "<datafield tag='200'><subfield code='a'>Sans fin",
        encoding="utf-8",
    )
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert report.rejected == 1 and report.created == 0
    assert "XML" in reasons(report)[0]


def test_record_without_title_and_invalid_isbn_and_taken_barcode(tmp_path, libraries):
    write(tmp_path / "first.mrc", [marc("Premier", items=[item("DUP1", "AAA")])])
    import_marc(tmp_path / "first.mrc", libraries["AAA"], reject_dir=tmp_path)
    untitled = marc("x", items=[item("NT1", "AAA")])
    untitled.remove_fields("200")
    path = write(
        tmp_path / "mixed.mrc",
        [
            untitled,
            marc("Isbn faux", isbn="9782070360025", items=[item("OK1", "AAA")]),
            marc("Autre livre", items=[item("DUP1", "BBB"), item("OK2", "BBB")]),
        ],
    )
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert report.rejected == 1 and reasons(report) == ["notice sans titre"]
    assert any("9782070360025" in w for w in report.warnings)
    assert any("DUP1" in w and "déjà utilisé" in w for w in report.warnings)
    assert Item.objects.get(barcode="DUP1").record.title == "Premier"
    assert Item.objects.get(barcode="OK2").record.title == "Autre livre"
    assert not Item.objects.filter(barcode="NT1").exists()


def test_unknown_library_code_is_refused_by_the_command(tmp_path, libraries):
    path = write(tmp_path / "a.mrc", [marc("Un titre")])
    with pytest.raises(CommandError, match="ZZZ"):
        call_command("import_marc", str(path), library="ZZZ")


def test_every_shared_marc_file_imports_without_crashing(tmp_path, libraries, shared_data):
    files = [p for p in (shared_data / "pymarc").iterdir() if p.suffix in (".mrc", ".dat", ".xml")]
    files.append(shared_data / "rero_marc21" / "documents_small.xml")
    for path in files:
        report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
        assert report.read == (
            report.created + report.merged + report.unchanged + report.rejected
        ), path.name


def test_reject_list_neutralises_formulas(tmp_path):
    # Titles come from the file: one starting with "=" must not run in a spreadsheet.
    rejects = _Rejects(tmp_path / "lot", "iso2709")
    rejects.add(0, '=HYPERLINK("http://x")', "notice sans titre", b"")
    rejects.write()
    with open(tmp_path / "lot.csv", encoding="utf-8-sig") as fp:
        rows = list(csv.DictReader(fp, delimiter=";"))
    assert rows == [
        {"position": "1", "titre": '\'=HYPERLINK("http://x")', "motif": "notice sans titre"}
    ]
