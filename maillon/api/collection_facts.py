"""What an item's state (GET /items/{barcode}) tells of its collections."""

from __future__ import annotations

from maillon.catalogue.models import Collection, CollectionKind, Item
from maillon.deposits.services import entry_of
from maillon.lots.models import LotItem
from maillon.workshop import services as workshop


def item_collections(item: Item) -> dict:
    """What an item's state tells of its collections: its local collection, the lot it is in
    or the deposit it belongs to, the workshop's hold on it."""
    collection = (
        Collection.objects.filter(id=item.collection_id).first() if item.collection_id else None
    )
    entry = LotItem.objects.filter(item=item).select_related("lot").first()
    order = workshop.state_of(item)
    local = (
        collection
        if collection
        and collection.kind
        in (
            CollectionKind.LOCAL,
            CollectionKind.HERITAGE,
        )
        else None
    )
    on_deposit = entry_of(item)
    deposit = on_deposit.deposit if on_deposit else None
    return {
        "local_collection": {"code": local.code, "name": local.name} if local else None,
        "lot": {"code": entry.lot.code, "name": entry.lot.name} if entry else None,
        "deposit": {"code": str(deposit), "name": deposit.md.name} if deposit else None,
        "workshop": {
            "state": order.state,
            "state_label": str(order.get_state_display()),
            "work": order.kind,
            "batch": order.batch.name if order.batch else None,
            "arrived_at": order.arrived_at,
        }
        if order
        else None,
    }
