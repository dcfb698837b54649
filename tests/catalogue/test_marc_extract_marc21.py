"""extract() on MARC21: Koha records with 952 items, RERO records, pymarc's MARC-8 record."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pymarc import Field, Indicators, Leader, Record, Subfield

from maillon.catalogue.marc import Contributor, Series, detect_flavour, extract, read_marc

KOHA = ("koha_misc4dev_marc21", "biblios_with_952.marcxml")
RERO = ("rero_marc21", "documents_small.xml")


@pytest.fixture
def koha(shared_data: Path):
    return [extract(r.record) for r in read_marc(shared_data.joinpath(*KOHA))]


@pytest.fixture
def rero(shared_data: Path) -> dict:
    datas = [extract(r.record) for r in read_marc(shared_data.joinpath(*RERO))]
    return {d.source_ids[0]: d for d in datas}


def test_koha_first_record(koha):
    data = koha[0]
    assert data.flavour == "marc21"
    assert data.title == "E Street shuffle"
    assert data.subtitle == "the glory days of Bruce Springsteen & the E Street Band"
    assert data.authors == [Contributor("Heylin, Clinton", "auteur")]
    assert data.isbns == ["9780670026623"]  # from "9780670026623 (alk. paper)"
    assert (data.year, data.language, data.classification) == (2013, "eng", "782.42166092")
    assert data.subjects == [
        "Springsteen, Bruce",
        "E Street Band",
        "Rock musicians -- United States -- Biography",
    ]
    assert data.source_ids == ["ctrl::17446121"]


def test_koha_952_items(shared_data: Path, koha):
    text = shared_data.joinpath(*KOHA).read_text(encoding="utf-8")
    assert sum(len(d.items) for d in koha) == text.count('<datafield tag="952"') == 961
    assert sum(1 for d in koha if d.items) == 411
    item = koha[0].items[0]
    assert (item.barcode, item.home, item.current, item.owner) == (
        "3999900000001",
        "CPL",
        "CPL",
        "CPL",
    )
    assert (item.location, item.item_type, item.status) == ("GEN", "BK", "")
    assert item.acquired == dt.date(2014, 5, 7)
    barcodes = [i.barcode for d in koha for i in d.items]
    assert len(set(barcodes)) == len(barcodes) and all(barcodes)
    assert {i.collection for d in koha for i in d.items} == {"REF", "NFIC", "FIC", ""}
    assert [i.call_number for d in koha for i in d.items if i.call_number] == ["FIC/kas"]


def test_rero_records(rero):
    serial = rero["ctrl:RERO:REROILS:75"]
    assert (serial.title, serial.doc_type, serial.publisher, serial.year) == (
        "Bibliothèque philosophique de Louvain", "periodical", "Vrin", 1946,
    )  # fmt: skip
    book = rero["ctrl:RERO:REROILS:231"]
    assert book.title == "Heptaméron. 1, Texte"  # 245 $a $n $p, ISBD punctuation gone
    assert Series("L'heptaméron", "1") in book.series  # 800 $t with a non-sorting marker
    german = rero["ctrl:RERO:REROILS:210"]
    assert german.authors == [
        Contributor("Kessel, Katja", "auteur"),
        Contributor("Reimann, Sandra", ""),
    ]
    assert "Allemand (langue)" in german.subjects
    assert german.series[0] == Series("utb", "2704")
    youth = rero["ctrl:RERO:REROILS:228"]
    assert youth.summary == "Fictions jeunesse: roman, préhistoire, science fiction"
    assert "uri:http://catalogue.bnf.fr/ark:/12148/cb442907992" in youth.identifiers
    assert all(d.title for d in rero.values())


def test_marc8_record(shared_data: Path):
    (result,) = read_marc(shared_data / "pymarc" / "marc8.dat")
    data = extract(result.record)
    assert data.title == "Escape from loneliness"
    assert "De la solitude à la communauté" in data.other_titles
    assert (data.year, data.publisher) == (1962, "Westminster Press")
    assert data.subjects[:2] == ["Loneliness", "Self"]


def record(leader: str = "00000nam a2200000 a 4500", fixed: str = " " * 40, **fields) -> Record:
    rec = Record()
    rec.leader = Leader(leader)
    rec.add_field(Field(tag="008", data=fixed))
    for key, occurrences in fields.items():
        for ind, *rest in occurrences:
            subs = [Subfield(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
            rec.add_field(Field(tag=key[1:], indicators=Indicators(*ind), subfields=subs))
    return rec


def test_publication_roles_and_identifiers():
    fixed = "240101s2021    fr     j      000 1 fre d"
    data = extract(
        record(
            fixed=fixed,
            f024=[("3 ", "a", "3700123456789"), ("1 ", "a", "0 12345 67890 5 (coffret)")],
            f100=[("1 ", "a", "Durand, Marie,", "e", "author.")],
            f245=[("10", "a", "Titre :", "b", "sous-titre /", "c", "Marie Durand.")],
            f260=[("  ", "a", "Lyon :", "b", "Ancien,", "c", "1999.")],
            f264=[(" 1", "a", "Paris :", "b", "Nouvel éditeur,", "c", "[2021]")],
            f700=[("1 ", "a", "Petit, Léa", "4", "http://id.loc.gov/vocabulary/relators/ill"),
                  ("1 ", "a", "Roux, Jean", "e", "traducteur")],
            f020=[("  ", "a", "0-19-852663-6"), ("  ", "a", "pas un ISBN")],
        )
    )  # fmt: skip
    assert (data.title, data.subtitle) == ("Titre", "sous-titre")
    assert (data.publisher, data.year) == ("Nouvel éditeur", 2021)  # 264 ind2=1 first
    assert data.authors == [
        Contributor("Durand, Marie", "auteur"),
        Contributor("Petit, Léa", "illustrateur"),
        Contributor("Roux, Jean", "traducteur"),
    ]
    assert data.identifiers == ["ean:3700123456789", "upc:012345678905"]
    assert data.isbns == ["9780198526636"]
    assert data.invalid_isbns == ["pas un ISBN"]
    assert (data.audience, data.language) == ("youth", "fre")


@pytest.mark.parametrize(
    ("leader67", "audience_code", "doc_type", "audience"),
    [("am", "j", "text", "youth"), ("am", "e", "text", "adult"),
     ("as", "j", "periodical", "unknown"), ("gm", "g", "video", "adult"),
     ("jm", " ", "music", "unknown"), ("om", "c", "kit", "youth"), ("em", "j", "other", "unknown"),
     ("mm", "d", "multimedia", "youth"), ("rm", "a", "game", "youth"),
     ("pm", "j", "other", "unknown")],
)  # fmt: skip
def test_type_and_audience(leader67: str, audience_code: str, doc_type: str, audience: str):
    fixed = f"{' ' * 22}{audience_code}{' ' * 17}"
    data = extract(
        record(leader=f"00000n{leader67} a2200000 a 4500", fixed=fixed, f245=[("00", "a", "T")])
    )
    assert (data.doc_type, data.audience) == (doc_type, audience)


def test_952_status_price_and_dates():
    data = extract(
        record(
            f245=[("00", "a", "T")],
            f952=[
                ("  ", "a", "A", "b", "B", "p", "1", "g", "12,50 €", "d", "31/12/2020", "1", "2"),
                ("  ", "a", "A", "p", "2", "7", "-1", "g", "gratuit", "d", "2020-02-30"),
                ("  ", "a", "A", "p", "3", "0", "1", "1", "0", "z", "Réparé"),
            ],
        )
    )
    lost, not_for_loan, withdrawn = data.items
    assert (lost.status, lost.price, lost.acquired) == (
        "lost:2",
        Decimal("12.50"),
        dt.date(2020, 12, 31),
    )
    assert (lost.home, lost.current) == ("A", "B")
    assert (not_for_loan.status, not_for_loan.price, not_for_loan.acquired) == (
        "notforloan:-1",
        None,
        None,
    )
    assert (withdrawn.status, withdrawn.notes) == ("withdrawn:1", "Réparé")
    assert data.warnings == [
        "prix d'exemplaire illisible : gratuit",
        "date d'exemplaire illisible : 2020-02-30",
    ]
    assert detect_flavour(record()) == "marc21"
