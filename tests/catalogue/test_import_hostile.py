"""Files that used to crash the import or lose records without a word: each record is now taken,
cleaned with a warning, or rejected with its reason, the same on SQLite and PostgreSQL."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillon.catalogue import importer
from maillon.catalogue.importer import import_marc
from maillon.catalogue.marc.holdings import ItemData
from maillon.catalogue.marc.writer import write_marcxml
from maillon.catalogue.models import ImportBatch, Item, Record
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD


def reasons(report) -> list[str]:
    with open(Path(report.reject_file).with_suffix(".csv"), encoding="utf-8-sig") as fp:
        return [row["motif"] for row in csv.DictReader(fp, delimiter=";")]


def balanced(report) -> bool:
    return report.read == report.created + report.merged + report.unchanged + report.rejected


def xml_file(path: Path, records, flavour="unimarc") -> bytes:
    with open(path, "wb") as out:
        write_marcxml(records, out, flavour)
    return path.read_bytes()


def test_xml_reading_resumes_at_the_record_after_a_syntax_error(tmp_path, libraries):
    path = tmp_path / "lot.xml"
    data = xml_file(path, [marc(f"Titre {i}", items=[item(f"X{i}", "AAA")]) for i in range(25)])
    third = data.index(b"<record", data.index(b"<record", data.index(b"<record") + 1) + 1)
    broken = data[: third + 30] + b"<sous champ>" + data[third + 30 :]
    path.write_bytes(broken.replace(b"Titre 20<", b"Titre 20 &nope;<"))
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert (report.read, report.created, report.rejected) == (25, 23, 2)
    assert all("XML" in reason for reason in reasons(report))
    assert Record.objects.count() == 23 and Item.objects.count() == 23


def test_an_unknown_xml_encoding_rejects_every_record_by_count(tmp_path, libraries):
    path = tmp_path / "lot.xml"
    data = xml_file(path, [marc(f"Titre {i}") for i in range(4)])
    path.write_bytes(data.replace(b'encoding="UTF-8"', b'encoding="x-inconnu"'))
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert (report.read, report.rejected, report.created) == (4, 4, 0)
    assert reasons(report) == ["encodage « x-inconnu » inconnu"] * 4


def test_a_field_over_9999_bytes_rejects_its_record_only(tmp_path, libraries):
    path = tmp_path / "lot.xml"
    records = [marc(f"Titre {i}") for i in range(3)]
    records[1] = marc("Trop long", summary="é" * 6000)
    xml_file(path, records)
    report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
    assert (report.read, report.created, report.rejected) == (3, 2, 1)
    assert "9" in reasons(report)[0]


def test_price_nul_and_long_barcodes_are_cleaned_with_a_warning(tmp_path, libraries):
    stem = "B" * 40
    record = marc(
        "Le titre\x00 nul",
        flavour="marc21",
        items=[
            ItemData(barcode=stem + "00001", home="AAA", item_type="LIVRE"),
            ItemData(barcode=stem + "00002", home="AAA", item_type="LIVRE"),
            ItemData(
                barcode="PRIX1", home="AAA", item_type="LIVRE", price=Decimal("1234567890123")
            ),
        ],
    )
    path = write(tmp_path / "lot.mrc", [record], flavour="marc21")
    for _run in range(2):  # the second run finds everything in place
        report = import_marc(path, libraries["AAA"], reject_dir=tmp_path)
        assert balanced(report) and report.rejected == 0
    assert Record.objects.get().title == "Le titre nul"
    assert Item.objects.get().barcode == "PRIX1" and Item.objects.get().price is None
    text = " ".join(report.warnings)
    assert "plus de 40 caractères" in text and "prix" in text
    first = ImportBatch.objects.order_by("pk").first()
    assert "NUL" in " ".join(first.warnings)


def test_a_failed_batch_counts_what_the_database_holds(tmp_path, libraries, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)
    path = write(tmp_path / "lot.mrc", [marc(f"Titre {i}") for i in range(5)])
    calls = []

    def progress(size: int) -> None:
        calls.append(size)
        if len(calls) == 2:
            raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        import_marc(path, libraries["AAA"], progress=progress)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    assert batch.counts["created"] == Record.objects.count() == 4


def test_the_upload_of_a_broken_file_shows_the_report(
    client, network, make_staff, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    make_staff("catalo", (network["a"], Role.LIBRARIAN))
    client.login(username="catalo", password=PASSWORD)
    data = xml_file(tmp_path / "x.xml", [marc("Un"), marc("Deux"), marc("Trois")])
    data = data.replace(b"Deux", b"D\x00eux")
    for body in (data, data.replace(b'encoding="UTF-8"', b'encoding="nul-part"', 1)):
        response = client.post(
            reverse("catalogue:import"),
            {"file": SimpleUploadedFile("x.xml", body), "library": network["a"].pk},
            follow=True,
        )
        assert response.status_code == 200
        assert "Notices créées" in response.content.decode()
        batch = ImportBatch.objects.latest("pk")
        assert batch.state == ImportBatch.State.DONE and batch.counts["read"] == 3
