"""Transfers between libraries: send, receive, send by hand; the shuttle lists of a day.

Locks: the item, then its holds (through check-in), then the transfer. One active transfer per
item (a partial unique index enforces it). A transfer is created by check-in (for a hold, or to
go home) or by hand; from then on the item is ``in_transit`` and stays at its ``current``
library until it is received.

Received at the wrong library: the item is accepted there (it is physically there; refusing
would leave it in no place), the transfer is closed with the library that really received it,
and the item is routed afresh from there — usually a new transfer to the same destination. The
result says so (``misrouted_from``) and its message names the library that expected it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import batched, record_many
from maillon.catalogue.items import move_item, move_items, status_label
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.common import (
    find_item,
    library_obj,
    lock_item,
    lock_items,
    log,
    today_or,
)
from maillon.circulation.errors import CirculationError
from maillon.circulation.loans import checkin_locked
from maillon.circulation.models import Transfer, TransferReason
from maillon.circulation.routing import CheckinResult
from maillon.network.models import Library
from maillon.network.permissions import Action, require


def _active(item: Item) -> Transfer | None:
    return (
        Transfer.objects.select_for_update()
        .filter(item=item, received_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def send_transfer(actor, library: Library | int, item: Item | str) -> Transfer:
    """The item leaves `library` in the shuttle. Sending twice changes nothing.

    Locks the item then the transfer. Codes: unknown_barcode, no_transfer, not_from_here.
    """
    library = library_obj(library)
    require(actor, Action.CIRCULATE, library)
    item = find_item(item)
    with transaction.atomic():
        item = lock_item(item)
        transfer = _active(item)
        if transfer is None:
            raise CirculationError(
                "no_transfer",
                _("The item %(barcode)s has nowhere to go: check it in to know what to do.")
                % {"barcode": item.barcode},
            )
        if transfer.from_library_id != library.pk:
            origin = Library.objects.get(pk=transfer.from_library_id)
            raise CirculationError(
                "not_from_here",
                _("The item %(barcode)s is to be sent by %(library)s, not from here.")
                % {"barcode": item.barcode, "library": origin.name},
                details={"from_library": origin.code},
            )
        if transfer.sent_at is None:
            transfer.sent_at = timezone.now()
            transfer.sent_by = _user(actor)
            transfer.save(update_fields=["sent_at", "sent_by"])
            log(
                item,
                "transfer_sent",
                library,
                actor,
                transfer=transfer.pk,
                to=transfer.to_library_id,
            )
        return transfer


def receive_transfer(
    actor, library: Library | int, item: Item | str, *, today: dt.date | None = None
) -> CheckinResult:
    """The item arrives at `library` by the shuttle: the same decision as a check-in (hold
    shelf, onward transfer or shelf), without closing a loan (code not_in_transit if the item is
    on loan). Received twice: the decision already taken. At the wrong library: see the module.
    """
    library = library_obj(library)
    require(actor, Action.CIRCULATE, library)
    item = find_item(item)
    with transaction.atomic():
        item = lock_item(item)
        return checkin_locked(actor, library, item, today_or(today), receiving=True)


def receive_many(
    actor, library: Library, items: list[Item], *, today: dt.date | None = None
) -> list[CheckinResult]:
    """Items arriving together at `library` (a lot): each decided as ``receive_transfer``
    decides it, their rows locked in one statement and in id order, in the caller's
    transaction (no savepoint per item), their transfers read in one statement."""
    require(actor, Action.CIRCULATE, library)
    day = today_or(today)
    with transaction.atomic(), batched():  # their audit entries in one INSERT
        locked = lock_items([item.pk for item in items])
        active = {
            transfer.item_id: transfer
            for transfer in Transfer.objects.filter(
                item__in=locked, received_at__isnull=True, cancelled_at__isnull=True
            )
        }
        return [
            checkin_locked(actor, library, item, day, receiving=True, transfer=active.get(item.pk))
            for item in locked
        ]


def create_transfer(
    actor, library: Library | int, item: Item | str, to_library: Library | int
) -> Transfer:
    """Send an available item of this library's shelves to another library by hand.

    Locks the item. Codes: unknown_barcode, not_available, not_here, same_library.
    """
    library, to_library = library_obj(library), library_obj(to_library)
    require(actor, Action.CIRCULATE, library)
    item = find_item(item)
    with transaction.atomic():
        item = lock_item(item)
        if item.status != ItemStatus.AVAILABLE:
            raise CirculationError(
                "not_available",
                _("The item %(barcode)s is %(status)s: it cannot be sent.")
                % {"barcode": item.barcode, "status": status_label(item.status)},
            )
        if item.current_id != library.pk:
            raise CirculationError(
                "not_here",
                _("The item %(barcode)s is not at this library.") % {"barcode": item.barcode},
            )
        if to_library.pk == library.pk:
            raise CirculationError("same_library", _("Choose another library to send it to."))
        transfer = Transfer.objects.create(
            item=item,
            from_library=library,
            to_library=to_library,
            reason=TransferReason.MANUAL,
            created_by=_user(actor),
        )
        move_item(item, ItemStatus.IN_TRANSIT, library)
        log(item, "transfer_created", library, actor, transfer=transfer.pk, to=to_library.pk)
        return transfer


def open_transfer_locked(
    actor, item: Item, from_library: Library | int, to_library: Library | int, reason: str
) -> Transfer:
    """A transfer an app above circulation decided (a claim, the workshop): `item`, available
    at `from_library`, waits there for the shuttle. The caller holds the item's lock and has
    checked who may decide it. A second active transfer is refused by the database."""
    from_library, to_library = library_obj(from_library), library_obj(to_library)
    transfer = Transfer.objects.create(
        item=item,
        from_library=from_library,
        to_library=to_library,
        reason=reason,
        created_by=_user(actor),
    )
    move_item(item, ItemStatus.IN_TRANSIT, from_library)
    log(item, "transfer_created", from_library, actor, transfer=transfer.pk, to=to_library.pk)
    return transfer


def send_many(actor, library: Library, items: list[Item], to_library: Library) -> None:
    """Available items of this library's shelves sent together to `to_library` (a lot):
    their transfers made already sent, in one INSERT, their audit entries in another, the
    items moved in one UPDATE, in transit with `to_library` as their home. The caller holds
    the items' locks (in id order) and has checked each is available here; an item that is
    not any more makes the whole call fail (ItemError, conflict)."""
    require(actor, Action.CIRCULATE, library)
    if not items:
        return
    now, user = timezone.now(), _user(actor)
    created = Transfer.objects.bulk_create(
        [
            Transfer(
                item=item,
                from_library=library,
                to_library=to_library,
                reason=TransferReason.MANUAL,
                created_at=now,
                created_by=user,
                sent_at=now,
                sent_by=user,
            )
            for item in items
        ]
    )
    move_items(items, ItemStatus.IN_TRANSIT, library, home=to_library)
    # Both databases give bulk-inserted rows their ids back, in order.
    record_many(
        [
            (action, item, {"transfer": transfer.pk, "to": to_library.pk})
            for item, transfer in zip(items, created, strict=True)
            for action in ("transfer_created", "transfer_sent")
        ],
        actor=actor,
        library=library,
        at=now,
    )


@dataclass
class ShuttleLists:
    """What `library` puts in the shuttle and what it should receive."""

    library: Library
    day: dt.date
    serves_today: bool  # does the shuttle call at this library on `day`?
    to_send: list[Transfer]  # created here, not sent yet
    expected: list[Transfer]  # sent to this library, not received yet


def shuttle_lists(library: Library | int, day: dt.date | None = None) -> ShuttleLists:
    library = library_obj(library)
    day = today_or(day)
    active = Transfer.objects.filter(
        received_at__isnull=True, cancelled_at__isnull=True
    ).select_related("item", "item__record", "from_library", "to_library", "hold", "hold__patron")
    return ShuttleLists(
        library=library,
        day=day,
        serves_today=library.is_shuttle_day(day),
        to_send=list(
            active.filter(from_library=library, sent_at__isnull=True).order_by(
                "to_library__name", "created_at"
            )
        ),
        expected=list(
            active.filter(to_library=library, sent_at__isnull=False).order_by(
                "from_library__name", "sent_at"
            )
        ),
    )


__all__ = [
    "ShuttleLists",
    "create_transfer",
    "open_transfer_locked",
    "receive_many",
    "receive_transfer",
    "send_many",
    "send_transfer",
    "shuttle_lists",
]
