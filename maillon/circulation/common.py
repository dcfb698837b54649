"""Helpers shared by the circulation services: finding, locking, logging.

Lock order, everywhere: patron, then item, then holds, then transfers. On PostgreSQL the rows are
locked with SELECT … FOR UPDATE; on SQLite the transaction starts IMMEDIATE, so writers queue at
BEGIN and the locks are implied.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.catalogue.items import status_label as status_label  # the API's import of it
from maillon.catalogue.models import Item
from maillon.circulation.calendar import Calendar
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Hold, HoldStatus, Loan, LoanRule, NetworkPolicy
from maillon.circulation.rules import RuleBook
from maillon.core import prepared
from maillon.core.errors import Kind
from maillon.core.prepared import Prepared
from maillon.network.models import Closure, Library, OpeningHours
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
        raise _unknown_card(card)
    return patron


def _unknown_card(card: str) -> CirculationError:
    return CirculationError(
        "unknown_card",
        _("No patron has the card number %(card)s.") % {"card": card or "—"},
        kind=Kind.NOT_FOUND,
    )


def _unknown_barcode(barcode: str) -> CirculationError:
    return CirculationError(
        "unknown_barcode",
        _("No item has the barcode %(barcode)s.") % {"barcode": barcode or "—"},
        kind=Kind.NOT_FOUND,
    )


def find_item(barcode_or_item: Item | str, *, lock: bool = False) -> Item:
    """An Item instance as given, or the item with this barcode (code unknown_barcode).
    With `lock`, the row as locked by ``lock_item``, found and locked in one query."""
    if isinstance(barcode_or_item, Item):
        return lock_item(barcode_or_item) if lock else barcode_or_item
    barcode = str(barcode_or_item or "").strip()
    found = _LOCK_BY_BARCODE if lock else _BY_BARCODE
    item = found.first(barcode) if barcode else None
    if item is None:
        raise _unknown_barcode(barcode)
    return item


def lock_item_then(barcode_or_item: Item | str, then: Prepared[M]) -> tuple[Item, list[M] | None]:
    """``find_item(…, lock=True)``; given a barcode, on PostgreSQL, also what `then` finds
    with that barcode, in the same round trip (see ``prepared.together``), as if run once the
    lock is held. None instead: the caller reads what it needs itself."""
    if isinstance(barcode_or_item, Item) or connection.vendor != "postgresql":
        return find_item(barcode_or_item, lock=True), None
    barcode = str(barcode_or_item or "").strip()
    if not barcode:
        raise _unknown_barcode(barcode)
    items, rows = prepared.together(_LOCK_BY_BARCODE.statement(barcode), then.statement(barcode))
    found = _LOCK_BY_BARCODE.built(items)
    if not found:
        raise _unknown_barcode(barcode)
    return found[0], then.built(rows)


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
_LOCK_LOAN = Prepared(lambda pk: Loan.objects.select_for_update().filter(pk=pk), int)


@dataclass(frozen=True)
class AfterLock:
    """What a checkout decides on besides the patron's and the item's rows (see
    ``read_after_lock``): the loan rules, the network's policy (None: its row is not created
    yet) and the desk's calendar."""

    book: RuleBook
    policy: NetworkPolicy | None
    calendar: Calendar


def lock_for_checkout(
    patron: Patron | str, item: Item | str, library_id: int, since: dt.date
) -> tuple[Patron, Item, AfterLock]:
    """The patron then the item found and locked (``find_patron``, ``find_item``), then what
    the checkout decides on read (``read_after_lock``). Given a card and a barcode, on
    PostgreSQL the three statements cost one round trip (see ``prepared.together``): they
    still run one after the other, so the counts are read once both locks are held."""
    if not (isinstance(patron, str) and isinstance(item, str)) or connection.vendor != "postgresql":
        patron = find_patron(patron, lock=True)
        item = find_item(item, lock=True)
        return patron, item, read_after_lock(patron, item, library_id, since)
    card, barcode = normalize_card(patron), item.strip()
    if not card:
        raise _unknown_card(card)
    if not barcode:
        raise _unknown_barcode(barcode)
    patrons, items, (row,) = prepared.together(
        _LOCK_BY_CARD.statement(card),
        _LOCK_BY_BARCODE.statement(barcode),
        (
            _after_lock_sql(by_keys=True),
            [card, card, barcode, barcode, *OPEN_HOLD_STATUSES, library_id, library_id, since],
        ),
    )
    found_patron = next(iter(_LOCK_BY_CARD.built(patrons)), None)
    if found_patron is None:
        raise _unknown_card(card)
    found_item = next(iter(_LOCK_BY_BARCODE.built(items)), None)
    if found_item is None:
        raise _unknown_barcode(barcode)
    return found_patron, found_item, _after_lock(found_patron, found_item, row)


def lock_for_renewal(loan: Loan, since: dt.date) -> tuple[Patron, Item, Loan, AfterLock]:
    """The loan's patron, its item, then the loan itself locked (``lock_patron``,
    ``lock_item``, the loan's row: what it holds *now* decides), then what a renewal decides
    on, read once the three locks are held (``read_after_lock``, with the calendar of the
    loan's library from `since` on). On PostgreSQL the four statements cost one round trip
    (see ``prepared.together``). Raises Loan.DoesNotExist if the loan's row is gone."""
    assert loan.patron_id is not None  # an anonymised loan is closed: nothing to renew
    if connection.vendor != "postgresql":
        patron, item = lock_patron(loan.patron_id), lock_item(loan.item_id)
        locked = _found(_LOCK_LOAN.first(loan.pk), Loan)
        return patron, item, locked, read_after_lock(patron, item, loan.library_id, since)
    patrons, items, loans, (row,) = prepared.together(
        _LOCK_PATRON.statement(loan.patron_id),
        _LOCK_ITEM.statement(loan.item_id),
        _LOCK_LOAN.statement(loan.pk),
        (
            _after_lock_sql(by_item_id=True),
            [
                loan.patron_id,
                loan.patron_id,
                loan.item_id,
                loan.item_id,
                *OPEN_HOLD_STATUSES,
                loan.library_id,
                loan.library_id,
                since,
            ],
        ),
    )
    patron = _found(next(iter(_LOCK_PATRON.built(patrons)), None), Patron)
    item = _found(next(iter(_LOCK_ITEM.built(items)), None), Item)
    locked = _found(next(iter(_LOCK_LOAN.built(loans)), None), Loan)
    return patron, item, locked, _after_lock(patron, item, row)


def read_after_lock(patron: Patron, item: Item, library_id: int, since: dt.date) -> AfterLock:
    """What a checkout decides on, in one statement run once the patron and the item are locked,
    so it sees every loan, block and hold committed before: sets ``patron.has_active_block``,
    ``patron.open_loans`` (their loans in the network) and ``item.has_open_holds`` (a hold not
    yet on a shelf is open on the record or waits for this very copy). The same statement reads
    the loan rules, the network's policy and the calendar of `library_id` from `since` on, as
    they stand (a coordinator's edit applies to the next checkout): three round trips fewer
    than reading each on its own, which under load cost more than the rows themselves."""
    with connection.cursor() as cursor:
        cursor.execute(
            _after_lock_sql(),
            [
                patron.pk,
                patron.pk,
                item.record_id,
                item.pk,
                *OPEN_HOLD_STATUSES,
                library_id,
                library_id,
                since,
            ],
        )
        row = cursor.fetchone()
    return _after_lock(patron, item, row)


def _after_lock(patron: Patron, item: Item, row: tuple) -> AfterLock:
    blocked, open_loans, held, rules, policy, weekdays, closures = row
    _counted(patron, item, blocked, open_loans, held)
    return AfterLock(
        book=RuleBook(rules=list(_rules_of(rules or "[]"))),
        policy=_policy_of(policy) if policy else None,
        calendar=_calendar_of(weekdays or "[]", closures or "[]"),
    )


# The rules, the policy and a desk's calendar change seldom: the same text read again gives
# the objects built from it last time (shared, read-only: the services read them and never
# save them; a RuleBook gets its own list), sparing a checkout a dozen instances built from
# JSON. An edit gives another text, built afresh: what decides is always what was just read.
@lru_cache(maxsize=8)
def _rules_of(text: str) -> tuple[LoanRule, ...]:
    return tuple(_from_json(LoanRule, json.loads(text)))


@lru_cache(maxsize=4)
def _policy_of(text: str) -> NetworkPolicy:
    return _from_json(NetworkPolicy, [json.loads(text)])[0]


@lru_cache(maxsize=64)
def _calendar_of(weekdays: str, closures: str) -> Calendar:
    return Calendar(
        weekdays=frozenset(json.loads(weekdays)),
        closures=tuple(
            (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
            for start, end in json.loads(closures)
        ),
    )


def _counted(patron: Patron, item: Item, blocked, open_loans: int, held) -> None:
    # Read by the refusal checks through getattr (absent when a caller skipped this read).
    patron.has_active_block = bool(blocked)  # type: ignore[attr-defined]
    patron.open_loans = open_loans  # type: ignore[attr-defined]
    item.has_open_holds = bool(held)  # type: ignore[attr-defined]


def _from_json(model: type[M], rows: list[list]) -> list[M]:
    """Instances from rows of their concrete fields' values as JSON gives them (SQLite's
    booleans as 0/1, dates as text): each value converted by its field, as a form would."""
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    return [
        model.from_db(
            connection.alias,
            names,
            [f.to_python(v) for f, v in zip(fields, row, strict=True)],
        )
        for row in rows
    ]


# A hold not yet on a shelf (the plain values: parameters of a raw statement).
OPEN_HOLD_STATUSES = tuple(
    s.value for s in (HoldStatus.WAITING, HoldStatus.SUSPENDED, HoldStatus.IN_TRANSIT)
)

# JSON built by the database: (one row as an array, rows aggregated as an array).
_JSON = {
    "postgresql": ("json_build_array", "json_agg"),
    "sqlite": ("json_array", "json_group_array"),
}


@cache
def _after_lock_sql(*, by_keys: bool = False, by_item_id: bool = False) -> str:
    # Written out once per process, as calendar_of's: its subqueries cost the ORM ten times
    # longer to build (about 3 ms a checkout) than the database to run (0.3 ms). Plain SQL
    # both databases read the same way (a SELECT without FROM, EXISTS, COUNT), but for the
    # names of the JSON functions; the JSON as text, for each driver gives it so.
    quote = connection.ops.quote_name
    array, aggregate = _JSON[connection.vendor]

    def table(model) -> str:
        return quote(model._meta.db_table)

    def row(model) -> str:
        return f"{array}({', '.join(quote(f.column) for f in model._meta.concrete_fields)})"

    statuses = ", ".join(["%s"] * len(OPEN_HOLD_STATUSES))
    start, end = quote("start"), quote("end")
    # `by_keys`: the patron and the item named by card and barcode, not by id (run in the same
    # round trip as their locks, before their ids are known; the locks keep both keys).
    # `by_item_id`: the item by its id alone, its record read from its row (run in the round
    # trip of the locks, before the row is read; the item's lock keeps its record).
    patron, record, item = "%s", "%s", "%s"
    if by_keys:
        patron = f"(SELECT id FROM {table(Patron)} WHERE card_number = %s)"
        record = f"(SELECT record_id FROM {table(Item)} WHERE barcode = %s)"
        item = f"(SELECT id FROM {table(Item)} WHERE barcode = %s)"
    elif by_item_id:
        record = f"(SELECT record_id FROM {table(Item)} WHERE id = %s)"
    return (
        f"SELECT EXISTS(SELECT 1 FROM {table(PatronBlock)} "
        f"WHERE patron_id = {patron} AND lifted_at IS NULL), "
        f"(SELECT COUNT(*) FROM {table(Loan)} "
        f"WHERE patron_id = {patron} AND returned_at IS NULL), "
        f"EXISTS(SELECT 1 FROM {table(Hold)} WHERE (record_id = {record} OR target_id = {item}) "
        f"AND status IN ({statuses})), "
        f"(SELECT CAST({aggregate}({row(LoanRule)}) AS TEXT) FROM {table(LoanRule)}), "
        f"(SELECT CAST({row(NetworkPolicy)} AS TEXT) FROM {table(NetworkPolicy)} WHERE id = 1), "
        f"(SELECT CAST({aggregate}(weekday) AS TEXT) FROM {table(OpeningHours)} "
        f"WHERE library_id = %s), "
        f"(SELECT CAST({aggregate}({array}({start}, {end})) AS TEXT) FROM {table(Closure)} "
        f"WHERE library_id = %s AND {end} >= %s)"
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
