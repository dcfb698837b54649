"""The demo catalogue: a few thousand generated records, imported like a real MARC file."""

import random
from pathlib import Path

from django.conf import settings

from maillon.bench.generate import RecordMaker, real_titles
from maillon.catalogue.importer import import_marc
from maillon.catalogue.marc.extract import Contributor, Series
from maillon.catalogue.marc.holdings import ItemData
from maillon.catalogue.marc.writer import RecordFields, build_record, set_items, write_iso2709
from maillon.network.models import Library, LibraryKind

ITEM_TYPE = {
    "video": "DVD",
    "music": "CD",
    "sound": "LIVLU",
    "periodical": "PER",
    "game": "JEU",
    "kit": "KIT",
    "score": "PART",
}


def demo_file(path: Path, records: int, codes: list[str], seed: int = 79) -> Path:
    """Write a UNIMARC file with 995 items spread over the libraries (popular ones more)."""
    rng = random.Random(seed)
    maker = RecordMaker(rng, real_titles())
    weights = [6 if code == "PAR" else 1 if code == "MD79" else 2 for code in codes]
    marc_records = []
    for serial in range(1, records + 1):
        row = maker.record(serial)
        fields = RecordFields(
            title=row["title"],
            authors=[Contributor(a["name"], a["role"]) for a in row["authors"]],
            publisher=row["publisher"],
            year=row["year"],
            isbns=[row["isbn"]] if row["isbn"] else [],
            language=row["language"],
            classification=row["classification"],
            subjects=row["subjects"],
            series=[Series(s["title"], s["number"]) for s in row["series"]],
            summary=row["summary"],
            doc_type=row["doc_type"],
            audience=row["audience"],
        )
        record = build_record(fields, "unimarc")
        copies = 1 + min(4, int(rng.expovariate(1.2)))
        item_type = ITEM_TYPE.get(
            row["doc_type"], "LIVJ" if row["audience"] == "youth" else "LIVRE"
        )
        homes = set(rng.choices(codes, weights, k=copies))
        items = []
        for number, home in enumerate(sorted(homes)):
            surname = row["authors"][0]["name"][:3].upper() if row["authors"] else "XXX"
            items.append(
                ItemData(
                    barcode=f"{home}{serial:06d}{number}",
                    owner=home,
                    home=home,
                    current=home,
                    call_number=f"{'J ' if row['audience'] == 'youth' else ''}R {surname}",
                    item_type=item_type,
                    collection="DEPOT" if home == "MD79" else "BASE",
                )
            )
        set_items(record, items, "unimarc")
        marc_records.append(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        write_iso2709(marc_records, out, "unimarc")
    return path


def build_catalogue(records: int | None = None) -> str:
    records = records or settings.MAILLON_DEMO_RECORDS
    codes = list(Library.objects.order_by("code").values_list("code", flat=True))
    head = Library.objects.filter(kind=LibraryKind.HEAD).first()
    if head is None:
        raise RuntimeError("the demo network has no head library")
    path = demo_file(Path(settings.VAR_DIR) / "demo" / "catalogue-demo.mrc", records, codes)
    report = import_marc(path, head, reject_dir=Path(settings.VAR_DIR) / "rejets")
    return (
        f"{report.created} notices créées, {report.unchanged} déjà là, "
        f"{report.items_added} exemplaires ajoutés"
    )
