"""What happens to an item that is in a library's hands: the decision check-in announces.

Used by check-in, transfer reception, hold expiry and cancellation. The caller holds the lock on
the item (and, if it passes one, on the hold); ``route`` locks the waiting holds of the record,
then writes the hold and transfer rows and the item's state together.

Order of the decision:
1. a waiting hold this copy can fill, oldest first (record-level holds, and item-level holds on
   this copy). A hold whose own targeted copy is still on a shelf elsewhere is left to that copy,
   unless this library is its pickup library. The hold's pickup here → hold shelf; elsewhere →
   a transfer (skipped if the rule says the copy may not travel);
2. no hold: the item's home is elsewhere → transfer home, unless its collection floats, in which
   case the item's home becomes this library;
3. shelve here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillon.catalogue.items import move_item
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.capacity import refusal
from maillon.circulation.common import initials, log
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer, TransferReason
from maillon.circulation.rules import RuleBook
from maillon.circulation.targeting import can_fill_now, retarget
from maillon.core.prepared import Prepared
from maillon.network.models import Library
from maillon.patrons.models import Patron


class Action:
    HOLD_SHELF = "hold_shelf"
    TRANSFER = "transfer"
    SHELVE = "shelve"


@dataclass
class CheckinResult:
    """What the desk must do with the item, said loudly."""

    action: str  # Action.HOLD_SHELF | Action.TRANSFER | Action.SHELVE
    item: Item
    destination: Library  # where the item must go (this library for the shelf or hold shelf)
    message: str  # French, for the desk
    hold: Hold | None = None
    transfer: Transfer | None = None
    loan: Loan | None = None  # the loan this check-in closed
    patron_card: str = ""  # of the hold's patron, for the hold slip
    patron_initials: str = ""
    repeated: bool = False  # a double scan: the decision was already taken, nothing new
    misrouted_from: Library | None = None  # the library a transfer was meant for, if not here

    @property
    def reason(self) -> str:
        """Why it travels: "hold", "return_home" or "manual"; empty when it stays here."""
        if self.transfer is not None:
            return self.transfer.reason
        return ""

    def as_dict(self) -> dict:
        """Plain data for the API and the desk's htmx fragment (no names, card and initials)."""
        return {
            "action": self.action,
            "item": self.item.barcode,
            "destination": self.destination.code,
            "destination_name": self.destination.name,
            "reason": self.reason,
            "message": self.message,
            "hold": self.hold.pk if self.hold else None,
            "transfer": self.transfer.pk if self.transfer else None,
            "loan_closed": self.loan.pk if self.loan else None,
            "patron_card": self.patron_card,
            "patron_initials": self.patron_initials,
            "repeated": self.repeated,
            "misrouted_from": self.misrouted_from.code if self.misrouted_from else None,
        }


def _hold_patron(hold: Hold) -> Patron | None:
    return Patron.objects.filter(pk=hold.patron_id).first() if hold.patron_id else None


def hold_shelf_result(
    item: Item, library: Library, hold: Hold, *, repeated: bool = False, **extra
) -> CheckinResult:
    patron = _hold_patron(hold)
    card = patron.card_number if patron else ""
    message = _("Put on the hold shelf for %(initials)s (card %(card)s), until %(date)s.") % {
        "initials": initials(patron),
        "card": card,
        "date": date_format(hold.ready_until, "SHORT_DATE_FORMAT") if hold.ready_until else "—",
    }
    return CheckinResult(
        Action.HOLD_SHELF,
        item,
        library,
        message,
        hold=hold,
        patron_card=card,
        patron_initials=initials(patron),
        repeated=repeated,
        **extra,
    )


def transfer_result(
    item: Item, transfer: Transfer, *, repeated: bool = False, **extra
) -> CheckinResult:
    destination = Library.objects.get(pk=transfer.to_library_id)
    hold = Hold.objects.filter(pk=transfer.hold_id).first() if transfer.hold_id else None
    patron = _hold_patron(hold) if hold else None
    if transfer.reason == TransferReason.HOLD and patron is not None:
        message = _("Send %(to_library)s for a hold (card %(card)s, %(initials)s).") % {
            "to_library": destination.to_name,
            "card": patron.card_number,
            "initials": initials(patron),
        }
    elif transfer.reason == TransferReason.RETURN_HOME:
        message = _("Send home, %(to_library)s.") % {"to_library": destination.to_name}
    else:
        message = _("Send %(to_library)s.") % {"to_library": destination.to_name}
    return CheckinResult(
        Action.TRANSFER,
        item,
        destination,
        message,
        hold=hold,
        transfer=transfer,
        patron_card=patron.card_number if patron else "",
        patron_initials=initials(patron),
        repeated=repeated,
        **extra,
    )


def shelve_result(
    item: Item, library: Library, *, floated: bool = False, repeated: bool = False, **extra
) -> CheckinResult:
    if floated:
        message = _("Shelve here: this collection floats, the item now belongs %(to_library)s.")
    else:
        message = _("Shelve here, %(at_library)s.")
    return CheckinResult(
        Action.SHELVE,
        item,
        library,
        message % {"at_library": library.at_name, "to_library": library.to_name},
        repeated=repeated,
        **extra,
    )


def waiting_holds(item: Item) -> list[Hold]:
    """The waiting holds of the item's record, oldest first, locked."""
    return _WAITING_HOLDS.all(item.record_id)


# Read at every check-in: compiled once (see maillon.core.prepared).
_WAITING_HOLDS = Prepared(
    lambda record_id: (
        Hold.objects.select_for_update(of=("self",))
        .filter(record_id=record_id, status=HoldStatus.WAITING)
        .order_by("created_at", "pk")
    ),
    int,
)


def choose_hold(item: Item, library: Library, book: RuleBook, waiting: list[Hold]) -> Hold | None:
    """The oldest of the `waiting` holds (see ``waiting_holds``) this copy, here, can fill."""
    holds = [h for h in waiting if h.item_id in (None, item.pk)]
    if not holds:
        return None
    categories: dict[int | None, int | None] = dict(
        Patron.objects.filter(pk__in=[h.patron_id for h in holds]).values_list("pk", "category_id")
    )
    other_targets = {h.target_id for h in holds if h.target_id and h.target_id != item.pk}
    on_shelf = set(
        Item.objects.filter(pk__in=other_targets, status=ItemStatus.AVAILABLE).values_list(
            "pk", flat=True
        )
    )
    for hold in holds:
        if not can_fill_now(
            book, item, categories.get(hold.patron_id), hold.pickup_library_id, library.pk
        ):
            continue
        served_elsewhere = hold.target_id in on_shelf
        if served_elsewhere and hold.pickup_library_id != library.pk:
            continue
        return hold
    return None


def route(
    item: Item,
    library: Library,
    *,
    actor=None,
    today: dt.date,
    preferred: Hold | None = None,
    waiting: list[Hold] | None = None,
    loan: Loan | None = None,
    misrouted_from: Library | None = None,
    book: RuleBook | None = None,
) -> CheckinResult:
    """Decide and write where `item`, now physically at `library`, goes next.

    Holds: the item's lock (caller). Takes: the locks on the record's waiting holds. The item must
    be free of loan, ready hold and active transfer when called (its status is rewritten here).
    `preferred` is a hold the item was already promised to (in transit, or on a hold shelf
    elsewhere), locked by the caller; it keeps the item. `waiting`: the record's waiting holds
    when the caller knows them (an empty list: it saw none once the item was locked).
    """
    book = book or RuleBook()
    extra: dict[str, Any] = {"loan": loan, "misrouted_from": misrouted_from}
    if preferred is not None:
        waiting = None
    elif waiting is None:
        waiting = waiting_holds(item)
    hold = preferred if waiting is None else choose_hold(item, library, book, waiting)
    now = timezone.now()
    if hold is not None:
        previous_target = hold.target_id
        hold.target = item
        if hold.pickup_library_id == library.pk:
            category_id = (
                Patron.objects.filter(pk=hold.patron_id)
                .values_list("category_id", flat=True)
                .first()
                if hold.patron_id
                else None
            )
            rule = book.rule_for(library.pk, category_id, item.item_type_id)
            hold.status = HoldStatus.READY
            hold.ready_at = now
            hold.ready_until = today + dt.timedelta(days=rule.hold_shelf_days)
            hold.save(update_fields=["target", "status", "ready_at", "ready_until"])
            move_item(item, ItemStatus.ON_HOLD_SHELF, library)
            log(item, "hold_ready", library, actor, patron=hold.patron_id, hold=hold.pk)
            result = hold_shelf_result(item, library, hold, **extra)
        else:
            hold.status = HoldStatus.IN_TRANSIT
            hold.ready_until = None
            hold.save(update_fields=["target", "status", "ready_until"])
            transfer = Transfer.objects.create(
                item=item,
                from_library=library,
                to_library_id=hold.pickup_library_id,
                reason=TransferReason.HOLD,
                hold=hold,
                created_by=_user(actor),
            )
            move_item(item, ItemStatus.IN_TRANSIT, library)
            log(
                item,
                "transfer_created",
                library,
                actor,
                transfer=transfer.pk,
                hold=hold.pk,
                to=hold.pickup_library_id,
            )
            result = transfer_result(item, transfer, **extra)
        if previous_target not in (None, item.pk) or _targeted_by_others(item, hold, waiting):
            retarget(item.record_id, today, book)
        return result

    collection = item.collection
    floats = bool(collection and collection.floating)
    # A floating copy stays where it is returned, unless that library is full: then it goes home.
    full = refusal(library, [item]) if floats and item.home_id != library.pk else None
    if item.home_id != library.pk and (not floats or full):
        transfer = Transfer.objects.create(
            item=item,
            from_library=library,
            to_library_id=item.home_id,
            reason=TransferReason.RETURN_HOME,
            created_by=_user(actor),
        )
        move_item(item, ItemStatus.IN_TRANSIT, library)
        log(item, "transfer_created", library, actor, transfer=transfer.pk, to=item.home_id)
        result = transfer_result(item, transfer, **extra)
        if full:
            result.message = f"{full} {result.message}"
    elif item.home_id != library.pk:
        old_home = item.home_id
        move_item(item, ItemStatus.AVAILABLE, library, home=library)
        log(
            item,
            "home_changed",
            library,
            actor,
            old_home=old_home,
            new_home=library.pk,
            floating=True,
        )
        result = shelve_result(item, library, floated=True, **extra)
    else:
        move_item(item, ItemStatus.AVAILABLE, library)
        result = shelve_result(item, library, **extra)
    if _targeted_by_others(item, None, waiting):
        retarget(item.record_id, today, book)
    return result


def _targeted_by_others(item: Item, hold: Hold | None, waiting: list[Hold] | None) -> bool:
    """Do waiting holds other than `hold` count on this copy? `waiting`: the record's waiting
    holds as locked by ``route``, when it read them (a hold targets a copy of its record)."""
    if waiting is not None:
        return any(h.target_id == item.pk and (hold is None or h.pk != hold.pk) for h in waiting)
    others = Hold.objects.filter(target=item, status=HoldStatus.WAITING)
    if hold is not None:
        others = others.exclude(pk=hold.pk)
    return others.exists()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
