"""Small MARC files written by the tests themselves, with items in 995 or 952."""

from pathlib import Path

from maillon.catalogue.marc.extract import Contributor
from maillon.catalogue.marc.holdings import ItemData
from maillon.catalogue.marc.writer import RecordFields, build_record, set_items, write_iso2709


def marc(
    title: str,
    *,
    author: str = "Dupont, Jeanne",
    year: int = 2019,
    isbn: str = "",
    items: list[ItemData] | None = None,
    flavour: str = "unimarc",
    **extra,
):
    fields = RecordFields(
        title=title,
        authors=[Contributor(author, "auteur")] if author else [],
        year=year,
        isbns=[isbn] if isbn else [],
        publisher="Gallimard",
        language="fre",
        **extra,
    )
    record = build_record(fields, flavour)
    set_items(record, items or [], flavour)
    return record


def item(
    barcode: str,
    library: str,
    *,
    call_number: str = "R DUP",
    item_type: str = "LIVRE",
    status: str = "",
) -> ItemData:
    return ItemData(
        barcode=barcode,
        owner=library,
        home=library,
        current=library,
        call_number=call_number,
        item_type=item_type,
        status=status,
    )


def write(path: Path, records, flavour: str = "unimarc") -> Path:
    with open(path, "wb") as out:
        write_iso2709(records, out, flavour)
    return path
