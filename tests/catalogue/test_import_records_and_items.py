from django.core.management import call_command

from maillon.audit.models import AuditEntry
from maillon.catalogue.importer import import_marc
from maillon.catalogue.models import Item, ItemStatus, Record, SourceCode
from tests.catalogue.factories import item, marc, write


def test_unimarc_995_items_land_on_their_libraries(tmp_path, libraries):
    path = write(
        tmp_path / "a.mrc",
        [
            marc(
                "L'Étranger",
                author="Camus, Albert",
                year=1942,
                isbn="9782070360024",
                items=[item("A0001", "AAA", call_number="R CAM"), item("B0001", "BBB")],
            ),
            marc(
                "Le Petit Prince",
                author="Saint-Exupéry, Antoine de",
                year=1943,
                items=[item("A0002", "AAA", item_type="LIVJ", status="lost:1")],
            ),
        ],
    )
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert (report.read, report.created, report.items_added, report.rejected) == (2, 2, 3, 0)
    camus = Record.objects.get(isbn="9782070360024")
    assert camus.title == "L'Étranger" and camus.year == 1942
    assert camus.authors[0]["name"] == "Camus, Albert"
    homes = dict(camus.items.values_list("barcode", "home__code"))
    assert homes == {"A0001": "AAA", "B0001": "BBB"}
    lost = Item.objects.get(barcode="A0002")
    assert lost.status == ItemStatus.LOST and lost.item_type.code == "LIVJ"
    assert AuditEntry.objects.filter(action="imported").count() == 3


def test_unknown_codes_fall_back_with_a_warning_and_mappings_fix_them(tmp_path, libraries):
    path = write(tmp_path / "b.mrc", [marc("Germinal", items=[item("X1", "ZZZ", item_type="BK")])])
    report = import_marc(path, libraries["CCC"], reject_dir=tmp_path)
    got = Item.objects.get(barcode="X1")
    assert got.home.code == "CCC" and got.item_type.code == "LIVRE"
    assert any("bibliothèque inconnue « ZZZ »" in w for w in report.warnings)
    assert any("type d'exemplaire inconnu « BK »" in w for w in report.warnings)

    SourceCode.objects.create(kind="library", code="YYY", target="BBB")
    SourceCode.objects.create(kind="item_type", code="DVDF", target="DVD")
    path = write(
        tmp_path / "c.mrc",
        [marc("Les Enfants du paradis", items=[item("X2", "YYY", item_type="DVDF")])],
    )
    report = import_marc(path, libraries["CCC"], reject_dir=tmp_path)
    got = Item.objects.get(barcode="X2")
    assert got.home.code == "BBB" and got.item_type.code == "DVD"
    assert report.warnings == []


def test_marc21_koha_952_file(tmp_path, libraries, shared_data):
    from maillon.catalogue.marc.reader import read_marc

    path = shared_data / "koha_misc4dev_marc21" / "biblios_with_952.marcxml"
    expected_items = {
        sf.value
        for r in read_marc(path)
        if r.record
        for f in r.record.get_fields("952")
        for sf in f.subfields
        if sf.code == "p"
    }
    SourceCode.objects.create(kind="library", code="CPL", target="AAA")
    report = import_marc(path, libraries["BBB"], reject_dir=tmp_path)
    assert report.created + report.merged + report.unchanged + report.rejected == report.read
    assert report.read == 436
    assert set(Item.objects.values_list("barcode", flat=True)) == expected_items
    # CPL is mapped; the sample's other branches are unknown here and go to BBB.
    assert Item.objects.filter(home__code="AAA").exists()
    assert Item.objects.filter(home__code="BBB").exists()


def test_bnf_sru_responses_are_imported(tmp_path, libraries, shared_data):
    files = sorted((shared_data / "bnf_sru_unimarc").glob("*.xml"))
    created = 0
    for path in files:
        created += import_marc(path, libraries["AAA"], reject_dir=tmp_path).created
    assert created == Record.objects.count() > 40
    assert Record.objects.filter(flavour="unimarc").count() == created
    potter = Record.objects.get(isbn="9782070541270")
    assert potter.title == "Harry Potter à l'école des sorciers"
    assert potter.authors[0]["name"].startswith("Rowling")


def test_command_prints_a_summary(tmp_path, libraries, capsys):
    path = write(tmp_path / "d.mrc", [marc("Nadja", items=[item("N1", "AAA")])])
    call_command("import_marc", str(path), library="aaa", rejects=tmp_path)
    out = capsys.readouterr().out
    assert "1 créées" in out or "1 created" in out
