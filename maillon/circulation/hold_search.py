"""What the desk offers when placing a hold for a patron: the documents, the pickup places."""

from __future__ import annotations

from maillon.catalogue.models import Item, Record
from maillon.catalogue.search import SearchQuery, search
from maillon.network.models import Library

CANDIDATES = 10


def hold_candidates(query: str) -> list[Record]:
    """The records a desk search for a hold offers: the record of a scanned barcode, else the
    best matches of the catalogue search (merged records excluded, as in the catalogue)."""
    query = query.strip()
    if not query:
        return []
    item = Item.objects.filter(barcode=query).select_related("record").first()
    if item is not None:
        return [item.record]
    ids = search(SearchQuery(q=query, per_page=CANDIDATES)).ids
    found = Record.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def pickup_libraries() -> list[Library]:
    """The libraries a hold may be placed for: active, and pickup points by the network's choice."""
    return list(Library.objects.filter(is_active=True, is_pickup_point=True).order_by("name"))
