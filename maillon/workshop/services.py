"""The shared workshop: items sent to it by the shuttle, its queue, its batches.

An item travels to the workshop as a transfer with the reason "workshop" (circulation); when
the workshop receives it, circulation asks this module (``transfer_received``) and the item
joins the queue — damaged (to repair) or being processed (to equip) — through the item
service. A batch gathers queued items; what was done and the time spent are recorded per item;
sending the batch puts each item back on a shelf and, if it belongs elsewhere, on the shuttle
home. Locks: the item (item service) first, then the order or the batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.common import find_item
from maillon.circulation.models import Transfer, TransferReason
from maillon.circulation.routing import Action as RoutingAction
from maillon.circulation.routing import CheckinResult, transfer_result
from maillon.circulation.transfers import open_transfer_locked
from maillon.core import usage
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.workshop.models import Batch, Task, WorkOrder, Workshop

# Where an item waits at the workshop, by the work it needs.
WAITING_STATUS = {
    WorkOrder.Kind.REPAIR: ItemStatus.DAMAGED,
    WorkOrder.Kind.EQUIP: ItemStatus.IN_PROCESSING,
}
SENDABLE = (ItemStatus.AVAILABLE, ItemStatus.DAMAGED, ItemStatus.IN_PROCESSING)
OPEN_STATES = (WorkOrder.State.TRAVELLING, WorkOrder.State.QUEUED, WorkOrder.State.IN_BATCH)
MAX_MINUTES = 600


class WorkshopError(DomainError):
    """A refused workshop operation."""


def the_workshop() -> Workshop:
    workshop = Workshop.objects.select_related("library").first()
    if workshop is None:
        raise WorkshopError(
            "no_workshop",
            _("No library of the network is the workshop yet: the coordinator sets it."),
            kind=Kind.CONFLICT,
        )
    return workshop


def _queue(item: Item, order: WorkOrder, library: Library) -> None:
    """The item (locked) joins the workshop's queue at `library`."""
    waiting = WAITING_STATUS[WorkOrder.Kind(order.kind)]
    if item.status != waiting:
        item_service.move_item(item, waiting, library)
        usage.announce("item_changed_by_staff", item)  # holds counting on it look elsewhere
    order.state = WorkOrder.State.QUEUED
    order.arrived_at = timezone.now()


def send(actor, library: Library, item: Item | str, kind: str, *, note: str = "") -> WorkOrder:
    """Send an item of this library's shelves to the workshop (desk work), or queue it there
    if this library is the workshop. Codes: no_workshop, kind_unknown, not_here, not_sendable,
    already_at_workshop."""
    require(actor, Action.CIRCULATE, library)
    workshop = the_workshop()
    if kind not in WorkOrder.Kind.values:
        raise WorkshopError("kind_unknown", _("Choose repair or equipping."), kind=Kind.INVALID)
    item = find_item(item)
    with transaction.atomic():
        item = item_service.lock(item)
        values = {"barcode": item.barcode, "status": item_service.status_label(item.status)}
        if item.current_id != library.pk:
            raise WorkshopError(
                "not_here", _("The item %(barcode)s is not at this library.") % values
            )
        if item.status not in SENDABLE:
            raise WorkshopError(
                "not_sendable", _("The item %(barcode)s is %(status)s: it cannot be sent.") % values
            )
        if WorkOrder.objects.filter(item=item, state__in=OPEN_STATES).exists():
            raise WorkshopError(
                "already_at_workshop",
                _("The item %(barcode)s is already in the workshop's hands.") % values,
            )
        order = WorkOrder(
            item=item,
            workshop=workshop,
            home_id=item.home_id,
            kind=kind,
            note=(note or "").strip()[:300],
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if library.pk == workshop.library_id:
            _queue(item, order, library)
        else:  # damaged or being processed, it leaves the shelf for the shuttle all the same
            order.transfer = open_transfer_locked(
                actor, item, library, workshop.library_id, TransferReason.WORKSHOP
            )
            order.state = WorkOrder.State.TRAVELLING
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError:  # only without the item's lock
            raise WorkshopError(
                "already_at_workshop",
                _("The item %(barcode)s is already in the workshop's hands.") % values,
                kind=Kind.CONFLICT,
            ) from None
        audit(
            "sent_to_workshop",
            item,
            actor=actor,
            library=library,
            details={"work": kind, **({"note": order.note} if order.note else {})},
        )
    return order


def on_transfer_received(
    *, actor, library: Library, item: Item, transfer: Transfer, today: dt.date
) -> CheckinResult | None:
    """An item for the workshop arrives (``transfer_received``): at the workshop it joins
    the queue; at another library it goes on."""
    if transfer.reason != TransferReason.WORKSHOP:
        return None
    order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .filter(transfer=transfer, state=WorkOrder.State.TRAVELLING)
        .select_related("workshop")
        .first()
    )
    if order is None:
        return None
    if order.workshop.library_id != library.pk:
        order.transfer = open_transfer_locked(
            actor, item, library, order.workshop.library_id, TransferReason.WORKSHOP
        )
        order.save(update_fields=["transfer"])
        return transfer_result(item, order.transfer, misrouted_from=transfer.to_library)
    _queue(item, order, library)
    order.save(update_fields=["state", "arrived_at"])
    message = _("For the workshop: put it in the queue (%(work)s).") % {
        "work": order.get_kind_display()
    }
    return CheckinResult(RoutingAction.SHELVE, item, library, message)


def _locked_batch(batch: Batch | int) -> Batch:
    return (
        Batch.objects.select_for_update(of=("self",))
        .select_related("workshop")
        .get(pk=getattr(batch, "pk", batch))
    )


def create_batch(actor, name: str) -> Batch:
    workshop = the_workshop()
    require(actor, Action.CIRCULATE, workshop.library)
    name = (name or "").strip() or timezone.localdate().strftime("%Y-%m-%d")
    return Batch.objects.create(workshop=workshop, name=name[:100])


def _open_batch(batch: Batch) -> None:
    if batch.state != Batch.State.OPEN:
        raise WorkshopError(
            "batch_closed",
            _("The batch « %(name)s » is %(state)s: no item comes in any more.")
            % {"name": batch.name, "state": batch.get_state_display()},
            kind=Kind.CONFLICT,
        )


def add_to_batch(actor, batch: Batch | int, barcode: str) -> WorkOrder:
    """Put a queued item (scanned) in an open batch. Codes: batch_closed, unknown_barcode,
    not_queued."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        require(actor, Action.CIRCULATE, batch.workshop.library_id)
        _open_batch(batch)
        barcode = (barcode or "").strip()
        order = (
            WorkOrder.objects.select_for_update(of=("self",))
            .filter(item__barcode=barcode, workshop=batch.workshop, state__in=OPEN_STATES)
            .first()
        )
        if order is None or order.state != WorkOrder.State.QUEUED:
            raise WorkshopError(
                "not_queued",
                _("The item %(barcode)s is not waiting in the workshop's queue.")
                % {"barcode": barcode or "—"},
                field="barcode",
            )
        order.batch = batch
        order.state = WorkOrder.State.IN_BATCH
        order.save(update_fields=["batch", "state"])
    return order


def record_work(
    actor, order: WorkOrder | int, tasks: list[str], minutes: int, *, replace: bool = False
) -> WorkOrder:
    """What was done to an item of a batch and how long it took (a batch not sent yet).
    Codes: task_unknown, minutes_invalid, batch_sent."""
    with transaction.atomic():
        order = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("batch", "workshop")
            .get(pk=getattr(order, "pk", order))
        )
        require(actor, Action.CIRCULATE, order.workshop.library_id)
        if order.batch is None or order.batch.state == Batch.State.SENT:
            raise WorkshopError(
                "batch_sent",
                _("Work is recorded for an item of a batch not sent yet."),
                kind=Kind.CONFLICT,
            )
        unknown = set(tasks) - set(Task.values)
        if unknown:
            raise WorkshopError(
                "task_unknown",
                _("Unknown work: %s.") % ", ".join(sorted(unknown)),
                kind=Kind.INVALID,
            )
        if not 0 <= minutes <= MAX_MINUTES:
            raise WorkshopError(
                "minutes_invalid",
                _("Time spent is between 0 and %(max)d minutes.") % {"max": MAX_MINUTES},
                field="minutes",
                kind=Kind.INVALID,
            )
        order.tasks = [t for t in Task.values if t in tasks]
        order.minutes = minutes
        order.replace = replace
        order.save(update_fields=["tasks", "minutes", "replace"])
    return order


def close_batch(actor, batch: Batch | int) -> Batch:
    """No item comes in any more. Codes: batch_closed, batch_empty."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        require(actor, Action.CIRCULATE, batch.workshop.library_id)
        _open_batch(batch)
        if not batch.orders.exists():
            raise WorkshopError("batch_empty", _("The batch is empty: scan items into it first."))
        batch.state = Batch.State.CLOSED
        batch.closed_at = timezone.now()
        batch.save(update_fields=["state", "closed_at"])
    return batch


def send_batch(actor, batch: Batch | int) -> Batch:
    """The batch's items go home: each back on a shelf (available) through the item service,
    on the shuttle if it belongs elsewhere. Codes: batch_not_closed."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        library = batch.workshop.library
        require(actor, Action.CIRCULATE, library)
        if batch.state != Batch.State.CLOSED:
            raise WorkshopError(
                "batch_not_closed", _("Close the batch before sending it."), kind=Kind.CONFLICT
            )
        for order in batch.orders.select_for_update(of=("self",)).order_by("item_id"):
            item = item_service.lock(order.item_id)
            if item.status != ItemStatus.AVAILABLE:
                item_service.move_item(item, ItemStatus.AVAILABLE, library)
            if order.home_id == library.pk:
                order.state = WorkOrder.State.DONE
            else:
                order.return_transfer = open_transfer_locked(
                    actor, item, library, order.home_id, TransferReason.RETURN_HOME
                )
                order.state = WorkOrder.State.SENT
            order.save(update_fields=["state", "return_transfer"])
            audit(
                "workshop_done",
                item,
                actor=actor,
                library=library,
                details={
                    "tasks": ", ".join(order.tasks),
                    "minutes": order.minutes,
                    "replace": order.replace,
                },
            )
        batch.state = Batch.State.SENT
        batch.sent_at = timezone.now()
        batch.save(update_fields=["state", "sent_at"])
    return batch


def received(batch: Batch) -> tuple[int, int]:
    """(items back home, items) of a sent batch: the return transfers received."""
    orders = batch.orders.all()
    back = orders.filter(
        Q(state=WorkOrder.State.DONE) | Q(return_transfer__received_at__isnull=False)
    ).count()
    return back, orders.count()


@dataclass
class Figures:
    travelling: int
    queued: dict[str, int]  # kind → items waiting
    in_batches: int
    oldest_waiting: dt.datetime | None
    days_at_workshop: float | None  # arrival → sent, over the last 90 days
    minutes_per_item: float | None


def figures(workshop: Workshop, today: dt.date) -> Figures:
    orders = WorkOrder.objects.filter(workshop=workshop)
    queued = dict(
        orders.filter(state=WorkOrder.State.QUEUED).values_list("kind").annotate(n=Count("pk"))
    )
    since = timezone.now() - dt.timedelta(days=90)
    done = orders.filter(batch__sent_at__gte=since, arrived_at__isnull=False)
    stays = [  # a few hundred rows: averaged here, the same on both databases
        (sent - arrived).total_seconds() / 86400
        for arrived, sent in done.values_list("arrived_at", "batch__sent_at")
        if arrived and sent
    ]
    minutes = done.aggregate(m=Avg("minutes"))["m"]
    return Figures(
        travelling=orders.filter(state=WorkOrder.State.TRAVELLING).count(),
        queued={kind: queued.get(kind, 0) for kind in WorkOrder.Kind.values},
        in_batches=orders.filter(state=WorkOrder.State.IN_BATCH).count(),
        oldest_waiting=orders.filter(state=WorkOrder.State.QUEUED).aggregate(m=Min("arrived_at"))[
            "m"
        ],
        days_at_workshop=sum(stays) / len(stays) if stays else None,
        minutes_per_item=minutes,
    )


def state_of(item: Item) -> WorkOrder | None:
    """The item's open work order, if the workshop has it in hand."""
    return (
        WorkOrder.objects.filter(item=item, state__in=OPEN_STATES).select_related("batch").first()
    )
