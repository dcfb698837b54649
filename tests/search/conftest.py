import datetime as dt
import itertools

import pytest
from django.utils import timezone

from maillon.catalogue.marc.keys import fold
from maillon.catalogue.models import Item, ItemStatus, ItemType, Record
from maillon.catalogue.search import index_records

_barcodes = itertools.count(1)


def make_record(title: str, *, authors: list[str] = (), index: bool = True, **fields) -> Record:
    names = list(authors)
    record = Record.objects.create(
        title=title,
        authors=[{"name": n, "role": "auteur"} for n in names],
        marc=b"",
        sort_title=fold(title)[:200],
        sort_author=fold(names[0]) if names else "",
        match_key=fold(title)[:255],
        **fields,
    )
    if index:
        index_records([record.id])
    return record


def add_item(
    record: Record,
    library,
    item_type: str = "LIVRE",
    *,
    status: str = ItemStatus.AVAILABLE,
    index: bool = True,
    **fields,
) -> Item:
    item = Item.objects.create(
        record=record,
        barcode=f"T{next(_barcodes):08d}",
        owner=library,
        home=library,
        current=library,
        item_type=ItemType.objects.get_or_create(
            code=item_type, defaults={"name": item_type.title()}
        )[0],
        status=status,
        **fields,
    )
    if index:
        index_records([record.id])
    return item


@pytest.fixture
def days_ago():
    def at(days: int) -> dt.datetime:
        return timezone.now() - dt.timedelta(days=days)

    return at
