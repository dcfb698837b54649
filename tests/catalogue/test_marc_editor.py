"""The cataloguer's MARC editor: the whole record as lines, every mistake named by its line,
the fixed fields explained, and a save through the catalogue service."""

import pytest
from django.urls import reverse
from django.utils import translation

from maillon.audit.services import entries_for
from maillon.catalogue import services
from maillon.catalogue.marc import editor
from maillon.catalogue.marc.reader import read_marc
from maillon.catalogue.marc.writer import RecordFields
from maillon.catalogue.models import Record
from maillon.catalogue.records import marc_record
from maillon.network.models import Role
from tests.circulation.helpers import fr


def _fields(record):
    return [
        (f.tag, f.data) if f.control_field else (f.tag, tuple(f.indicators), tuple(f.subfields))
        for f in record.fields
    ]


@pytest.mark.parametrize(
    ("folder", "name", "flavour"),
    [
        ("pymarc", "testunimarc.dat", "unimarc"),
        ("koha_misc4dev_marc21", "biblios_with_952.marcxml", "marc21"),
    ],
)
def test_real_records_come_back_from_their_lines_unchanged(shared_data, folder, name, flavour):
    tested = 0
    for result in read_marc(shared_data / folder / name):
        if result.record is None:
            continue
        original = result.record
        original.fields = [f for f in original.fields if f.tag not in ("995", "952")]
        again, problems = editor.from_text(editor.to_text(original), flavour)
        assert [p for p in problems if p.line] == []  # every line read back
        assert _fields(again) == _fields(original)
        assert str(again.leader) == str(original.leader)
        tested += 1
        if tested == 20:
            break
    assert tested > 0


def test_each_mistake_is_named_with_its_line(english):
    text = "\n".join(
        [
            "LDR 00000nam  2200000   450 ",
            "20 1# $aSans tag",
            "200 1 $aUn indicateur",
            "200 1# aPas de dollar",
            "606 ## $aSujet$",
            "606 ## $Aplus",
            "995 ## $fEX1",
            "700 #1 $aHugo$bVictor",
        ]
    )
    record, problems = editor.from_text(text, "unimarc")
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7]
    assert [f.tag for f in record.fields] == ["700"]  # only what could be read
    whole = editor.check(record, "unimarc")
    assert any("200 $a" in p.message for p in whole)  # no title
    assert any("100 $a" in p.message for p in whole)  # no coded data


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_isbn_and_dates_are_checked(english):
    good = "\n".join(
        [
            "LDR 00000nam  2200000   450 ",
            "100 ## $a20240101d2023    u  y0frey50      ba",
            "200 1# $aTitre",
        ]
    )
    record, problems = editor.from_text(good + "\n010 ## $a978-2-07-054127-0", "unimarc")
    assert problems == [] and editor.check(record, "unimarc") == []
    record, _ = editor.from_text(good + "\n010 ## $a978-2-07-054127-1", "unimarc")
    assert [p.message for p in editor.check(record, "unimarc")] == [
        "Invalid ISBN in 010 $a: 978-2-07-054127-1 (a cancelled one: $z)."
    ]
    bad_date = good.replace("d2023", "d20x3")
    record, _ = editor.from_text(bad_date, "unimarc")
    assert any("20x3" in p.message for p in editor.check(record, "unimarc"))


def test_the_fixed_fields_are_explained(english):
    text = "LDR 00000nam  2200000   450 \n100 ## $a20240101d2023    a  y0frey50      ba"
    record, _ = editor.from_text(text, "unimarc")
    explained = editor.explain(record, "unimarc")
    leader = {p.positions: p for p in explained["Leader"]}
    assert leader["06"].meaning == "language material, printed"
    assert leader["07"].meaning == "monograph"
    coded = {p.positions: p for p in explained["100 $a"]}
    assert coded["9-12"].value == "2023"
    assert coded["17-19"].meaning == "youth, general"


@pytest.fixture
def novel(staff):
    return services.create_record(
        staff[Role.LIBRARIAN],
        RecordFields(title="Le Horla", publisher="Ollendorff", year=1887, isbns=["9782070541270"]),
    )


def test_a_librarian_edits_reorders_and_saves(client_fr, staff, novel):
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("catalogue:marc_editor", args=[novel.pk])
    page = client_fr.get(url).content.decode()
    assert "200 1# $aLe Horla" in page
    assert fr("language material, printed") in page  # the leader explained, in French

    lines = editor.to_text(marc_record(novel)).splitlines()
    lines = [line.replace("$aLe Horla", "$aLe Horla$eet autres contes") for line in lines]
    lines.insert(1, "205 ## $aNouvelle éd.")  # added out of order: kept where it was put
    lines.append("300 ## $aContient un {dollar} de notes")
    response = client_fr.post(url, {"marc": "\n".join(lines), "action": "save"})
    assert response.status_code == 302

    novel.refresh_from_db()
    assert (novel.title, novel.subtitle) == ("Le Horla", "et autres contes")
    marc = marc_record(novel)
    assert marc["205"]["a"] == "Nouvelle éd." and marc["300"]["a"] == "Contient un $ de notes"
    assert entries_for(novel).get(action="record_edited_marc").user == staff[Role.LIBRARIAN]


def test_a_broken_record_is_shown_again_and_nothing_is_saved(client_fr, staff, novel):
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("catalogue:marc_editor", args=[novel.pk])
    text = editor.to_text(marc_record(novel)).replace("$aLe Horla", "$aLe Horla modifié")
    text += "\n606 #1 $"
    response = client_fr.post(url, {"marc": text, "action": "save"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Le Horla modifié" in body  # what was typed is not lost
    assert fr("Line %(line)s", line=text.count("\n") + 1) in body
    novel.refresh_from_db()
    assert novel.title == "Le Horla"
    assert not entries_for(novel).filter(action="record_edited_marc").exists()


def test_check_saves_nothing_and_a_volunteer_may_not_edit(client_fr, staff, novel):
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("catalogue:marc_editor", args=[novel.pk])
    text = editor.to_text(marc_record(novel)).replace("Le Horla", "Autre titre")
    response = client_fr.post(url, {"marc": text, "action": "check"})
    assert response.status_code == 200
    assert Record.objects.get(pk=novel.pk).title == "Le Horla"

    client_fr.force_login(staff[Role.VOLUNTEER])
    assert client_fr.get(url).status_code == 403
    assert client_fr.post(url, {"marc": text, "action": "save"}).status_code == 403
    assert Record.objects.get(pk=novel.pk).title == "Le Horla"
