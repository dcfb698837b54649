"""Helpers shared by the circulation services: finding, locking, logging.

Lock order, everywhere: patron, then item, then holds, then transfers. On PostgreSQL the rows are
locked with SELECT … FOR UPDATE; on SQLite the transaction starts IMMEDIATE, so writers queue at
BEGIN and the locks are implied.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.catalogue.items import status_label as status_label  # the API's import of it
from maillon.catalogue.models import Item
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.core.errors import Kind
from maillon.core.prepared import Prepared
from maillon.network.models import Library
from maillon.patrons.conf import normalize_card
from maillon.patrons.models import Patron, PatronBlock

M = TypeVar("M", bound=Model)


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def find_patron(card_or_patron: Patron | str, *, lock: bool = False) -> Patron:
    """A Patron instance as given, or the patron with this card (code unknown_card).
    With `lock`, the row as locked by ``lock_patron``, found and locked in one query."""
    if isinstance(card_or_patron, Patron):
        return lock_patron(card_or_patron) if lock else card_or_patron
    card = normalize_card(str(card_or_patron or ""))
    found = _LOCK_BY_CARD if lock else _BY_CARD
    patron = found.first(card) if card else None
    if patron is None:
        raise CirculationError(
            "unknown_card",
            _("No patron has the card number %(card)s.") % {"card": card or "—"},
            kind=Kind.NOT_FOUND,
        )
    return patron


def find_item(barcode_or_item: Item | str, *, lock: bool = False) -> Item:
    """An Item instance as given, or the item with this barcode (code unknown_barcode).
    With `lock`, the row as locked by ``lock_item``, found and locked in one query."""
    if isinstance(barcode_or_item, Item):
        return lock_item(barcode_or_item) if lock else barcode_or_item
    barcode = str(barcode_or_item or "").strip()
    found = _LOCK_BY_BARCODE if lock else _BY_BARCODE
    item = found.first(barcode) if barcode else None
    if item is None:
        raise CirculationError(
            "unknown_barcode",
            _("No item has the barcode %(barcode)s.") % {"barcode": barcode or "—"},
            kind=Kind.NOT_FOUND,
        )
    return item


def lock_patron(patron: Patron | int) -> Patron:
    """The patron's row, locked until the end of the transaction, with its category."""
    return _found(_LOCK_PATRON.first(getattr(patron, "pk", patron)), Patron)


def _found(obj: M | None, model: type[M]) -> M:
    """The object, or the DoesNotExist that ``.get()`` would raise."""
    if obj is None:
        raise model.DoesNotExist(  # type: ignore[attr-defined]
            f"{model.__name__} matching query does not exist."
        )
    return obj


# The locking querysets are built once per process (they are only ever cloned by .filter(),
# never evaluated themselves; their busiest reads are compiled once, below). OF self: the
# category, type and collection come in the same query without their rows being locked. They
# read nothing else: under READ COMMITTED a statement sees the rows committed before it began,
# so a count taken by the statement that waited for a lock misses what the lock's previous
# holder wrote (see ``read_after_lock``).
@cache
def _locking_patrons() -> QuerySet[Patron]:
    return Patron.objects.select_for_update(of=("self",)).select_related("category")


def lock_item(item: Item | int) -> Item:
    """The item's row, locked until the end of the transaction: what it holds *now* decides."""
    return _found(_LOCK_ITEM.first(getattr(item, "pk", item)), Item)


def lock_items(ids: list[int]) -> list[Item]:
    """Several items' rows, locked in id order (as every path locks them: no deadlock)."""
    return list(_locking_items().filter(pk__in=ids).order_by("pk"))


@cache
def _locking_items() -> QuerySet[Item]:
    # With its type (every rule asks for it), collection (routing asks whether it floats), record
    # and owner (a loan copies their statistics).
    return Item.objects.select_for_update(of=("self",)).select_related(
        "item_type", "collection", "record", "owner"
    )


# The desk's busiest reads, compiled once per process (see maillon.core.prepared): compiling
# them took longer than the database takes to answer.
_BY_CARD = Prepared(lambda card: Patron.objects.filter(card_number=card), str)
_LOCK_BY_CARD = Prepared(lambda card: _locking_patrons().filter(card_number=card), str)
_LOCK_PATRON = Prepared(lambda pk: _locking_patrons().filter(pk=pk), int)
_BY_BARCODE = Prepared(lambda barcode: Item.objects.filter(barcode=barcode), str)
_LOCK_BY_BARCODE = Prepared(lambda barcode: _locking_items().filter(barcode=barcode), str)
_LOCK_ITEM = Prepared(lambda pk: _locking_items().filter(pk=pk), int)


def read_after_lock(patron: Patron, item: Item) -> None:
    """What a checkout decides on, in one statement run once the patron and the item are locked,
    so it sees every loan, block and hold committed before: sets ``patron.has_active_block``,
    ``patron.open_loans`` (their loans in the network) and ``item.has_open_holds`` (a hold not
    yet on a shelf is open on the record or waits for this very copy)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _after_lock_sql(),
            [patron.pk, patron.pk, item.record_id, item.pk, *OPEN_HOLD_STATUSES],
        )
        blocked, open_loans, held = cursor.fetchone()
    # Read by the refusal checks through getattr (absent when a caller skipped this read).
    patron.has_active_block = bool(blocked)  # type: ignore[attr-defined]
    patron.open_loans = open_loans  # type: ignore[attr-defined]
    item.has_open_holds = bool(held)  # type: ignore[attr-defined]


# A hold not yet on a shelf (the plain values: parameters of a raw statement).
OPEN_HOLD_STATUSES = tuple(
    s.value for s in (HoldStatus.WAITING, HoldStatus.SUSPENDED, HoldStatus.IN_TRANSIT)
)


@cache
def _after_lock_sql() -> str:
    # Written out once per process, as calendar_of's: its three subqueries cost the ORM ten
    # times longer to build (about 3 ms a checkout) than the database to run (0.3 ms).
    # Plain SQL both databases read the same way (a SELECT without FROM, EXISTS, COUNT).
    quote = connection.ops.quote_name
    blocks = quote(PatronBlock._meta.db_table)
    loans = quote(Loan._meta.db_table)
    holds = quote(Hold._meta.db_table)
    statuses = ", ".join(["%s"] * len(OPEN_HOLD_STATUSES))
    return (
        f"SELECT EXISTS(SELECT 1 FROM {blocks} WHERE patron_id = %s AND lifted_at IS NULL), "
        f"(SELECT COUNT(*) FROM {loans} WHERE patron_id = %s AND returned_at IS NULL), "
        f"EXISTS(SELECT 1 FROM {holds} WHERE (record_id = %s OR target_id = %s) "
        f"AND status IN ({statuses}))"
    )


def library_obj(library: Library | int) -> Library:
    return library if isinstance(library, Library) else Library.objects.get(pk=library)


def log(
    item: Item, action: str, library: Library | int | None, actor=None, *, patron=None, **details
) -> None:
    """One entry of the audit log about `item` (``maillon.audit.record``: one INSERT). No names
    or card numbers in details: the log outlives privacy delays; `patron` (the person
    concerned) is dropped with the loan history (see privacy.py)."""
    record(action, item, actor=actor, library=library, patron=patron, details=details)


def initials(patron: Patron | None) -> str:
    """ "L. M." for Léa Martin: what a hold slip shows instead of the name."""
    if patron is None:
        return ""
    parts = [p for p in (patron.first_name, patron.surname) if p and p.strip()]
    return " ".join(f"{p.strip()[0].upper()}." for p in parts)
