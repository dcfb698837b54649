"""Shuttle run sheets: for each shuttle day, the stops in order with what goes on and off the
van at each — single transfers, lots (crates of a circulation plan or sent by hand) and the
MD's deposit crates, the animation resources of bookings — and the run's volume against the
limit the coordinator set.

Read from the state now: a transfer not sent yet goes on at its library's next shuttle day, one
in transit comes off at its destination's next shuttle day; a planned exchange of a published
plan not run yet leaves and arrives on the days of its grid cell. Items of a lot travel with
their lot, items of a deposit with their deposit's crate: they are counted there, not one by
one. Bookings (an app above this one) say through maillon.core.usage (``shuttle_tools``) which
animation resources go out and come back, each its own line with its crates; a resource whose
shuttle day has passed is carried over to the next run with a warning naming the missed day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.circulation.models import Transfer
from maillon.core import usage
from maillon.core.errors import DomainError, Kind
from maillon.deposits.models import DepositEntry
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, require
from maillon.rotation.models import Cell, Exchange, ShuttleLimit, ShuttleStop


@dataclass
class Crate:
    """A lot or a deposit crate at one stop: its label, where it goes or comes from, items."""

    label: str
    other: Library
    items: int
    kind: str  # "lot" or "deposit"
    same_run: bool = False  # comes off the run that loaded it: counted once, when loaded


@dataclass
class Tool:
    """An animation resource (outil d'animation) of a booking: its crates travel together."""

    title: str
    barcode: str
    other: Library
    crates: int
    planned: dt.date | None = None  # carried over: the shuttle day it missed
    url: str = ""  # the booking's page
    booking: int | None = None


@dataclass
class Side:
    singles: list[Transfer] = field(default_factory=list)
    crates: list[Crate] = field(default_factory=list)
    tools: list[Tool] = field(default_factory=list)

    @property
    def items(self) -> int:
        return len(self.singles) + sum(c.items for c in self.crates)


@dataclass
class Stop:
    library: Library
    on: Side = field(default_factory=Side)
    off: Side = field(default_factory=Side)

    @property
    def busy(self) -> bool:
        sides = (self.on, self.off)
        return any(side.items or side.crates or side.tools for side in sides)


@dataclass
class Run:
    day: dt.date
    stops: list[Stop]
    limit: ShuttleLimit

    @property
    def items(self) -> int:
        """Items the van carries that day: each counted once, when it goes on or (loaded
        earlier) when it comes off."""
        loaded_before = sum(
            len(s.off.singles) + sum(c.items for c in s.off.crates if not c.same_run)
            for s in self.stops
        )
        return sum(s.on.items for s in self.stops) + loaded_before

    @property
    def crates(self) -> int:
        """Lots and deposit crates, and the crates of animation resources."""
        return sum(
            len(side.crates) + sum(t.crates for t in side.tools)
            for s in self.stops
            for side in (s.on, s.off)
        )

    @property
    def carried_over(self) -> list[Tool]:
        """The animation resources on this run because their own shuttle day has passed (each
        once, though it goes on at one stop and off at another)."""
        found: dict[object, Tool] = {}
        for s in self.stops:
            for side in (s.on, s.off):
                for tool in side.tools:
                    if tool.planned is not None:
                        found.setdefault(tool.booking or tool.barcode, tool)
        return list(found.values())

    @property
    def too_full(self) -> bool:
        return self.items > self.limit.max_items or self.crates > self.limit.max_crates


def _served(library: Library, day: dt.date) -> bool:
    return library.is_shuttle_day(day) and not library.is_closed_on(day)


def _first_run(library: Library, today: dt.date) -> dt.date | None:
    """The shuttle day a library's parcels go or come: today if served, else its next one."""
    return today if _served(library, today) else library.next_shuttle_day(today)


def _order(libraries: list[Library]) -> list[Library]:
    position = dict(ShuttleStop.objects.values_list("library_id", "position"))
    head_first: dict[str, int] = {LibraryKind.HEAD: 0, LibraryKind.DEPARTMENTAL: 1}
    return sorted(
        libraries,
        key=lambda lib: (
            position.get(lib.pk, 10_000),
            head_first.get(lib.kind, 2),
            lib.name,
        ),
    )


def runs(today: dt.date, days: int = 14) -> list[Run]:
    """The runs of the coming `days` days (from today), each with its stops in order."""
    libraries = list(Library.objects.filter(is_active=True).prefetch_related("closures"))
    by_id = {lib.pk: lib for lib in libraries}
    horizon = [today + dt.timedelta(days=n) for n in range(days)]
    stops: dict[dt.date, dict[int, Stop]] = {
        day: {lib.pk: Stop(lib) for lib in libraries if _served(lib, day)} for day in horizon
    }
    first = {lib.pk: _first_run(lib, today) for lib in libraries}

    def stop(day: dt.date | None, library_id: int) -> Stop | None:
        return stops.get(day, {}).get(library_id) if day is not None else None

    active = list(
        Transfer.objects.filter(received_at__isnull=True, cancelled_at__isnull=True).select_related(
            "item", "item__record", "from_library", "to_library"
        )
    )
    item_ids = [t.item_id for t in active]
    lot_of = dict(LotItem.objects.filter(item_id__in=item_ids).values_list("item_id", "lot_id"))
    deposit_of = {
        e.item_id: e
        for e in DepositEntry.objects.filter(item_id__in=item_ids).select_related(
            "deposit__library", "deposit__md"
        )
    }
    lots = {lot.pk: lot for lot in Lot.objects.filter(pk__in=set(lot_of.values()))}
    # (day, library, side, key) → crate being filled
    crates: dict[tuple, Crate] = {}

    def add(side: Side, key: tuple, label: str, other: Library, kind: str, n: int = 1) -> None:
        crate = crates.get(key)
        if crate is None:
            crate = crates[key] = Crate(label, other, 0, kind)
            side.crates.append(crate)
        crate.items += n

    for transfer in active:
        sent = transfer.sent_at is not None
        library_id = transfer.to_library_id if sent else transfer.from_library_id
        day = first[library_id]
        here = stop(day, library_id)
        if here is None:
            continue
        side = here.off if sent else here.on
        other = by_id.get(transfer.from_library_id if sent else transfer.to_library_id)
        lot = lots.get(lot_of.get(transfer.item_id, 0))
        entry = deposit_of.get(transfer.item_id)
        if other is None:
            continue
        if lot is not None:
            add(side, (day, library_id, sent, "lot", lot.pk), lot.code, other, "lot")
        elif entry is not None:
            label = entry.deposit.library.name
            add(side, (day, library_id, sent, "deposit", entry.deposit_id), label, other, "deposit")
        else:
            side.singles.append(transfer)

    # Planned exchanges of published plans not run yet, whose lots have not left.
    cells = Cell.objects.filter(
        plan__published_at__isnull=False,
        from_library__isnull=False,
        day__gte=today,
        day__lte=horizon[-1],
        lot__state=Lot.State.AT_STATION,
    ).select_related("lot", "plan")
    pending = set(Exchange.objects.filter(run_at__isnull=True).values_list("plan_id", "number"))
    planned = [c for c in cells if (c.plan_id, c.number) in pending]
    sizes = dict(
        LotItem.objects.filter(lot__in=[c.lot_id for c in planned])
        .values_list("lot")
        .annotate(n=Count("pk"))
    )
    for cell in planned:
        assert cell.from_library_id is not None
        n = sizes.get(cell.lot_id, 0)
        leaving = stop(cell.day, cell.from_library_id)
        if leaving is not None and cell.lot.station_id == cell.from_library_id:
            key = (cell.day, cell.from_library_id, False, "lot", cell.lot_id)
            add(leaving.on, key, cell.lot.code, by_id[cell.library_id], "lot", n)
        arriving = stop(cell.arrival, cell.library_id)
        if arriving is not None:
            key = (cell.arrival, cell.library_id, True, "lot", cell.lot_id)
            add(arriving.off, key, cell.lot.code, by_id[cell.from_library_id], "lot", n)
            crates[key].same_run = cell.arrival == cell.day

    for answer in usage.answers("shuttle_tools", today, horizon[-1], today):
        for line in answer:
            here = stop(line["day"], line["library"])
            other = by_id.get(line["other"])
            if here is not None and other is not None:
                side = here.on if line["side"] == "on" else here.off
                side.tools.append(
                    Tool(
                        line["title"],
                        line["barcode"],
                        other,
                        line["crates"],
                        planned=line.get("planned"),
                        url=line.get("url", ""),
                        booking=line.get("booking"),
                    )
                )

    limit = ShuttleLimit.current()
    result = []
    for day in horizon:
        if not stops[day]:
            continue
        ordered = _order([s.library for s in stops[day].values()])
        result.append(Run(day, [stops[day][lib.pk] for lib in ordered], limit))
    return result


def run_of(day: dt.date, today: dt.date) -> Run | None:
    if day < today:
        return None
    found = [r for r in runs(today, (day - today).days + 1) if r.day == day]
    return found[0] if found else None


def pdf(run: Run) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a sheet is printed

    html = render_to_string("rotation/run_print.html", {"run": run, "printed": timezone.now()})
    return HTML(string=html).write_pdf()


def set_route(actor, codes: list[str], max_items: int, max_crates: int) -> None:
    """The coordinator sets the stop order (library codes) and the limits of a run. Codes:
    unknown_library."""
    require(actor, Action.ADMINISTER)
    codes = [c.strip().upper() for c in codes if c.strip()]
    found = {lib.code: lib for lib in Library.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(
            "unknown_library",
            _("No library has the code %(codes)s.") % {"codes": ", ".join(unknown)},
            field="stops",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        ShuttleStop.objects.all().delete()
        ShuttleStop.objects.bulk_create(
            ShuttleStop(library=found[code], position=n) for n, code in enumerate(codes, 1)
        )
        limit = ShuttleLimit.objects.order_by("pk").first() or ShuttleLimit()
        limit.max_items, limit.max_crates = max_items, max_crates
        limit.save()
        audit(
            "shuttle_sheet_set",
            None,
            actor=actor,
            details={"stop_order": " ".join(codes), "run_limit": f"{max_items}/{max_crates}"},
        )
