"""read_marc: formats, broken input, encodings. Real files come from ../shared/data."""

import io
import logging
import warnings
from pathlib import Path

import pymarc
import pytest

from maillon.catalogue.marc import read_marc
from maillon.catalogue.marc.bench import parse_rate
from maillon.catalogue.marc.reader import sniff_format


def iso(
    fields: list[tuple[str, str]],
    leader9: str = " ",
    encoding: str = "utf-8",
    char_lengths: bool = False,
) -> bytes:
    """A minimal ISO 2709 encoder written independently of the code under test.

    ``char_lengths`` reproduces a common exporter bug: lengths counted in characters.
    """
    body = b""
    directory = ""
    for tag, content in fields:
        data = content.encode(encoding) + b"\x1e"
        length = len(content) + 1 if char_lengths else len(data)
        offset = len(body.decode(encoding)) if char_lengths else len(body)
        directory += f"{tag}{length:04d}{offset:05d}"
        body += data
    base = 24 + len(directory) + 1
    total = base + len(body) + 1
    leader = f"{total:05d}nam {leader9}22{base:05d}   450 "
    return leader.encode() + directory.encode() + b"\x1e" + body + b"\x1d"


def records_of(data: bytes) -> list[bytes]:
    return [chunk + b"\x1d" for chunk in data.split(b"\x1d") if chunk.strip()]


# --- broken ISO 2709 -----------------------------------------------------------------------


def test_pymarc_bad_records_file(shared_data: Path):
    results = list(read_marc(shared_data / "pymarc" / "bad_records.mrc"))
    assert [r.index for r in results] == list(range(8))
    assert [r.ok for r in results] == [True, False, False, False, False, False, False, True]
    errors = {r.index: r.error for r in results if not r.ok}
    assert errors == {
        1: "adresse de base des données au-delà de la fin de la notice",
        2: "adresse de base des données absente",
        3: "répertoire de notice invalide (longueur non multiple de 12)",
        4: "répertoire de notice illisible (caractères non ASCII)",
        5: "adresse de base des données invalide dans le label",
        6: "notice sans zone",
    }
    raw = (shared_data / "pymarc" / "bad_records.mrc").read_bytes()
    assert results[1].raw == records_of(raw)[1]  # the reject file gets the exact bytes
    assert results[7].record["245"]["a"] == "The pragmatic programmer : "


def test_truncated_file_keeps_every_complete_record(shared_data: Path, tmp_path: Path):
    good = (shared_data / "pymarc" / "marc.dat").read_bytes()
    assert len(records_of(good)) == 20
    cut = tmp_path / "cut.mrc"
    cut.write_bytes(good[:-100])

    results = list(read_marc(cut))

    assert len(results) == 20
    assert sum(r.ok for r in results) == 19
    assert results[-1].error == "notice tronquée"
    assert results[-1].raw == good[:-100][good.rfind(b"\x1d", 0, len(good) - 1) + 1 :]


def test_bytes_missing_inside_a_record_only_lose_that_record(shared_data: Path):
    good = (shared_data / "pymarc" / "marc.dat").read_bytes()
    chunks = records_of(good)
    start = sum(len(c) for c in chunks[:5])
    damaged = good[: start + 300] + good[start + 350 :]  # 50 bytes gone from record 6

    results = list(read_marc(damaged))

    assert len(results) == 20
    assert [r.index for r in results if not r.ok] == [5]
    assert results[5].error == "notice tronquée"
    expected = [c.record["001"].data for c in read_marc(good)]
    got = [r.record["001"].data for r in results if r.ok]
    assert got == expected[:5] + expected[6:]


def test_missing_terminator_and_wrong_length_are_read_with_a_warning(shared_data: Path):
    chunks = records_of((shared_data / "pymarc" / "marc.dat").read_bytes())
    chunks[2] = chunks[2][:-1]  # record 3 lost its terminator
    chunks[4] = b"%05d" % (len(chunks[4]) + 3) + chunks[4][5:]  # record 5 lies about its length

    results = list(read_marc(b"".join(chunks)))

    assert len(results) == 20 and all(r.ok for r in results)
    assert results[2].warnings == ["fin de notice absente"]
    assert results[4].warnings[0].startswith("longueur déclarée")
    assert results[3].warnings == []


def test_lengths_counted_in_characters_are_recovered():
    data = iso(
        [("001", "42"), ("200", "1 \x1faÉté à Noël\x1feécrit"), ("700", " 1\x1faHé")],
        char_lengths=True,
    )
    (result,) = read_marc(data)
    assert result.ok
    assert result.record["200"]["a"] == "Été à Noël"
    assert result.record["700"]["a"] == "Hé"
    assert "longueurs du répertoire comptées en caractères et non en octets" in result.warnings


def test_separators_between_records_are_ignored(shared_data: Path):
    chunks = records_of((shared_data / "pymarc" / "test.dat").read_bytes())
    data = b"\r\n".join(chunks) + b"\r\n\x1a"
    results = list(read_marc(data))
    assert len(results) == 10 and all(r.ok for r in results)


def test_random_damage_never_raises(shared_data: Path):
    import random

    rng = random.Random(1995)
    good = (shared_data / "pymarc" / "marc.dat").read_bytes()
    unimarc = (shared_data / "pymarc" / "testunimarc.dat").read_bytes()
    for _ in range(300):
        data = bytearray(rng.choice([good, unimarc]))
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[position] = rng.randrange(256)
            else:
                del data[position : position + rng.randint(1, 40)]
        results = list(read_marc(bytes(data), fmt="iso2709"))
        assert all((r.record is None) != (r.error is None) for r in results)


def test_garbage_is_an_error_not_an_exception():
    results = list(read_marc(b"this is not MARC at all\x1dnor this"))
    assert [r.error for r in results] == ["longueur de notice invalide"] * 2


# --- encodings -----------------------------------------------------------------------------


def test_our_decoder_agrees_with_pymarc_on_its_test_files(shared_data: Path):
    logging.disable(logging.WARNING)
    try:
        for name in ("marc.dat", "test.dat", "regression45.dat", "diacritic.dat", "marc8.dat"):
            path = shared_data / "pymarc" / name
            ours = [r.record for r in read_marc(path)]
            with path.open("rb") as fp, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = list(pymarc.MARCReader(fp, hide_utf8_warnings=True))
            assert [str(r) for r in ours] == [str(r) for r in theirs], name
    finally:
        logging.disable(logging.NOTSET)


def test_marc8_record_is_decoded(shared_data: Path):
    (result,) = read_marc(shared_data / "pymarc" / "marc8.dat")
    assert result.record.leader[9] == " " and result.warnings == []
    # MARC-8 puts the combining accent before the letter ("\xe1a" is "à")
    assert result.record["240"]["a"] == "De la solitude à la communauté."


def test_latin1_unimarc_record_declared_iso646_is_decoded():
    coded = "20240101d2001    m  y0frey01      ba"  # 100$a/26-27 "01"
    data = iso(
        [
            ("001", "X1"),
            ("100", "  \x1fa" + coded),
            ("200", "1 \x1faLes Misérables"),
            ("700", " 1\x1faHugo\x1fbVictor"),
        ],
        encoding="latin-1",
    )
    (result,) = read_marc(data)
    assert result.record["200"]["a"] == "Les Misérables"
    assert any("Latin-1" in w for w in result.warnings)


def test_latin1_bytes_in_a_record_declared_utf8_fall_back_with_a_warning():
    coded = "20240101d2001    m  y0frey50      ba"
    data = iso([("100", "  \x1fa" + coded), ("200", "1 \x1faŒuvres complètes")], encoding="cp1252")
    (result,) = read_marc(data)
    assert result.ok
    assert result.warnings == [
        "notice déclarée en UTF-8 (100$a) mais illisible en UTF-8 : lue en Latin-1"
    ]
    assert result.record["200"]["a"].endswith("uvres complètes")


def test_utf8_unimarc_without_leader_flag_is_read_as_utf8(shared_data: Path):
    (result,) = read_marc(shared_data / "pymarc" / "testunimarc.dat")
    assert result.warnings == []
    assert result.record["200"]["a"] == "\x88L'\x89altra faccia della spirale"


def test_marc21_declared_marc8_but_written_in_utf8():
    data = iso([("008", " " * 40), ("245", "10\x1faÉcole")])
    (result,) = read_marc(data)
    assert result.record["245"]["a"] == "École"
    assert result.warnings == ["notice déclarée en MARC-8 mais encodée en UTF-8 : lue en UTF-8"]


def test_forced_encoding(shared_data: Path):
    path = shared_data / "pymarc" / "1251.dat"
    guessed = list(read_marc(path))
    assert all("vérifier l'encodage" in r.warnings[0] for r in guessed)
    forced = list(read_marc(path, encoding="cp1251"))
    with path.open("rb") as fp:
        theirs = list(pymarc.MARCReader(fp, file_encoding="cp1251"))
    assert [str(r.record) for r in forced] == [str(r) for r in theirs]
    assert all(r.warnings == [] for r in forced)
    with pytest.raises(ValueError, match="encodage inconnu"):
        read_marc(path, encoding="klingon")


# --- XML -----------------------------------------------------------------------------------

SLIM = '<collection xmlns="http://www.loc.gov/MARC21/slim">'


def test_bnf_sru_response_is_read_as_marcxchange(shared_data: Path):
    results = list(read_marc(shared_data / "bnf_sru_unimarc" / "bnf_anywhere_all_peter.xml"))
    assert len(results) == 49 and all(r.ok for r in results)
    first = results[0]
    assert first.record["001"].data == "FRBNF43288550000000X"
    assert str(first.record.leader) == "     ccm  22     3n 450 "
    # the reject-file bytes are the record element itself, re-readable on their own
    assert first.raw.startswith(b'<record xmlns="info:lc/xmlns/marcxchange-v2"')
    (again,) = read_marc(first.raw)
    assert str(again.record) == str(first.record)


def test_marcxml_collection_counts(shared_data: Path):
    rero = list(read_marc(shared_data / "rero_marc21" / "documents_small.xml"))
    koha = list(read_marc(shared_data / "koha_misc4dev_marc21" / "biblios_with_952.marcxml"))
    assert (len(rero), len(koha)) == (442, 436)
    assert all(r.ok for r in rero + koha)


def test_invalid_xml_yields_one_error_after_the_good_records():
    data = (
        SLIM + "<record><leader>00000nam a2200000 a 4500</leader>"
        '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Bon</subfield></datafield>'
        "</record><record><leader>00000nam a2200000 a 4500</leader>"
        '<datafield tag="245"><subfield code="a">A & B</subfield></datafield>'
        "</record></collection>"
    ).encode()
    results = list(read_marc(data))
    assert [r.ok for r in results] == [True, False]
    assert results[1].index == 1
    assert results[1].error == "XML invalide : caractère ou balise invalide (ligne 1, colonne 285)"


def test_truncated_xml_file(shared_data: Path):
    data = (shared_data / "koha_misc4dev_marc21" / "biblios_with_952.marcxml").read_bytes()
    cut = data[: len(data) // 2]
    results = list(read_marc(cut))
    complete = cut.count(b"</record>")
    assert sum(r.ok for r in results) == complete
    assert len(results) == complete + 1
    assert results[-1].error.startswith("XML invalide")


def test_xml_in_latin1_and_without_namespace():
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<collection><record>'
        "<leader>00000nam a2200000 a 4500</leader>"
        '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Noël</subfield>'
        "</datafield></record></collection>"
    ).encode("latin-1")
    (result,) = read_marc(data)
    assert result.record["245"]["a"] == "Noël"


def test_xml_record_with_a_short_leader_is_kept_with_a_warning():
    data = (
        SLIM + "<record><leader>00000nam</leader>"
        '<controlfield tag="001">7</controlfield></record></collection>'
    ).encode()
    (result,) = read_marc(data)
    assert result.ok and len(str(result.record.leader)) == 24
    assert result.warnings == ["label de notice de 8 caractères au lieu de 24 : complété"]


# --- sources and sniffing ------------------------------------------------------------------


def test_every_kind_of_source(shared_data: Path):
    path = shared_data / "pymarc" / "test.dat"
    data = path.read_bytes()
    with path.open("rb") as fp:
        from_file = [r.record["001"].data for r in read_marc(fp)]
        assert not fp.closed  # the caller's file stays open
    assert from_file == [r.record["001"].data for r in read_marc(str(path))]
    assert from_file == [r.record["001"].data for r in read_marc(data, fmt="iso2709")]
    assert len(from_file) == 10


def test_sniffing():
    assert sniff_format(b"\xef\xbb\xbf  \n<?xml ...") == "marcxml"
    assert sniff_format(b"\xff\xfe<\x00") == "marcxml"
    assert sniff_format(b"00127     2200037   4500") == "iso2709"
    assert list(read_marc(b"")) == []
    with pytest.raises(ValueError, match="format inconnu"):
        read_marc(b"", fmt="json")


def test_non_seekable_stream_is_sniffed(shared_data: Path):
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return self._data.read(min(size, 1000) if size and size > 0 else -1)

    data = (shared_data / "bnf_sru_unimarc" / "bnf_ean_any_123.xml").read_bytes()
    (result,) = read_marc(Pipe(data))
    assert result.record["001"].data == "FRBNF466335370000003"


def test_parse_rate_counts_records(shared_data: Path):
    path = shared_data / "pymarc" / "marc.dat"
    for mode in ("pymarc", "read", "extract"):
        records, seconds = parse_rate(path, mode, min_records=30)
        assert records == 40 and seconds > 0
