"""New arrivals: the records of the latest copies added, network-wide or at one library."""

from __future__ import annotations

from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.network.models import Library


def new_arrivals(library: Library | None = None, limit: int = 24) -> list[Record]:
    """Records of the newest copies, newest first, each record once: two queries.

    Walks the item creation index backwards; a record that received several copies lately
    appears once, at the date of its newest copy.
    """
    items = Item.objects.exclude(status__in=GONE_STATUSES)
    if library is not None:
        items = items.filter(home=library)
    record_ids: list[int] = []
    for record_id in items.order_by("-created_at", "-id").values_list("record_id", flat=True)[
        : limit * 6
    ]:
        if record_id not in record_ids:
            record_ids.append(record_id)
            if len(record_ids) == limit:
                break
    records = Record.objects.defer("marc").filter(merged_into=None).in_bulk(record_ids)
    return [records[pk] for pk in record_ids if pk in records]
