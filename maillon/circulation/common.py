"""Helpers shared by the circulation services: finding, locking, logging, item state.

Lock order, everywhere: patron, then item, then holds, then transfers. On PostgreSQL the rows are
locked with SELECT … FOR UPDATE; on SQLite the transaction starts IMMEDIATE, so writers queue at
BEGIN and the locks are implied.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.models import Item, ItemEvent, ItemStatus
from maillon.catalogue.search import refresh_holdings
from maillon.circulation.errors import CirculationError
from maillon.network.models import Library
from maillon.patrons.conf import normalize_card
from maillon.patrons.models import Patron, PatronBlock


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def find_patron(card_or_patron: Patron | str, *, lock: bool = False) -> Patron:
    """A Patron instance as given, or the patron with this card (code unknown_card).
    With `lock`, the row as locked by ``lock_patron``, found and locked in one query."""
    if isinstance(card_or_patron, Patron):
        return lock_patron(card_or_patron) if lock else card_or_patron
    card = normalize_card(str(card_or_patron or ""))
    patrons = _locking_patrons() if lock else Patron.objects
    patron = patrons.filter(card_number=card).first() if card else None
    if patron is None:
        raise CirculationError("unknown_card", _(
            "No patron has the card number %(card)s.") % {"card": card or "—"})
    return patron


def find_item(barcode_or_item: Item | str, *, lock: bool = False) -> Item:
    """An Item instance as given, or the item with this barcode (code unknown_barcode).
    With `lock`, the row as locked by ``lock_item``, found and locked in one query."""
    if isinstance(barcode_or_item, Item):
        return lock_item(barcode_or_item) if lock else barcode_or_item
    barcode = str(barcode_or_item or "").strip()
    items = _locking_items() if lock else Item.objects
    item = items.filter(barcode=barcode).first() if barcode else None
    if item is None:
        raise CirculationError("unknown_barcode", _(
            "No item has the barcode %(barcode)s.") % {"barcode": barcode or "—"})
    return item


def lock_patron(patron: Patron | int) -> Patron:
    """The patron's row, locked until the end of the transaction, with its category."""
    return _locking_patrons().get(pk=getattr(patron, "pk", patron))


def _locking_patrons():
    # OF self: the category comes in the same query without its row being locked; so does
    # whether a block is active, which spares most checkouts a query for the blocks.
    active = PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
    return (Patron.objects.select_for_update(of=("self",)).select_related("category")
            .annotate(has_active_block=Exists(active)))


def lock_item(item: Item | int) -> Item:
    """The item's row, locked until the end of the transaction: what it holds *now* decides."""
    return _locking_items().get(pk=getattr(item, "pk", item))


def _locking_items():
    # With its type (every rule asks for it) and collection (routing asks whether it floats),
    # whose rows stay unlocked (OF self).
    return (Item.objects.select_for_update(of=("self",))
            .select_related("item_type", "collection"))


def library_obj(library: Library | int) -> Library:
    return library if isinstance(library, Library) else Library.objects.get(pk=library)


def log(item: Item, kind: str, library: Library | int | None, user=None, **detail) -> None:
    """One line of the item's history. No names or card numbers: the history outlives privacy
    delays; the loan, hold and transfer ids point to the rows that anonymisation clears."""
    ItemEvent.objects.create(item=item, kind=kind, library_id=getattr(library, "pk", library),
                             user=user if getattr(user, "is_authenticated", False) else None,
                             detail=detail)


def set_item_state(item: Item, status: str, current: Library | int | None = None,
                   **fields) -> None:
    """Write the item's status (and where it is), then refresh what the search index says of
    its record's copies (not the whole entry: its texts have not changed)."""
    item.status = status
    if current is not None:
        item.current_id = getattr(current, "pk", current)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=["status", "current", "updated_at", *fields])
    refresh_holdings(item.record_id)


def initials(patron: Patron | None) -> str:
    """"L. M." for Léa Martin: what a hold slip shows instead of the name."""
    if patron is None:
        return ""
    parts = [p for p in (patron.first_name, patron.surname) if p and p.strip()]
    return " ".join(f"{p.strip()[0].upper()}." for p in parts)


def status_label(status: str) -> str:
    return str(ItemStatus(status).label) if status in ItemStatus.values else status
