"""Mutated MARC files, reproducible from a seed, to try the importer on what an unlucky day brings.

Each case starts from a few real records (read from files given by the caller), written as ISO 2709
or MARCXML, then damaged in one way. Damage that keeps the records apart (an over-long field, a
13-digit price, a NUL in a title, 45-character barcodes, a syntax error inside one XML record, an
unknown XML encoding) keeps ``records`` known: the importer must account for exactly that many.
Blind byte damage (flips, cuts, repeats) leaves ``records`` as None: only the importer's own sum
can be checked.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pymarc import Record

from . import _build
from .flavour import Flavour, detect_flavour
from .reader import read_marc
from .writer import write_iso2709, write_marcxml


@dataclass
class FuzzCase:
    name: str  # "<number>-<mutation>", also a good file name stem
    data: bytes
    fmt: str  # "iso2709" or "marcxml"
    records: int | None  # records the file holds, when the mutation keeps it known


def load_records(paths: Sequence[Path], per_file: int = 200) -> list[list[Record]]:
    """The readable records of each file (at most ``per_file``), one list per file."""
    pools = []
    for path in paths:
        pool = []
        for result in read_marc(path):
            if result.record is not None:
                pool.append(result.record)
            if len(pool) >= per_file:
                break
        if pool:
            pools.append(pool)
    return pools


def cases(pools: list[list[Record]], count: int, seed: int) -> Iterator[FuzzCase]:
    rng = random.Random(seed)
    for number in range(count):
        pool = rng.choice(pools)
        size = rng.randint(1, min(12, len(pool)))
        first = rng.randrange(len(pool) - size + 1)
        records = [_copy(r) for r in pool[first : first + size]]
        fmt = rng.choice(("iso2709", "marcxml"))
        mutation = rng.choice(MUTATIONS)
        data, known = mutation(rng, records, fmt)
        yield FuzzCase(f"{number:04d}-{mutation.__name__.strip('_')}", data, fmt, known)


def _copy(record: Record) -> Record:
    fields = []
    for f in record.fields:
        if f.control_field:
            fields.append(_build.control_field(f.tag, f.data or ""))
        else:
            subs = [_build.subfield(code, value) for code, value in f.subfields]
            inds = f.indicators or _build.BLANK_INDICATORS
            fields.append(_build.data_field(f.tag, inds, subs))
    return _build.record(str(record.leader), fields)


def _flavour(record: Record) -> Flavour:
    return detect_flavour(record)


def _write(records: list[Record], fmt: str) -> bytes:
    out = io.BytesIO()
    flavour: Flavour = _flavour(records[0]) if records else "unimarc"
    if fmt == "marcxml":
        write_marcxml(records, out, flavour)
    else:
        write_iso2709(records, out, flavour)
    return out.getvalue()


def _title_field(record: Record):
    tag = "200" if _flavour(record) == "unimarc" else "245"
    return next((f for f in record.fields if f.tag == tag and not f.control_field), None)


def _set_sub(record: Record, tag: str, code: str, value: str) -> None:
    field = next((f for f in record.fields if f.tag == tag and not f.control_field), None)
    if field is None:
        field = _build.data_field(tag, _build.BLANK_INDICATORS, [])
        record.fields.append(field)
    field.subfields = [*field.subfields, _build.subfield(code, value)]


def _item(record: Record, barcode: str, price: str = "") -> None:
    """An item field in the record's flavour (995 for UNIMARC, 952 for MARC21)."""
    if _flavour(record) == "unimarc":
        pairs = [("b", "AAA"), ("c", "AAA"), ("f", barcode), ("k", "R FUZ"), ("r", "LIVRE")]
        tag = "995"
    else:
        pairs = [("a", "AAA"), ("b", "AAA"), ("p", barcode), ("o", "R FUZ"), ("y", "LIVRE")]
        pairs += [("g", price)] if price else []
        tag = "952"
    subs = [_build.subfield(c, v) for c, v in pairs]
    record.fields.append(_build.data_field(tag, _build.BLANK_INDICATORS, subs))


# --- mutations: (rng, records, fmt) -> (bytes, records known or None) -----------------------


def _huge_field(rng: random.Random, records: list[Record], fmt: str):
    victim = rng.choice(records)
    tag = "300" if _flavour(victim) == "marc21" else "330"
    _set_sub(victim, tag, "a", "x" * rng.randint(10_000, 30_000))
    return _write(records, "marcxml"), len(records)  # ISO 2709 cannot say such a length


def _price(rng: random.Random, records: list[Record], fmt: str):
    for record in records:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((13, 9, 3))))
        price = rng.choice((digits, f"{digits},99", f"{digits}.12345", "-" + digits))
        _item(record, f"FZP{rng.randrange(10**9)}", price)
    return _write(records, fmt), len(records)


def _nul_title(rng: random.Random, records: list[Record], fmt: str):
    for record in rng.sample(records, rng.randint(1, len(records))):
        field = _title_field(record)
        if field is None:
            continue
        code, value = field.subfields[0]
        cut = rng.randint(0, len(value))
        bad = rng.choice(("\x00", "\x00\x00", "\x01\x00\x1f"))
        first = _build.subfield(code, value[:cut] + bad + value[cut:])
        field.subfields = [first, *field.subfields[1:]]
        _item(record, f"FZN\x00{rng.randrange(10**6)}")
    if fmt == "marcxml":  # our writer drops the controls: put NUL bytes back in a title
        data = _write(records, fmt)
        at = data.find(b'code="a">', data.find(b'tag="200"') if b'tag="200"' in data else 0)
        if at > 0:
            data = data[: at + 9] + b"\x00" + data[at + 9 :]
        return data, len(records)
    return _write(records, fmt), len(records)


def _long_barcodes(rng: random.Random, records: list[Record], fmt: str):
    stem = "".join(rng.choice("ABCDEFGHIJ0123456789") for _ in range(40))
    for number, record in enumerate(records):
        _item(record, stem + f"{number:05d}")
        if rng.random() < 0.5:
            _item(record, stem + f"{number:05d}")  # the same item twice in one record
    return _write(records, fmt), len(records)


_JUNK = (b"<", b"&nope;", b"</datafield>", b"<sub field>", b'"', b"<!-- ", b"\x00", b"<![CDATA[")


def _xml_syntax(rng: random.Random, records: list[Record], fmt: str):
    data = _write(records, "marcxml")
    starts = [i for i in range(len(data)) if data.startswith(b"<record", i)]
    victims = rng.sample(starts, rng.randint(1, min(3, len(starts))))
    for start in sorted(victims, reverse=True):
        end = data.find(b"</record>", start)
        at = rng.randint(start + 8, max(start + 8, end - 1))
        junk = rng.choice(_JUNK)
        data = data[:at] + junk + data[at:]
    return data, len(records)


_ENCODINGS = (b"x-maillon-unknown", b"EBCDIC-FUZZ", b"", b"utf-9", b"Shift_JIS", b"latin-1")


def _xml_encoding(rng: random.Random, records: list[Record], fmt: str):
    data = _write(records, "marcxml")
    name = rng.choice(
        (b"x-maillon-unknown", b"EBCDIC-FUZZ", b"", b"utf-9", b"Shift_JIS", b"latin-1")
    )
    return data.replace(b'encoding="UTF-8"', b'encoding="' + name + b'"', 1), len(records)


def _duplicates(rng: random.Random, records: list[Record], fmt: str):
    for record in records:
        _item(record, f"FZD{rng.randrange(10**5)}")
    return _write(records + records[: rng.randint(1, len(records))], fmt), None


def _flip_bytes(rng: random.Random, records: list[Record], fmt: str):
    data = bytearray(_write(records, fmt))
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), None


def _cut(rng: random.Random, records: list[Record], fmt: str):
    data = _write(records, fmt)
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 400) :], None


def _repeat(rng: random.Random, records: list[Record], fmt: str):
    data = _write(records, fmt)
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 300)]
    return data[:start] + piece * rng.randint(2, 4) + data[start:], None


def _truncate(rng: random.Random, records: list[Record], fmt: str):
    data = _write(records, fmt)
    return data[: rng.randrange(1, len(data))], None


MUTATIONS = (
    _huge_field,
    _price,
    _nul_title,
    _long_barcodes,
    _xml_syntax,
    _xml_encoding,
    _duplicates,
    _flip_bytes,
    _cut,
    _repeat,
    _truncate,
)
