"""Cataloguing from the staff pages: records, items, import report, search."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue.models import ImportBatch, Item, Record
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD

RECORD = {
    "title": "Les Champs d’honneur",
    "subtitle": "",
    "authors": "Rouaud, Jean ; auteur",
    "publisher": "Éditions de Minuit",
    "year": "1990",
    "isbns": "978-2-7073-1353-9",
    "language": "fre",
    "classification": "843",
    "subjects": "Grande Guerre -- Romans",
    "series": "",
    "summary": "Une famille de Loire-Atlantique.",
    "doc_type": "text",
    "audience": "adult",
}


def login(client, make_staff, library, role=Role.LIBRARIAN, name="catalo"):
    make_staff(name, (library, role))
    client.login(username=name, password=PASSWORD)


def test_create_record_then_add_items(client, network, make_staff):
    login(client, make_staff, network["a"])
    response = client.post(reverse("catalogue:record_create"), RECORD)
    record = Record.objects.get()
    assert response.status_code == 302
    assert record.isbn == "9782707313539" and record.authors[0]["name"] == "Rouaud, Jean"
    assert record.year == 1990 and record.subjects == ["Grande Guerre -- Romans"]

    url = reverse("catalogue:item_create", args=[record.pk])
    data = {
        "barcode": "AAA000123",
        "call_number": "R ROU",
        "home": network["a"].pk,
        "item_type": 1,
        "audience": "adult",
    }
    assert client.post(url, data).status_code == 302
    new = Item.objects.get(barcode="AAA000123")
    assert new.owner == new.current == new.home == network["a"]
    assert entries_for(new).filter(action="item_created").exists()

    # The same barcode again, and a barcode of the wrong shape: refused, the form keeps input.
    again = client.post(url, data)
    assert again.status_code == 200 and "déjà utilisé" in again.content.decode()
    bad = client.post(url, {**data, "barcode": "é!"})
    assert "format du réseau" in bad.content.decode() and 'value="R ROU"' in bad.content.decode()
    # A librarian cannot put an item in another library.
    other = client.post(url, {**data, "barcode": "BBB1", "home": network["b"].pk})
    assert other.status_code == 200 and not Item.objects.filter(barcode="BBB1").exists()


def test_invalid_isbn_keeps_what_was_typed(client, network, make_staff):
    login(client, make_staff, network["a"])
    response = client.post(reverse("catalogue:record_create"), {**RECORD, "isbns": "12345"})
    body = response.content.decode()
    assert response.status_code == 200 and "ISBN invalide" in body
    assert "Éditions de Minuit" in body and not Record.objects.exists()


def test_edit_keeps_fields_the_form_does_not_show(client, network, make_staff, tmp_path):
    from maillon.catalogue.importer import import_marc
    from maillon.catalogue.records import marc_record

    path = write(tmp_path / "a.mrc", [marc("Titre à corriger", items=[item("A1", "AAA")])])
    original = marc("Titre à corriger")
    original.add_field(*[f for f in original.get_fields("200")][:0])
    import_marc(path, network["a"], reject_dir=tmp_path)
    record = Record.objects.get()
    stored = marc_record(record)
    tags_before = {f.tag for f in stored.fields}
    login(client, make_staff, network["a"])
    form = client.get(reverse("catalogue:record_edit", args=[record.pk]))
    assert "Titre à corriger" in form.content.decode()
    client.post(
        reverse("catalogue:record_edit", args=[record.pk]),
        {**RECORD, "title": "Titre corrigé", "isbns": ""},
    )
    record.refresh_from_db()
    assert record.title == "Titre corrigé"
    assert tags_before - {"010"} <= {f.tag for f in marc_record(record).fields}


def test_volunteer_cannot_catalogue(client, network, make_staff):
    login(client, make_staff, network["a"], Role.VOLUNTEER, "vol")
    assert client.get(reverse("catalogue:record_create")).status_code == 403
    assert client.post(reverse("catalogue:record_create"), RECORD).status_code == 403
    assert not Record.objects.exists()


def test_upload_shows_report_and_rejects(client, network, make_staff, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    login(client, make_staff, network["a"])
    good = write(
        tmp_path / "lot.mrc",
        [marc("Un", items=[item("U1", "AAA")]), marc("Deux", items=[item("D1", "AAA")])],
    )
    data = good.read_bytes() + b"00042nam  2200000   450 \x1e\x1d"
    upload = SimpleUploadedFile("lot.mrc", data)
    response = client.post(
        reverse("catalogue:import"), {"file": upload, "library": network["a"].pk}
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("catalogue:import_report", args=[batch.pk])
    report = client.get(response["Location"]).content.decode()
    assert "Notices créées" in report and batch.counts["created"] == 2
    assert batch.counts["rejected"] == 1
    reasons = client.get(reverse("catalogue:import_rejects", args=[batch.pk, "motifs"]))
    assert b"motif" in b"".join(reasons.streaming_content)


def test_search_page_facets_and_barcode(client, network, make_staff, tmp_path):
    from maillon.catalogue.importer import import_marc

    write(
        tmp_path / "a.mrc",
        [
            marc(
                "Le Rouge et le Noir",
                author="Stendhal",
                year=1830,
                items=[item("A1", "AAA"), item("B1", "BBB")],
            ),
            marc("La Chartreuse de Parme", author="Stendhal", year=1839, items=[item("B2", "BBB")]),
            marc(
                "Le Père Goriot", author="Balzac, Honoré de", year=1835, items=[item("A2", "AAA")]
            ),
        ],
    )
    import_marc(tmp_path / "a.mrc", network["a"], reject_dir=tmp_path)
    login(client, make_staff, network["a"], Role.VOLUNTEER, "vol")
    page = client.get(reverse("catalogue:search"), {"q": "stendhal"}).content.decode()
    assert "2 notices" in page and "Chartreuse" in page and "Goriot" not in page
    page = client.get(
        reverse("catalogue:search"), {"q": "stendhal", "library": "AAA"}
    ).content.decode()
    assert "1 notice" in page and "Rouge" in page
    response = client.get(reverse("catalogue:search"), {"q": "B2"})
    assert response["Location"] == reverse("catalogue:item", args=["B2"])
    bad = client.get(reverse("catalogue:search"), {"q": "x", "page": "0"})
    assert bad.status_code == 200 and "nombre entier" in bad.content.decode()
    page = client.get(reverse("catalogue:search"), {"q": "le la"}).content.decode()
    assert "que des mots trop courants" in page and "orthographe" not in page


def test_the_form_edits_edition_place_description_and_notes(client, network, make_staff):
    from maillon.catalogue.records import marc_record
    from maillon.catalogue.services import update_record

    login(client, make_staff, network["a"])
    described = {
        **RECORD,
        "edition": "2e éd. revue",
        "place": "Paris",
        "extent": "212 p. : ill. ; 24 cm",
        "notes": "Prix Goncourt 1990\nBibliogr. p. 210",
    }
    assert client.post(reverse("catalogue:record_create"), described).status_code == 302
    record = Record.objects.get()
    marc = marc_record(record)
    assert marc["205"]["a"] == "2e éd. revue" and marc["210"]["a"] == "Paris"
    assert marc["215"]["a"] == "212 p. : ill. ; 24 cm"
    assert [f["a"] for f in marc.get_fields("300")] == ["Prix Goncourt 1990", "Bibliogr. p. 210"]

    form = client.get(reverse("catalogue:record_edit", args=[record.pk])).content.decode()
    assert 'value="2e éd. revue"' in form and "Bibliogr. p. 210" in form
    # One note removed from the form: removed from the record, the others kept.
    client.post(
        reverse("catalogue:record_edit", args=[record.pk]),
        {**described, "notes": "Prix Goncourt 1990"},
    )
    marc = marc_record(Record.objects.get())
    assert [f["a"] for f in marc.get_fields("300")] == ["Prix Goncourt 1990"]
    assert marc["205"]["a"] == "2e éd. revue"

    # MARC21 records carry them in 250, 264 $a, 300 and 500.
    from django.contrib.auth import get_user_model

    from maillon.catalogue.forms import RecordForm

    record = Record.objects.get()
    Record.objects.filter(pk=record.pk).update(flavour="marc21", marc=b"")
    record.refresh_from_db()
    form_data = RecordForm(data={**described, "isbns": ""})
    assert form_data.is_valid(), form_data.errors
    cataloguer = get_user_model().objects.get(username="catalo")
    update_record(cataloguer, record, form_data.record_fields())
    marc = marc_record(Record.objects.get())
    assert marc["250"]["a"] == "2e éd. revue" and marc["264"]["a"] == "Paris"
    assert marc["300"]["a"] == "212 p. : ill. ; 24 cm"
    assert [f["a"] for f in marc.get_fields("500")] == ["Prix Goncourt 1990", "Bibliogr. p. 210"]
