"""Circulation plans: define (coordinator only), generate and store the grid, swap two cells by
hand, publish, and run an exchange date by sending its lots through the lots service.

Locks: the plan row first (every change to a plan or its grid takes it), then what the lots
service locks when an exchange is run. Running a date twice changes nothing: a lot already on
its way to (or standing at) the library the grid names is left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue.models import GONE_STATUSES, Item
from maillon.circulation.models import Capacity
from maillon.core.errors import DomainError, Kind
from maillon.lots import services as lots
from maillon.lots.models import Lot, LotItem
from maillon.network.models import Closure, Library
from maillon.network.permissions import Action, can, require
from maillon.rotation import grid
from maillon.rotation.models import Cell, Exchange, Plan, PlanLibrary, PlanLot

MOST_EXCHANGES = 60
FRENCH_SUBJECT = {"f": "La ", "m": "Le ", "l": "L’", "p": "Les ", "n": ""}


class PlanError(DomainError):
    """A refused operation on a circulation plan."""


def day_text(value: dt.date | None, with_year: bool = True) -> str:
    """« mardi 1er avril 2027 »."""
    if value is None:
        return "—"
    if (get_language() or "fr").startswith("fr"):
        number = "1er" if value.day == 1 else str(value.day)
        text = f"{date_format(value, 'l')} {number} {date_format(value, 'F')}"
    else:
        text = date_format(value, "l j F")
    return f"{text} {value.year}" if with_year else text


def subject(library: Library) -> str:
    """The library as the subject of a sentence: « La Bibliothèque de Vasles »."""
    if (get_language() or "fr").startswith("fr"):
        return FRENCH_SUBJECT[library.name_grammar] + library.name
    return library.name


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_dates(plan: Plan) -> list[dt.date]:
    """The plan's exchange dates as planned (before moving them to shuttle days)."""
    dates: list[dt.date] = []
    for n in range(MOST_EXCHANGES):
        if plan.unit == Plan.Unit.WEEKS:
            day = plan.start + dt.timedelta(weeks=plan.every * n)
        else:
            day = _add_months(plan.start, plan.every * n)
        if plan.exchanges is not None:
            if n >= plan.exchanges:
                break
        elif (plan.end is None and n >= 1) or (plan.end is not None and day > plan.end):
            break
        dates.append(day)
    return dates


# Defining a plan ---------------------------------------------------------------------------


@dataclass
class MemberInput:
    library: Library
    youth: bool = True
    max_lots: int | None = None
    skips: list[int] = field(default_factory=list)


def save_plan(
    actor,
    plan: Plan | None,
    *,
    name: str,
    kind: str,
    every: int,
    unit: str,
    start: dt.date,
    exchanges: int | None,
    end: dt.date | None,
    members: list[MemberInput],
    lots_in: list[Lot],
    youth_lots: list[Lot] = (),  # type: ignore[assignment]
) -> Plan:
    """Create or change a plan (the coordinator's work). A changed plan's grid is dropped: it
    is generated again. Codes: plan_running, too_few_libraries, no_dates, lot_twice."""
    require(actor, Action.ADMINISTER)
    name = (name or "").strip()
    if not name:
        raise PlanError("name_missing", _("Name the plan."), field="name", kind=Kind.INVALID)
    if len({m.library.pk for m in members}) < 2:
        raise PlanError(
            "too_few_libraries",
            _("A plan needs at least two libraries."),
            field="libraries",
            kind=Kind.INVALID,
        )
    if exchanges is None and end is None:
        raise PlanError(
            "no_dates",
            _("Give the number of exchanges or the date of the last one."),
            field="exchanges",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        if plan is not None:
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            if Exchange.objects.filter(plan=plan, run_at__isnull=False).exists():
                raise PlanError(
                    "plan_running",
                    _("An exchange of this plan has been run: the plan can no longer change."),
                )
        else:
            plan = Plan(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        plan.name, plan.kind, plan.every, plan.unit = name[:200], kind, max(1, every), unit
        plan.start, plan.exchanges, plan.end = start, exchanges, end
        plan.published_at = plan.generated_at = None
        plan.notes = []
        plan.save()
        _drop_grid(plan)
        PlanLibrary.objects.filter(plan=plan).delete()
        PlanLot.objects.filter(plan=plan).delete()
        done: set[int] = set()
        for position, member in enumerate(members):
            if member.library.pk in done:
                continue
            done.add(member.library.pk)
            PlanLibrary.objects.create(
                plan=plan,
                library=member.library,
                position=position,
                youth=member.youth,
                max_lots=member.max_lots,
                skips=sorted(set(member.skips)),
            )
        youth_ids = {lot.pk for lot in youth_lots}
        PlanLot.objects.bulk_create(
            [
                PlanLot(plan=plan, lot=lot, youth_only=lot.pk in youth_ids)
                for lot in {lot.pk: lot for lot in lots_in}.values()
            ]
        )
        audit("rotation_plan_saved", plan, actor=actor, details={"plan_name": plan.name})
    return plan


def _drop_grid(plan: Plan) -> None:
    Cell.objects.filter(plan=plan).delete()
    Exchange.objects.filter(plan=plan).delete()


# The grid ------------------------------------------------------------------------------------


def spec_of(plan: Plan, where: list[list[int]] | None = None) -> grid.Spec:
    """The plan as the generator reads it (one query per table)."""
    members = list(PlanLibrary.objects.filter(plan=plan).select_related("library"))
    ids = [m.library_id for m in members]
    closures: dict[int, list[tuple[dt.date, dt.date]]] = {i: [] for i in ids}
    for library_id, start, end in Closure.objects.filter(
        library_id__in=ids, end__gte=plan.start - dt.timedelta(days=31)
    ).values_list("library_id", "start", "end"):
        closures[library_id].append((start, end))
    plan_lots = list(PlanLot.objects.filter(plan=plan).select_related("lot").order_by("lot_id"))
    exchanges = list(Exchange.objects.filter(plan=plan).order_by("number"))
    dates = [e.planned for e in exchanges] if exchanges else planned_dates(plan)
    in_lots = LotItem.objects.filter(lot__in=[pl.lot_id for pl in plan_lots])
    sizes = dict(in_lots.values_list("lot").annotate(n=Count("pk")))
    caps = dict(
        Capacity.objects.filter(library__in=ids, location="", max_items__isnull=False).values_list(
            "library", "max_items"
        )
    )
    stock = (
        dict(
            Item.objects.filter(home__in=list(caps))
            .exclude(status__in=GONE_STATUSES)
            .exclude(pk__in=in_lots.values("item"))
            .values_list("home")
            .annotate(n=Count("pk"))
        )
        if caps
        else {}
    )
    return grid.Spec(
        members=tuple(
            grid.Member(
                id=m.library_id,
                youth=m.youth,
                max_lots=m.max_lots,
                skips=frozenset(m.skips or []),
                shuttle_days=frozenset(m.library.shuttle_days or []),
                closures=tuple(closures[m.library_id]),
                stock=stock.get(m.library_id, 0),
                max_items=caps.get(m.library_id),
            )
            for m in members
        ),
        lots=tuple(
            grid.LotSpec(
                id=pl.lot_id,
                start=pl.lot.station_id,
                youth_only=pl.youth_only,
                size=sizes.get(pl.lot_id, 0),
            )
            for pl in plan_lots
        ),
        dates=tuple(dates),
        kind=plan.kind,
    )


def _store(plan: Plan, result: grid.Grid) -> None:
    spec = result.spec
    moves = {(m.exchange, m.lot): m for m in result.moves}
    Cell.objects.filter(plan=plan).delete()
    cells = []
    for t, row in enumerate(result.where):
        for k, holder in enumerate(row):
            lot_id = spec.lots[k].id
            move = moves.get((t, lot_id))
            cells.append(
                Cell(
                    plan=plan,
                    number=t,
                    lot_id=lot_id,
                    library_id=holder,
                    from_library_id=move.source if move else None,
                    day=move.day if move else None,
                    arrival=move.arrival if move else None,
                )
            )
    Cell.objects.bulk_create(cells, batch_size=1000)
    plan.notes = [_note(i) for i in result.issues]
    plan.generated_at = timezone.now()
    plan.save(update_fields=["notes", "generated_at"])


def _note(issue: grid.Issue) -> dict:
    note = {k: v for k, v in issue.__dict__.items() if v not in (None, 0, False) or k == "exchange"}
    for key in ("day", "planned"):
        if key in note:
            note[key] = note[key].isoformat()
    return note


def issues_of(plan: Plan) -> list[grid.Issue]:
    out = []
    for note in plan.notes or []:
        values = dict(note)
        for key in ("day", "planned"):
            if key in values:
                values[key] = dt.date.fromisoformat(values[key])
        out.append(grid.Issue(**values))
    return out


def _require_not_run(plan: Plan, number: int | None = None) -> None:
    run = Exchange.objects.filter(plan=plan, run_at__isnull=False)
    if number is not None:
        run = run.filter(number=number)
    if run.exists():
        raise PlanError(
            "exchange_run",
            _("This exchange has been run already: its part of the grid can no longer change."),
        )


def generate(actor, plan: Plan) -> grid.Grid:
    """Generate the plan's grid and store it (replacing the one before, unpublished again)."""
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        _require_not_run(plan)
        Exchange.objects.filter(plan=plan).delete()
        dates = planned_dates(plan)
        if not PlanLot.objects.filter(plan=plan).exists():
            raise PlanError("no_lots", _("Put at least one lot in the plan."))
        Exchange.objects.bulk_create(
            [Exchange(plan=plan, number=n, planned=d) for n, d in enumerate(dates, 1)]
        )
        result = grid.generate(spec_of(plan))
        _store(plan, result)
        plan.published_at = None
        plan.save(update_fields=["published_at"])
        audit(
            "rotation_grid_generated",
            plan,
            actor=actor,
            details={"grid_exchanges": len(dates), "rules_broken": len(result.broken)},
        )
    return result


def where_of(plan: Plan, spec: grid.Spec) -> list[list[int]]:
    index = {lot.id: k for k, lot in enumerate(spec.lots)}
    rows = [[0] * len(spec.lots) for _ in range(len(spec.dates) + 1)]
    for number, lot_id, library_id in Cell.objects.filter(plan=plan).values_list(
        "number", "lot_id", "library_id"
    ):
        if number < len(rows) and lot_id in index:
            rows[number][index[lot_id]] = library_id
    return rows


def check(plan: Plan) -> list[grid.Issue]:
    """The rules the stored grid breaks now (after hand swaps too)."""
    spec = spec_of(plan)
    return grid.check(spec, where_of(plan, spec))


def swap(actor, plan: Plan, number: int, first: Library, second: Library) -> list[grid.Issue]:
    """Exchange what two libraries receive on exchange `number`; the grid is checked again and
    the rules now broken are returned (and kept in the plan's notes)."""
    require(actor, Action.ADMINISTER)
    if first.pk == second.pk:
        raise PlanError(
            "same_library", _("Choose two different libraries."), field="second", kind=Kind.INVALID
        )
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        spec = spec_of(plan)
        if not 1 <= number <= len(spec.dates):
            raise PlanError("no_exchange", _("This plan has no such exchange."), kind=Kind.INVALID)
        ids = {m.id for m in spec.members}
        if first.pk not in ids or second.pk not in ids:
            raise PlanError("not_member", _("Both libraries must take part in the plan."))
        _require_not_run(plan, number)
        where = grid.swap(where_of(plan, spec), number, first.pk, second.pk)
        extra = [i for i in issues_of(plan) if i.code == grid.STUCK or i.exchange == 0]
        result = grid.evaluate(spec, where, extra)
        _store(plan, result)
        audit(
            "rotation_cells_swapped",
            plan,
            actor=actor,
            details={"exchange_number": number, "swap_a": first.pk, "swap_b": second.pk},
        )
    return result.broken


def publish(actor, plan: Plan) -> None:
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.generated_at is None:
            raise PlanError("no_grid", _("Generate the grid before publishing it."))
        if plan.published_at is None:
            plan.published_at = timezone.now()
            plan.save(update_fields=["published_at"])
            audit("rotation_plan_published", plan, actor=actor)


# Words for what the grid breaks or tells ----------------------------------------------------


def describe(issue: grid.Issue, libraries: dict[int, Library], names: dict[int, str]) -> str:
    """One issue in a sentence (French first)."""
    library = libraries.get(issue.library or 0)
    who = subject(library) if library else "—"
    lot = names.get(issue.lot or 0, "—")
    values = {
        "library": who,
        "lot": lot,
        "n": issue.exchange,
        "day": day_text(issue.day),
        "planned": day_text(issue.planned),
        "count": issue.count,
        "limit": issue.limit,
    }
    texts = {
        grid.JUST_HAD: _(
            "%(library)s would receive the crate it has just had (%(lot)s), on exchange %(n)s."
        ),
        grid.SEEN_TWICE: _(
            "%(library)s would receive %(lot)s a second time, on exchange %(n)s, before the "
            "crate has been everywhere."
        ),
        grid.SKIP: _("%(library)s skips exchange %(n)s but would send or receive %(lot)s."),
        grid.YOUTH: _(
            "%(library)s has no youth section but would hold %(lot)s (youth sections only)."
        ),
        grid.STUCK: _(
            "%(lot)s stays %(at)s on exchange %(n)s: no library it has not had yet may take it "
            "then."
        ),
        grid.NO_SHUTTLE_DAY: _(
            "%(library)s has no shuttle day near %(planned)s (exchange %(n)s): the date is kept "
            "as planned; arrange the transport."
        ),
        grid.DATE_MOVED: _(
            "Exchange %(n)s: %(library)s sends on %(day)s instead of %(planned)s (no shuttle "
            "that day)."
        ),
        grid.OUTSIDE: _(
            "%(lot)s stands at a library outside the plan: the grid starts it %(at)s; send it "
            "there first."
        ),
        grid.NOTHING_RECEIVED: _(
            "%(library)s receives no lot on exchange %(n)s (fewer lots than libraries)."
        ),
    }
    if issue.code == grid.FULL:
        return (
            _("%(library)s would hold %(count)s items after exchange %(n)s (capacity: %(limit)s).")
            % values
        )
    if issue.code == grid.KEPT_BACK:
        values["to"] = library.to_name if library else "—"
        return (
            _(
                "%(lot)s does not go %(to)s on exchange %(n)s: it would hold %(count)s items "
                "(capacity: %(limit)s)."
            )
            % values
        )
    if issue.code == grid.CAPACITY:
        return (
            _("%(library)s would receive %(count)s lots on exchange %(n)s (most: %(limit)s).")
            % values
        )
    if issue.code in (grid.STUCK, grid.OUTSIDE):
        values["at"] = library.at_name if library else "—"
    if issue.code == grid.DATE_MOVED and issue.closed:
        return (
            _(
                "Exchange %(n)s: %(library)s sends on %(day)s instead of %(planned)s (a closure "
                "on the planned date)."
            )
            % values
        )
    return texts.get(issue.code, issue.code) % values


# Reading the grid ----------------------------------------------------------------------------


@dataclass
class Slot:
    """What one library does on one exchange date."""

    received: list[Cell] = field(default_factory=list)  # with from_library and days
    sent: list[Cell] = field(default_factory=list)  # the lots leaving it (to: cell.library)
    kept: list[Cell] = field(default_factory=list)  # lots staying there


@dataclass
class Table:
    plan: Plan
    members: list[PlanLibrary]
    exchanges: list[Exchange]
    start: dict[int, list[Cell]]  # library id → lots held before the first exchange
    slots: dict[tuple[int, int], Slot]  # (number, library id) → slot
    issues: list[grid.Issue]
    load: list[tuple[dt.date, int]] = field(default_factory=list)  # lots leaving per day

    @property
    def starting(self):
        return [(m, self.start.get(m.library_id, [])) for m in self.members]

    def rows(self):
        """(exchange, [(member, slot)…]) in order, for templates."""
        for exchange in self.exchanges:
            yield (
                exchange,
                [
                    (m, self.slots.get((exchange.number, m.library_id), Slot()))
                    for m in self.members
                ],
            )


def table(plan: Plan, library: Library | None = None) -> Table:
    members = list(PlanLibrary.objects.filter(plan=plan).select_related("library"))
    if library is not None:
        members = [m for m in members if m.library_id == library.pk]
    exchanges = list(Exchange.objects.filter(plan=plan).order_by("number"))
    cells = list(
        Cell.objects.filter(plan=plan)
        .select_related("lot", "library", "from_library")
        .order_by("number", "lot__name", "lot_id")
    )
    start: dict[int, list[Cell]] = {}
    slots: dict[tuple[int, int], Slot] = {}
    for cell in cells:
        if cell.number == 0:
            start.setdefault(cell.library_id, []).append(cell)
            continue
        slot = slots.setdefault((cell.number, cell.library_id), Slot())
        if cell.from_library_id:
            slot.received.append(cell)
            slots.setdefault((cell.number, cell.from_library_id), Slot()).sent.append(cell)
        else:
            slot.kept.append(cell)
    load = Counter(c.day for c in cells if c.from_library_id and c.day)
    return Table(plan, members, exchanges, start, slots, check(plan), sorted(load.items()))


def messages(plan: Plan, issues: list[grid.Issue]) -> list[str]:
    libraries = {m.library_id: m.library for m in plan.members.select_related("library")}
    names = {pl.lot_id: f"{pl.lot.code} {pl.lot.name}" for pl in plan.lots.select_related("lot")}
    return [describe(i, libraries, names) for i in issues]


@dataclass
class Next:
    plan: Plan
    exchange: Exchange
    send: list[Cell]
    receive: list[Cell]


def next_exchange(library: Library, today: dt.date) -> list[Next]:
    """For each published plan: the library's next exchange not run yet with something to do."""
    found = []
    plans = Plan.objects.filter(published_at__isnull=False, members__library=library).distinct()
    for plan in plans:
        numbers_with_work = set(
            Cell.objects.filter(plan=plan, number__gte=1, from_library__isnull=False)
            .filter(Q(library=library) | Q(from_library=library))
            .values_list("number", flat=True)
        )
        since = today - dt.timedelta(days=grid.WINDOW_DAYS)
        pending = {
            e.number: e
            for e in Exchange.objects.filter(plan=plan, run_at__isnull=True, planned__gte=since)
        }
        numbers = sorted(n for n in numbers_with_work if n in pending)
        if not numbers:
            continue
        number = numbers[0]
        mine = list(
            Cell.objects.filter(plan=plan, number=number)
            .filter(from_library__isnull=False)
            .select_related("lot", "library", "from_library")
        )
        found.append(
            Next(
                plan=plan,
                exchange=pending[number],
                send=[c for c in mine if c.from_library_id == library.pk],
                receive=[c for c in mine if c.library_id == library.pk],
            )
        )
    return found


# Running an exchange date --------------------------------------------------------------------


@dataclass
class RunResult:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.sent)


ALREADY, SEND = "already", "send"


def verdict(cell: Cell, lot: Lot) -> str:
    """What running the move `cell` does with `lot` (read now): ALREADY (on its way to, or
    at, the library the grid names), SEND, or the French reason it is left for a person."""
    if (lot.state == Lot.State.IN_TRANSIT and lot.destination_id == cell.library_id) or (
        lot.state == Lot.State.AT_STATION and lot.station_id == cell.library_id
    ):
        return ALREADY
    if lot.state != Lot.State.AT_STATION or lot.station_id != cell.from_library_id:
        assert cell.from_library is not None
        return _("%(lot)s is not %(at)s as the grid expects: send it by hand.") % {
            "lot": f"{lot.code} {lot.name}",
            "at": cell.from_library.at_name,
        }
    return SEND


def may_run(actor, plan: Plan, library: Library | None = None) -> bool:
    if can(actor, Action.ADMINISTER):
        return True
    return library is not None and can(actor, Action.CIRCULATE, library)


def run_exchange(actor, plan: Plan, number: int, library: Library | None = None) -> RunResult:
    """Send the lots due on exchange `number` (from `library` only, or all of them for the
    coordinator) through the lots service. A lot already on its way to the library the grid
    names, or already there, is left alone: running twice changes nothing."""
    if not may_run(actor, plan, library):
        require(actor, Action.ADMINISTER)
    if plan.published_at is None:
        raise PlanError("not_published", _("Publish the grid before running its exchanges."))
    exchange = Exchange.objects.filter(plan=plan, number=number).first()
    if exchange is None:
        raise PlanError("no_exchange", _("This plan has no such exchange."), kind=Kind.NOT_FOUND)
    moves = Cell.objects.filter(plan=plan, number=number, from_library__isnull=False)
    if library is not None:
        moves = moves.filter(from_library=library)
    result = RunResult()
    for cell in moves.select_related("lot", "library", "from_library").order_by("lot_id"):
        lot = Lot.objects.select_related("station", "destination").get(pk=cell.lot_id)
        label = f"{lot.code} {lot.name}"
        what = verdict(cell, lot)
        if what == ALREADY:
            result.already.append(label)
            continue
        if what != SEND:
            result.refused.append(what)
            continue
        try:
            lots.send(actor, lot, cell.library)
        except lots.LotError as error:
            lot.refresh_from_db()
            if lot.state == Lot.State.IN_TRANSIT and lot.destination_id == cell.library_id:
                result.already.append(label)  # sent meanwhile by another desk
            else:
                result.refused.append(f"{label} : {error.message}")
        else:
            result.sent.append(label)
    with transaction.atomic():
        exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
        if result.sent or result.already:
            left = Cell.objects.filter(plan=plan, number=number, from_library__isnull=False)
            done = not any(_pending(c) for c in left.select_related("lot"))
            if done and exchange.run_at is None:
                exchange.run_at, exchange.run_by = timezone.now(), actor
                exchange.save(update_fields=["run_at", "run_by"])
        if result.sent:
            audit(
                "rotation_exchange_run",
                plan,
                actor=actor,
                library=library,
                details={"exchange_number": number, "lots_sent": len(result.sent)},
            )
    return result


def _pending(cell: Cell) -> bool:
    lot = cell.lot
    if lot.state == Lot.State.IN_TRANSIT:
        return lot.destination_id != cell.library_id
    return lot.station_id != cell.library_id
