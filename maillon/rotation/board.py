"""The live board of one exchange date: every lot due to move then, and where it stands now.

States, read from the lots and their items' transfers (nothing is stored for the board):
to pack (still at the sender), sent (on its way, before its arrival day), in transit (its
arrival day has passed and it has not been received), received, discrepancy (received with
items missing, still in transit, or extra items found in the crate), elsewhere (not where the
grid expects it: a person must look). A lot that a later exchange has already moved on counts
as received.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maillon.audit.models import AuditEntry
from maillon.circulation.models import Transfer
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Library
from maillon.network.permissions import Action, can, libraries_for
from maillon.rotation.models import Cell, Exchange, Plan, PlanLibrary

TO_PACK, SENT, IN_TRANSIT = "to_pack", "sent", "in_transit"
RECEIVED, DISCREPANCY, ELSEWHERE = "received", "discrepancy", "elsewhere"
STATES = {
    TO_PACK: _("to pack"),
    SENT: _("sent"),
    IN_TRANSIT: _("in transit"),
    RECEIVED: _("received"),
    DISCREPANCY: _("discrepancy"),
    ELSEWHERE: _("not where expected"),
}
BADGES = {RECEIVED: "ok", SENT: "", TO_PACK: "", IN_TRANSIT: "warn"}


@dataclass
class Row:
    cell: Cell
    lot: Lot
    state: str
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(STATES[self.state])

    @property
    def badge(self) -> str:
        return BADGES.get(self.state, "bad")


@dataclass
class Side:
    """One library's part: what it must pack and send, what it should receive."""

    library: Library
    send: list[Row]
    receive: list[Row]


@dataclass
class Board:
    plan: Plan
    exchange: Exchange
    rows: list[Row]
    sides: list[Side]
    everything: bool  # the coordinator's whole board, or one library staff's part

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        found = Counter(row.state for row in self.rows)
        return [(state, _count_label(state, found[state]), found[state]) for state in STATES]


def _count_label(state: str, count: int) -> str:
    texts = {
        TO_PACK: ngettext("lot to pack", "lots to pack", count),
        SENT: ngettext("lot sent", "lots sent", count),
        IN_TRANSIT: ngettext("lot in transit", "lots in transit", count),
        RECEIVED: ngettext("lot received", "lots received", count),
        DISCREPANCY: ngettext("lot with a discrepancy", "lots with a discrepancy", count),
        ELSEWHERE: ngettext("lot not where expected", "lots not where expected", count),
    }
    return texts[state]


def libraries_of(user, plan: Plan) -> list[Library] | None:
    """The libraries whose part `user` sees (None: all of them, the coordinator)."""
    if can(user, Action.ADMINISTER):
        return None
    members = PlanLibrary.objects.filter(plan=plan).values("library")
    return list(libraries_for(user, Action.CIRCULATE).filter(pk__in=members).order_by("name"))


def _state(cell: Cell, lot: Lot, today: dt.date, moved_on: bool) -> str:
    if lot.state == Lot.State.IN_TRANSIT and lot.destination_id == cell.library_id:
        return SENT if cell.arrival is None or today < cell.arrival else IN_TRANSIT
    if lot.state == Lot.State.AT_STATION and lot.station_id == cell.library_id:
        return RECEIVED
    if moved_on:
        return RECEIVED
    if lot.state == Lot.State.AT_STATION and lot.station_id == cell.from_library_id:
        return TO_PACK
    return ELSEWHERE


def board(plan: Plan, number: int, libraries: list[Library] | None, today: dt.date) -> Board | None:
    """The board of exchange `number` (None if the plan has no such exchange), for the
    libraries given (None: every library of the plan)."""
    exchange = Exchange.objects.filter(plan=plan, number=number).first()
    if exchange is None:
        return None
    due = Cell.objects.filter(plan=plan, number=number, from_library__isnull=False)
    if libraries is not None:
        ids = [lib.pk for lib in libraries]
        due = due.filter(Q(library_id__in=ids) | Q(from_library_id__in=ids))
    cells = list(due.select_related("library", "from_library").order_by("lot__name", "lot_id"))
    lot_ids = [c.lot_id for c in cells]
    lots = {
        lot.pk: lot
        for lot in Lot.objects.filter(pk__in=lot_ids).select_related("station", "destination")
    }
    moved_on = Exchange.objects.filter(plan=plan, number__gt=number, run_at__isnull=False).exists()
    # Items of a received lot still travelling to it: missing from the crate.
    members = list(LotItem.objects.filter(lot_id__in=lot_ids).values_list("lot_id", "item_id"))
    open_transfers = dict(
        Transfer.objects.filter(
            item_id__in=[item for _lot, item in members],
            received_at__isnull=True,
            cancelled_at__isnull=True,
        ).values_list("item_id", "to_library_id")
    )
    barcodes = dict(
        LotItem.objects.filter(lot_id__in=lot_ids).values_list("item_id", "item__barcode")
    )
    receipts: dict[tuple[int | None, int | None], dict] = {}
    for lot_id, library_id, details in (
        AuditEntry.objects.filter(object_type="lot", object_id__in=lot_ids, action="lot_received")
        .order_by("at", "pk")
        .values_list("object_id", "library_id", "details")
    ):
        receipts[(lot_id, library_id)] = details or {}  # the last one wins
    rows = []
    for cell in cells:
        lot = lots[cell.lot_id]
        row = Row(cell, lot, _state(cell, lot, today, moved_on))
        if row.state == RECEIVED and lot.station_id == cell.library_id:
            row.missing = sorted(
                barcodes[item]
                for lot_id, item in members
                if lot_id == lot.pk and open_transfers.get(item) == cell.library_id
            )
            extra = receipts.get((lot.pk, cell.library_id), {}).get("extra", "")
            row.extra = [b for b in extra.split(", ") if b]
            if row.missing or row.extra:
                row.state = DISCREPANCY
        rows.append(row)
    shown = libraries
    if shown is None:
        shown = [m.library for m in PlanLibrary.objects.filter(plan=plan).select_related("library")]
    sides = [
        Side(
            library=library,
            send=[r for r in rows if r.cell.from_library_id == library.pk],
            receive=[r for r in rows if r.cell.library_id == library.pk],
        )
        for library in shown
    ]
    return Board(plan, exchange, rows, sides, everything=libraries is None)
