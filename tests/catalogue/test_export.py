import io

from django.core.management import call_command
from pymarc import MARCReader

from maillon.catalogue.importer import export_marc, import_marc
from maillon.catalogue.marc.reader import read_marc
from maillon.catalogue.models import Item, Record
from tests.catalogue.factories import item, marc, write


def fill(tmp_path, libraries):
    write(
        tmp_path / "a.mrc",
        [
            marc(
                "Voyage au bout de la nuit",
                author="Céline, Louis-Ferdinand",
                year=1932,
                isbn="9782070360284",
                items=[item("A1", "AAA"), item("B1", "BBB")],
            ),
            marc(
                "Madame Bovary",
                author="Flaubert, Gustave",
                year=1857,
                items=[item("B2", "BBB", status="withdrawn:1")],
            ),
        ],
    )
    import_marc(tmp_path / "a.mrc", libraries["AAA"], reject_dir=tmp_path)


def test_export_is_read_by_pymarc_and_reimports_without_change(tmp_path, libraries):
    fill(tmp_path, libraries)
    out = io.BytesIO()
    assert export_marc(out, flavour="unimarc") == 2
    records = list(MARCReader(out.getvalue(), to_unicode=True, force_utf8=True))
    assert len(records) == 2 and all(r is not None for r in records)
    barcodes = {sf for r in records for f in r.get_fields("995") for sf in f.get_subfields("f")}
    assert barcodes == {"A1", "B1", "B2"}
    (tmp_path / "out.mrc").write_bytes(out.getvalue())
    before = Item.objects.count(), Record.objects.count()
    report = import_marc(tmp_path / "out.mrc", libraries["AAA"], reject_dir=tmp_path)
    assert (report.created, report.merged, report.items_added) == (0, 0, 0)
    assert (Item.objects.count(), Record.objects.count()) == before


def test_one_library_marc21_xml(tmp_path, libraries):
    fill(tmp_path, libraries)
    path = tmp_path / "bbb.xml"
    call_command("export_marc", str(path), library="BBB", flavour="marc21", format="marcxml")
    records = [r.record for r in read_marc(path)]
    assert len(records) == 2
    items = [f for r in records for f in r.get_fields("952")]
    assert sorted(f.get_subfields("p")[0] for f in items) == ["B1", "B2"]
    assert {r["245"]["a"].rstrip(" /:") for r in records} == {
        "Voyage au bout de la nuit",
        "Madame Bovary",
    }
