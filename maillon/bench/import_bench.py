"""The import benchmark: a generated UNIMARC ISO 2709 file (items in 995) imported end to end
into a fresh SQLite database, beside the bare pymarc parse rate of the same file.

Runs inside a worker process whose database is the fresh benchmark database (see worker.py).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import time
from decimal import Decimal
from pathlib import Path

from . import generate as G
from .report import load_average

PARSE_MIN_RECORDS = 100_000  # pymarc is fast: read the file again until this many
PROFILE_TOP = 25


def write_file(path: Path, records: int, seed: int = 7, library: str = "G01") -> int:
    """A realistic export of one library: generated records, their copies in 995 (owner and
    holder `library`, barcode, call number, item type, status, price, acquisition date).
    Returns the number of items written."""
    from maillon.catalogue.marc.extract import Contributor, Series
    from maillon.catalogue.marc.holdings import ItemData
    from maillon.catalogue.marc.writer import (
        RecordFields,
        build_record,
        set_items,
        write_iso2709,
    )

    rng = random.Random(seed)
    maker = G.RecordMaker(rng, G.real_titles())
    copies = G.copies_distribution(1.3, top=8)  # one library holds few copies of a title
    statuses = ["0", "0", "0", "1", "2"]  # Recommandation 995 $o: mostly loanable
    items = 0

    def records_iter():
        nonlocal items
        for serial in range(1, records + 1):
            values = maker.record(1_000_000 + serial)
            fields = RecordFields(
                title=values["title"],
                authors=[Contributor(a["name"], a["role"]) for a in values["authors"]],
                publisher=values["publisher"],
                year=values["year"],
                isbns=[values["isbn"]] if values["isbn"] else [],
                language=values["language"],
                classification=values["classification"],
                subjects=values["subjects"],
                series=[Series(s["title"], s["number"]) for s in values["series"]],
                summary=values["summary"],
                doc_type=values["doc_type"],
                audience=values["audience"],
                record_id=f"GEN{serial:08d}",
            )
            record = build_record(fields, "unimarc")
            type_code = G.ITEM_TYPE_FOR.get(values["doc_type"], "LIVRE")
            held = []
            for _ in range(copies(rng)):
                items += 1
                held.append(
                    ItemData(
                        barcode=f"IMP{items:09d}",
                        owner=library,
                        home=library,
                        call_number=f"{values['classification'] or 'R'} "
                        f"{values['sort_author'][:3].upper()}",
                        item_type=type_code,
                        status=rng.choice(statuses),
                        audience=values["audience"],
                        price=Decimal(rng.randint(500, 3500)) / 100,
                    )
                )
            set_items(record, held, "unimarc")
            yield record

    with path.open("wb") as out:
        write_iso2709(records_iter(), out, "unimarc")
    return items


def run(records: int, work_dir: str, profile: bool = False) -> dict:
    """Write the file, measure pymarc's parse rate, then import it (this process's database
    must be fresh and migrated). With `profile`, the import runs under cProfile and the
    report holds its most expensive functions."""
    from maillon.catalogue.importer import import_marc
    from maillon.catalogue.marc.bench import parse_rate
    from maillon.catalogue.models import Item, Record, SearchEntry

    path = Path(work_dir) / f"import-{records}.mrc"
    started = time.perf_counter()
    items = write_file(path, records)
    written_s = time.perf_counter() - started
    parsed, parse_s = parse_rate(path, "pymarc", min(PARSE_MIN_RECORDS, 4 * records))
    extracted, extract_s = parse_rate(path, "extract", records)

    libraries, _types, _collection = G.ensure_network(50)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_marc(path, libraries[0])
    if profiler:
        profiler.disable()
    import_s = time.perf_counter() - started
    out = {
        "records": records,
        "items": items,
        "file_mb": path.stat().st_size / 1e6,
        "write_s": written_s,
        "pymarc_rate": parsed / parse_s,
        "extract_rate": extracted / extract_s,
        "import_s": import_s,
        "import_rate": records / import_s,
        "load": load_average(),
        "created": report.as_counts(),
        "in_database": {
            "records": Record.objects.count(),
            "items": Item.objects.count(),
            "indexed": SearchEntry.objects.count(),
        },
    }
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(PROFILE_TOP)
        out["profile"] = text.getvalue()
    path.unlink(missing_ok=True)
    return out
