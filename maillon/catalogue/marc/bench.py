"""Parse-rate measurement: bare pymarc against our reader and extractor.

``python -m maillon.catalogue.marc.bench FILE [MIN_RECORDS]`` prints records/s for each mode;
the file is read again as many times as needed to reach MIN_RECORDS (default 100,000).
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pymarc

from .extract import extract
from .reader import read_marc, sniff_format

Mode = Literal["pymarc", "read", "extract"]
MODES: tuple[Mode, ...] = ("pymarc", "read", "extract")


def parse_rate(path: str | Path, mode: Mode = "extract", min_records: int = 0) -> tuple[int, float]:
    """(records, seconds) for one mode over ``path``, repeated until ``min_records`` is reached.

    "pymarc": pymarc's own reader (MARCReader, or parse_xml_to_array for XML), no extraction;
    "read": our ``read_marc``; "extract": ``read_marc`` then ``extract`` on every record, the
    work an import does before touching the database.
    """
    path = Path(path)
    with path.open("rb") as fp:
        is_xml = sniff_format(fp.read(4096)) == "marcxml"
    run = _RUNNERS[mode]
    records, seconds = 0, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymarc warns on odd subfield codes
        logging.disable(logging.WARNING)  # and logs odd indicators
        try:
            while True:
                start = time.perf_counter()
                count = run(path, is_xml)
                seconds += time.perf_counter() - start
                records += count
                if records >= min_records or count == 0:
                    return records, seconds
        finally:
            logging.disable(logging.NOTSET)


def _pymarc(path: Path, is_xml: bool) -> int:
    if is_xml:
        return len(pymarc.parse_xml_to_array(str(path)))
    with path.open("rb") as fp:
        return sum(1 for _ in pymarc.MARCReader(fp, hide_utf8_warnings=True))


def _read(path: Path, is_xml: bool) -> int:
    return sum(1 for _ in read_marc(path))


def _extract(path: Path, is_xml: bool) -> int:
    count = 0
    for result in read_marc(path):
        if result.record is not None:
            extract(result.record)
        count += 1
    return count


_RUNNERS: dict[str, Callable[[Path, bool], int]] = {
    "pymarc": _pymarc,
    "read": _read,
    "extract": _extract,
}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage : python -m maillon.catalogue.marc.bench FICHIER [NOMBRE_MINIMUM]")
        raise SystemExit(2)
    path, minimum = args[0], int(args[1]) if len(args) > 1 else 100_000
    for mode in MODES:
        records, seconds = parse_rate(path, mode, minimum)
        rate = records / seconds if seconds else 0.0
        print(f"{mode:8} {records:>8} notices en {seconds:6.2f} s : {rate:8.0f} notices/s")


if __name__ == "__main__":
    main()
