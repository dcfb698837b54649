"""extract() on UNIMARC: real BnF records, pymarc's Italian test record, built records."""

import datetime as dt
from pathlib import Path

import pytest
from pymarc import Field, Indicators, Leader, Record, Subfield

from maillon.catalogue.marc import Contributor, Series, detect_flavour, extract, read_marc


def only(path: Path):
    (result,) = read_marc(path)
    return result.record


def make(leader: str = "     nam  22        450 ", **fields: list[tuple[str, ...]]) -> Record:
    """make(f200=[("1 ", "a", "Titre", "e", "Sous-titre")]): one tuple per field."""
    record = Record()
    record.leader = Leader(leader)
    for key, occurrences in fields.items():
        for spec in occurrences:
            tag = key[1:]
            if tag < "010":
                record.add_field(Field(tag=tag, data=spec[0]))
                continue
            ind, rest = spec[0], spec[1:]
            subs = [Subfield(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
            record.add_field(Field(tag=tag, indicators=Indicators(*ind), subfields=subs))
    return record


def test_bnf_harry_potter(shared_data: Path):
    record = only(shared_data / "bnf_sru_unimarc" / "bnf_ean_any_9782070541270.xml")
    assert detect_flavour(record) == "unimarc"
    data = extract(record)
    assert data.title == "Harry Potter à l'école des sorciers"
    assert data.authors == [
        Contributor("Rowling, J. K.", "auteur"),
        Contributor("Ménard, Jean-François", "traducteur"),
    ]
    assert data.isbns == ["9782070541270"]  # 010$a 2-07-054127-4 as ISBN-13
    assert data.identifiers == ["ean:9782070541270"]
    assert (data.publisher, data.year, data.language) == ("Gallimard", 1999, "fre")
    assert data.series == [Series("Harry Potter", "1")]
    assert "Harry Potter and the philosopher's stone" in data.other_titles
    assert (data.doc_type, data.audience) == ("text", "youth")
    assert data.source_ids == ["bnf:FRBNF370903960000006", "ark:/12148/cb37090396w"]
    assert data.warnings == []


def test_bnf_record_with_subjects_and_dewey(shared_data: Path):
    data = extract(only(shared_data / "bnf_sru_unimarc" / "bnf_ean_any_123.xml"))
    assert data.display_title == "L'emploi, l'emploi, l'emploi : l'indispensable révolution"
    assert data.authors == [
        Contributor("Gattaz, Yvon", "auteur"),
        Contributor("Darcos, Xavier", "préfacier"),
    ]
    assert (data.publisher, data.year) == ("Jacques-Marie Laffont", 2020)  # from "DL 2020"
    assert data.isbns == ["9782378831233"]
    assert data.classification == "331.1"
    assert data.subjects == [
        "Marché du travail -- France -- 2000-....",
        "Jeunesse -- Travail -- Politique publique",
    ]
    assert data.audience == "adult"  # 100$a/17 "m"
    assert data.title_key == "emploi l emploi l emploi|gattaz|2020"


def test_bnf_search_response(shared_data: Path):
    results = list(read_marc(shared_data / "bnf_sru_unimarc" / "bnf_anywhere_all_peter.xml"))
    datas = [extract(r.record) for r in results]
    assert all(d.flavour == "unimarc" and d.title for d in datas)
    assert all(d.source_ids[0].startswith("bnf:FRBNF") for d in datas)
    kinds = {d.doc_type for d in datas}
    assert {"text", "score", "music"} <= kinds
    first = datas[0]
    assert first.authors[0] == Contributor("Strunck, Delphin", "compositeur")
    assert first.identifiers == ["editeur:CEKM 23"]


def test_pymarc_italian_unimarc(shared_data: Path):
    data = extract(only(shared_data / "pymarc" / "testunimarc.dat"))
    assert data.title == "L'altra faccia della spirale"  # NSB/NSE markers removed
    assert data.authors[0] == Contributor("Asimov, Isaac", "auteur")  # "$b, Isaac"
    assert Contributor("Scaglia, Cesare", "") in data.authors
    assert data.series == [Series("Bestsellers", "641"), Series("Il ciclo delle fondazioni", "4")]
    assert data.other_titles == ["Second foundation"]  # 454, embedded 200$a
    assert (data.year, data.language, data.isbns) == (1996, "ita", ["9788804406822"])
    assert data.source_ids == ["ctrl::IT\\ICCU\\ANA\\0019370"]


def test_items_from_995():
    record = make(
        f200=[("1 ", "a", "Titre")],
        f995=[
            (
                "  ", "b", "MD01", "c", "BIB02", "e", "Adulte", "f", "3001234567 ", "k",
                "R DUP", "o", "0", "q", "a", "r", "LIV", "u", "Don", "5", "2023-03-09",
                "8", "FONDS",
            ),
            ("  ", "b", "BIB02", "f", "3009", "2", "1"),
            ("  ", "b", "BIB02", "5", "hier"),
        ],
    )  # fmt: skip
    data = extract(record)
    first, lost, odd = data.items
    assert (first.barcode, first.call_number, first.owner, first.home, first.current) == (
        "3001234567", "R DUP", "MD01", "BIB02", "BIB02",
    )  # fmt: skip
    assert (first.location, first.status, first.audience, first.item_type) == (
        "Adulte", "0", "a", "LIV",
    )  # fmt: skip
    assert (first.collection, first.notes, first.acquired) == ("FONDS", "Don", dt.date(2023, 3, 9))
    assert first.price is None
    assert (lost.owner, lost.home, lost.status) == ("BIB02", "BIB02", "lost:1")
    assert odd.acquired is None
    assert data.warnings == [
        "date d'exemplaire illisible : hier",
        "1 exemplaire(s) sans code-barres",
    ]


def test_missing_title_and_invalid_isbn():
    data = extract(make(f010=[("  ", "a", "2-07-054127-5")], f700=[(" 1", "a", "Seul")]))
    assert data.title == ""
    assert data.isbns == [] and data.invalid_isbns == ["2-07-054127-5"]
    assert data.warnings == ["ISBN invalide : 2-07-054127-5", "titre absent"]


def test_title_parts_relators_and_corporate_bodies():
    data = extract(
        make(
            f100=[("  ", "a", "20240101d2024    a  y0frey50      ba")],
            f200=[("1 ", "a", "Les Aventures", "h", "Tome 2", "i", "Le retour", "e", "roman /")],
            f702=[(" 1", "a", "Martin", "b", "Anne", "4", "440"), (" 1", "a", "X", "4", "999")],
            f710=[("02", "a", "Bibliothèque nationale", "b", "Département des cartes")],
            f073=[(" 0", "a", "978-2-07-054127-0")],
        )
    )
    assert data.title == "Les Aventures. Tome 2, Le retour"
    assert data.subtitle == "roman"
    assert data.authors == [
        Contributor("Martin, Anne", "illustrateur"),
        Contributor("X", "999"),  # unknown code kept as is
        Contributor("Bibliothèque nationale. Département des cartes", "auteur"),
    ]
    assert data.isbns == ["9782070541270"]  # a 978 EAN is an ISBN
    assert (data.year, data.audience) == (2024, "youth")


@pytest.mark.parametrize(
    ("leader67", "expected"),
    [("am", "text"), ("as", "periodical"), ("cm", "score"), ("gm", "video"), ("im", "sound"),
     ("jm", "music"), ("km", "image"), ("lm", "multimedia"), ("mm", "kit"), ("rm", "game"),
     ("em", "other"), ("zm", "other")],
)  # fmt: skip
def test_document_type_from_leader(leader67: str, expected: str):
    record = make(leader=f"     n{leader67}  22        450 ", f200=[("1 ", "a", "T")])
    assert extract(record).doc_type == expected


def test_flavour_heuristics():
    assert detect_flavour(make(f200=[("1 ", "a", "T")])) == "unimarc"
    assert detect_flavour(make(f245=[("00", "a", "T")])) == "marc21"
    assert detect_flavour(make(f995=[("  ", "f", "1")])) == "unimarc"
    assert detect_flavour(make(f952=[("  ", "p", "1")])) == "marc21"
    coded = "20240101d2024    a  y0frey50      ba"
    assert detect_flavour(make(f100=[("  ", "a", coded)])) == "unimarc"
    assert detect_flavour(make(f100=[("1 ", "a", "Hugo, Victor")], f008=[(" " * 40,)])) == "marc21"
    assert detect_flavour(make(f001=[("1",)])) == "unimarc"
    assert detect_flavour(make(f001=[("1",)]), default="marc21") == "marc21"
