"""The importer stores each record's own bytes minus its items when they are already UTF-8
ISO 2709: the result must be exactly what re-encoding the record gives."""

from pymarc import Field, Subfield

from maillon.catalogue.marc.iso2709 import without_fields
from maillon.catalogue.marc.reader import read_marc
from maillon.catalogue.marc.writer import utf8_leader, write_iso2709
from maillon.catalogue.records import marc_bytes, stored_marc
from tests.catalogue.factories import item, marc, write


def test_cut_bytes_equal_reencoded_bytes(tmp_path):
    for flavour in ("unimarc", "marc21"):
        path = write(
            tmp_path / f"{flavour}.mrc",
            [
                marc(
                    "Les Misérables",
                    author="Hugo, Victor",
                    isbn="9782070409228",
                    items=[item("A1", "AAA"), item("A2", "AAA")],
                    flavour=flavour,
                ),
                marc("Sans exemplaire", flavour=flavour),
            ],
            flavour,
        )
        for result in read_marc(path):
            assert result.encoding == "utf-8"
            cut = without_fields(
                result.raw,
                "995" if flavour == "unimarc" else "952",
                utf8_leader(result.record, flavour),
            )
            assert cut == marc_bytes(result.record, flavour)
            assert stored_marc(result, flavour) == cut


def test_other_character_set_is_reencoded(tmp_path):
    record = marc("Œuvres complètes", items=[item("A1", "AAA")])
    coded = record["100"]["a"]
    record["100"].subfields = [Subfield("a", coded[:26] + "01  " + coded[30:])]
    with open(tmp_path / "latin.mrc", "wb") as out:  # written UTF-8, 100$a says ISO 646
        write_iso2709([record], out, "marc21")  # marc21: leaves 100$a as it is
    result = next(read_marc(tmp_path / "latin.mrc"))
    stored = stored_marc(result, "unimarc")
    assert stored == marc_bytes(result.record, "unimarc")
    assert b"50  " in stored and b"995" not in stored


def test_directory_out_of_data_order_is_not_cut(tmp_path):
    record = marc("Ordre", items=[item("A1", "AAA")])
    record.add_field(Field(tag="300", indicators=[" ", " "], subfields=[Subfield("a", "1 vol.")]))
    raw = marc_bytes(record, "unimarc")
    base = int(raw[12:17])
    first, second = raw[24:36], raw[36:48]
    swapped = raw[:24] + second + first + raw[48:]  # same fields, directory out of order
    assert base > 48
    assert without_fields(swapped, "995", utf8_leader(record, "unimarc")) is None
