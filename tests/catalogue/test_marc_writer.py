"""build_record, set_items and the ISO 2709 / MARCXML writers, round-tripped through our reader
and checked against pymarc."""

import copy
import datetime as dt
import io
import logging
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pymarc
import pytest

from maillon.catalogue.marc import (
    Contributor,
    ItemData,
    MarcError,
    RecordFields,
    Series,
    build_record,
    extract,
    read_marc,
    set_items,
    write_iso2709,
    write_marcxml,
)
from maillon.catalogue.marc.extract import Description, description

FULL = RecordFields(
    title="Le Comte de Monte-Cristo",
    subtitle="roman",
    authors=[
        Contributor("Dumas, Alexandre", "auteur"),
        Contributor("Maquet, Auguste", "auteur"),
        Contributor("Doré, Gustave", "illustrateur"),
        Contributor("Inconnu, Un", ""),
    ],
    publisher="Gallimard",
    year=1998,
    isbns=["9782070405978"],
    language="fre",
    classification="843.7",
    subjects=["Vengeance -- Romans, nouvelles, etc.", "Marseille (Bouches-du-Rhône)"],
    series=[Series("Folio classique", "3077")],
    summary="Edmond Dantès, marin, est emprisonné au château d'If.\nIl s'évade.",
    doc_type="text",
    audience="adult",
    record_id="MAI-42",
    edition="Nouvelle édition",
    place="Paris",
    extent="1 598 p. ; 18 cm",
    notes=["Texte intégral", "Chronologie p. 1581"],
)
SHARED = [
    ("bnf_sru_unimarc", "bnf_anywhere_all_peter.xml"),
    ("bnf_sru_unimarc", "bnf_ean_any_9782072862014.xml"),
    ("rero_marc21", "documents_small.xml"),
    ("koha_misc4dev_marc21", "biblios_with_952.marcxml"),
    ("pymarc", "testunimarc.dat"),
    ("pymarc", "marc8.dat"),
]


def same_values(fields: RecordFields, data, record) -> None:
    described = description(record, data.flavour)
    for name in RecordFields.__slots__:
        if name in Description._fields:  # not columns: read by description()
            wanted = getattr(fields, name)
            assert getattr(described, name) == (tuple(wanted) if name == "notes" else wanted)
        elif name != "record_id":
            assert getattr(data, name) == getattr(fields, name), name


@pytest.mark.parametrize("flavour", ["unimarc", "marc21"])
def test_build_record_round_trips(flavour):
    record = build_record(FULL, flavour, today=dt.date(2024, 5, 6))
    same_values(FULL, extract(record, flavour), record)
    # and through a file
    for write in (write_iso2709, write_marcxml):
        out = io.BytesIO()
        assert write([record], out, flavour) == 1
        (result,) = read_marc(out.getvalue())
        assert result.warnings == []
        same_values(FULL, extract(result.record), result.record)


@pytest.mark.parametrize("flavour", ["unimarc", "marc21"])
@pytest.mark.parametrize(
    "doc_type",
    ["text", "score", "video", "sound", "music", "image", "game", "kit", "multimedia", "other"],
)
@pytest.mark.parametrize("audience", ["adult", "youth", "unknown"])
def test_types_and_audiences_round_trip(flavour, doc_type, audience):
    fields = RecordFields(title="T", doc_type=doc_type, audience=audience)
    data = extract(build_record(fields, flavour), flavour)
    expected = "unknown" if flavour == "marc21" and doc_type == "other" else audience
    assert (data.doc_type, data.audience) == (doc_type, expected)


def test_minimal_records_are_valid():
    unimarc = build_record(RecordFields(title="Seul"), "unimarc", today=dt.date(2024, 5, 6))
    assert unimarc["100"]["a"] == "20240506u        u  y0frey50      ba"
    assert str(unimarc.leader) == "00000nam  2200000   450 "
    marc21 = build_record(
        RecordFields(title="Seul", year=2001), "marc21", today=dt.date(2024, 5, 6)
    )
    fixed = marc21["008"].data
    assert len(fixed) == 40 and fixed.startswith("240506s2001")
    assert fixed[35:38] == "und"
    for record in (unimarc, marc21):
        assert len(pymarc.Record(data=record.as_marc()).fields) == len(record.fields)


def test_set_items_replaces_in_place_and_round_trips():
    record = build_record(RecordFields(title="T"), "unimarc")
    items = [
        ItemData(barcode="1001", call_number="R DUM", owner="MD", home="BIB1", current="BIB1",
                 location="Adulte", status="0", audience="a", item_type="LIV",
                 collection="FONDS", acquired=dt.date(2022, 1, 31), notes="Don"),
        ItemData(barcode="1002", owner="BIB1", home="BIB1", current="BIB1", status="lost:1"),
    ]  # fmt: skip
    set_items(record, items, "unimarc")
    set_items(record, items, "unimarc")  # replacing, not appending
    assert [f.tag for f in record.fields].count("995") == 2
    assert extract(record).items == items

    marc21 = build_record(RecordFields(title="T"), "marc21")
    marc21.add_field(pymarc.Field(tag="999", indicators=[" ", " "], subfields=[]))
    koha = [
        ItemData(barcode="2001", call_number="FIC DUM", owner="CPL", home="CPL", current="MPL",
                 location="GEN", status="notforloan:-1", item_type="BK", collection="FIC",
                 price=Decimal("22.95"), acquired=dt.date(2014, 5, 7), notes="Abîmé"),
    ]  # fmt: skip
    set_items(marc21, koha, "marc21")
    assert [f.tag for f in marc21.fields][-2:] == ["952", "999"]  # tag order kept
    assert extract(marc21).items == koha


@pytest.mark.parametrize(("folder", "name"), SHARED)
def test_exports_reread_identically(shared_data: Path, folder: str, name: str):
    records = [r.record for r in read_marc(shared_data / folder / name)]
    before = [extract(r) for r in records]
    for write in (write_iso2709, write_marcxml):
        out = io.BytesIO()
        assert write(records, out) == len(records)
        again = list(read_marc(out.getvalue()))
        assert all(r.ok and r.warnings == [] for r in again)
        assert [extract(r.record) for r in again] == before


@pytest.mark.parametrize(("folder", "name"), SHARED)
def test_exports_are_read_by_pymarc(shared_data: Path, folder: str, name: str):
    records = [r.record for r in read_marc(shared_data / folder / name)]
    iso, xml = io.BytesIO(), io.BytesIO()
    write_iso2709(records, iso)
    write_marcxml(records, xml)
    ours = [r.record for r in read_marc(iso.getvalue())]
    logging.disable(logging.WARNING)
    try:
        by_pymarc = list(pymarc.MARCReader(iso.getvalue()))
        from_xml = pymarc.parse_xml_to_array(io.BytesIO(xml.getvalue()))
    finally:
        logging.disable(logging.NOTSET)
    assert [str(r) for r in by_pymarc] == [str(r) for r in ours]
    # MARCXML keeps the source's leader: its length and base address mean nothing there
    assert [text(r) for r in from_xml] == [text(r) for r in ours]


def text(record: pymarc.Record) -> str:
    leader = str(record.leader)
    return f"{leader[5:12]}{leader[17:]}\n" + str(record).split("\n", 1)[1]


def test_encoding_is_marked_in_exports(shared_data: Path):
    (bnf,) = read_marc(shared_data / "bnf_sru_unimarc" / "bnf_ean_any_123.xml")
    original_100 = bnf.record["100"]["a"]
    bnf.record["100"]["a"] = original_100[:26] + "03" + original_100[28:]
    out = io.BytesIO()
    write_iso2709([bnf.record], out)
    data = out.getvalue()
    assert data[9:10] == b"a" and data[20:24] == b"450 "
    (again,) = read_marc(data)
    assert again.record["100"]["a"][26:28] == "50"
    assert bnf.record["100"]["a"][26:28] == "03"  # the caller's record is left alone

    (marc8,) = read_marc(shared_data / "pymarc" / "marc8.dat")
    out = io.BytesIO()
    write_iso2709([marc8.record], out)
    assert out.getvalue()[9:10] == b"a"
    (again,) = read_marc(out.getvalue())
    assert again.record["240"]["a"] == "De la solitude à la communauté."


def test_iso_writer_matches_pymarc_bytes_for_marc21(shared_data: Path):
    records = [r.record for r in read_marc(shared_data / "pymarc" / "marc.dat")]
    out = io.BytesIO()
    write_iso2709(records, out, "marc21")
    expected = b"".join(copy.deepcopy(r).as_marc() for r in records)
    assert out.getvalue() == expected


def test_too_long_records_are_reported_or_raise():
    huge = build_record(RecordFields(title="T", summary="x" * 9995), "unimarc")
    small = build_record(RecordFields(title="U"), "unimarc")
    errors: list[tuple[int, str]] = []
    out = io.BytesIO()
    assert write_iso2709([huge, small], out, on_error=lambda i, why: errors.append((i, why))) == 1
    assert errors == [(0, "zone 330 trop longue pour ISO 2709 (10000 octets)")]
    assert [extract(r.record).title for r in read_marc(out.getvalue())] == ["U"]
    with pytest.raises(MarcError):
        write_iso2709([huge], io.BytesIO())
    out = io.BytesIO()
    write_marcxml([huge], out)  # XML has no such limit
    (result,) = read_marc(out.getvalue())
    assert len(extract(result.record).summary) == 9995


def test_marcxml_escapes_and_drops_forbidden_characters():
    fields = RecordFields(title='Tom & "Jerry" <1>', summary="fin\x1bde ligne\x07")
    out = io.BytesIO()
    write_marcxml([build_record(fields, "marc21")], out, "marc21")
    ET.fromstring(out.getvalue())  # well-formed
    (result,) = read_marc(out.getvalue())
    data = extract(result.record)
    assert (data.title, data.summary) == ('Tom & "Jerry" <1>', "finde ligne")


def test_hyphens_of_isbns_as_stdnum_puts_them():
    """The splits kept by their leading digits give what stdnum gives, for numbers spread
    over every group and for neighbours sharing a registrant."""
    import random

    from stdnum import ean
    from stdnum import isbn as stdnum_isbn

    from maillon.catalogue.marc.writer import hyphenated

    draw = random.Random(19)
    numbers = []
    for _ in range(3000):
        stem = draw.choice(["978", "979"]) + "".join(draw.choices("0123456789", k=9))
        numbers.append(stem + ean.calc_check_digit(stem))
        # A neighbour: the same first digits, another item number.
        near = stem[: draw.randint(6, 11)].ljust(12, "7")
        numbers.append(near + ean.calc_check_digit(near))
    for number in numbers + numbers:  # the second time, from what was kept
        assert hyphenated(number) == stdnum_isbn.format(number), number
