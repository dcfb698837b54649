"""Single items on a rota (stock rotation): stages (library, days) in order, and a daily
advance that moves each item whose days at its stage are done to the next stage.

Moving an item goes through the item and circulation services: its home becomes the next
stage's library (`items.change_home`), and an item on the shelf gets a transfer to it
(`create_transfer`: the desk packs it for the shuttle). An item on loan only changes home: it
follows when returned, since a return anywhere routes it to its home. An item travelling, kept
for a hold or otherwise away is left for a later day — a new transfer never replaces one under
way. The advance is idempotent: an item moved today is at its new stage since today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.models import GONE_STATUSES, CollectionKind, ItemStatus
from maillon.circulation.common import find_item, lock_item
from maillon.circulation.errors import CirculationError
from maillon.circulation.transfers import create_transfer
from maillon.core.errors import DomainError, Kind
from maillon.lots.models import LotItem
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.rotation.models import Rota, RotaItem, RotaStage

MAX_DAYS = 3650
PROTECTED = {CollectionKind.LOCAL.value, CollectionKind.HERITAGE.value}  # stay at their library


class RotaError(DomainError):
    """A refused rota operation."""


def create(actor, name: str, *, cyclical: bool = True, description: str = "") -> Rota:
    """A new rota (the coordinator). Codes: name_missing."""
    require(actor, Action.ADMINISTER)
    name = (name or "").strip()
    if not name:
        raise RotaError("name_missing", _("Give the rota a name."), field="name", kind=Kind.INVALID)
    rota = Rota.objects.create(
        name=name[:200], cyclical=cyclical, description=description.strip(), created_by=actor
    )
    audit("rota_created", rota, actor=actor)
    return rota


def add_stage(actor, rota: Rota, library: Library, days: int) -> RotaStage:
    """The next stage: `days` at `library`. Codes: days_invalid, same_library."""
    require(actor, Action.ADMINISTER)
    if not 1 <= days <= MAX_DAYS:
        raise RotaError(
            "days_invalid",
            _("A stage lasts from 1 to %(max)d days.") % {"max": MAX_DAYS},
            field="days",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        rota = Rota.objects.select_for_update().get(pk=rota.pk)
        last = rota.stages.order_by("-position").first()
        if last is not None and last.library_id == library.pk:
            raise RotaError(
                "same_library",
                _("The previous stage is already at %(library)s: lengthen it instead.")
                % {"library": library.name},
                field="library",
                kind=Kind.INVALID,
            )
        return RotaStage.objects.create(
            rota=rota, position=(last.position if last else 0) + 1, library=library, days=days
        )


def add_item(actor, rota: Rota, barcode: str) -> RotaItem:
    """Put a scanned item on the rota: at the stage of its home library if there is one (from
    today), else it goes to the first stage at the next daily run. Codes: unknown_barcode,
    no_stages, on_a_rota, in_a_lot, protected_collection, gone."""
    require(actor, Action.ADMINISTER)
    item = find_item((barcode or "").strip())
    stages = list(rota.stages.all())
    if not stages:
        raise RotaError("no_stages", _("Add the rota's stages before its items."))
    with transaction.atomic():
        item = lock_item(item)
        other = RotaItem.objects.filter(item=item).select_related("rota").first()
        if other is not None:
            raise RotaError(
                "on_a_rota",
                _("The item %(barcode)s is already on the rota « %(rota)s ».")
                % {"barcode": item.barcode, "rota": other.rota.name},
                field="barcode",
            )
        if LotItem.objects.filter(item=item).exists():
            raise RotaError(
                "in_a_lot",
                _("The item %(barcode)s travels in a lot: take it out of the lot first.")
                % {"barcode": item.barcode},
                field="barcode",
            )
        collection = item.collection
        if collection is not None and collection.kind in PROTECTED:
            raise RotaError(
                "protected_collection",
                _(
                    "The item %(barcode)s is in the collection « %(collection)s », which stays "
                    "at its library."
                )
                % {"barcode": item.barcode, "collection": collection.name},
                field="barcode",
            )
        if item.status in GONE_STATUSES:
            raise RotaError(
                "gone",
                _("The item %(barcode)s is %(status)s.")
                % {"barcode": item.barcode, "status": item.get_status_display()},
                field="barcode",
            )
        here = next((s for s in stages if s.library_id == item.home_id), None)
        entry = RotaItem.objects.create(
            rota=rota,
            item=item,
            stage=here,
            since=timezone.localdate() if here else None,
            added_by=actor,
        )
        audit("rota_item_added", item, actor=actor, details={"rota": rota.name})
    return entry


def remove_item(actor, entry: RotaItem) -> None:
    """Take an item off its rota; it stays where it is, its home unchanged."""
    require(actor, Action.ADMINISTER)
    audit("rota_item_removed", entry.item, actor=actor, details={"rota": entry.rota.name})
    entry.delete()


def next_stage(entry: RotaItem, stages: list[RotaStage]) -> RotaStage | None:
    """Where the item goes next: the first stage when it has none yet, else the stage after
    its own (the first again on a cyclical rota); None at the end of a one-way rota."""
    if not stages:
        return None
    if entry.stage_id is None:
        return stages[0]
    index = next((n for n, s in enumerate(stages) if s.pk == entry.stage_id), None)
    if index is None:
        return stages[0]
    if index + 1 < len(stages):
        return stages[index + 1]
    return stages[0] if entry.rota.cyclical and len(stages) > 1 else None


def moves_on(entry: RotaItem, stages: list[RotaStage]) -> dt.date | None:
    """The day the item moves to its next stage (None: it stays)."""
    if next_stage(entry, stages) is None:
        return None
    if entry.stage is None or entry.since is None:
        return entry.added_at.date()
    return entry.since + dt.timedelta(days=entry.stage.days)


# What the advance did with an item.
MOVED = "moved"  # on the shelf: home changed, transfer made
FOLLOWS = "follows"  # on loan: home changed, it goes there when returned
WAITING = "waiting"  # away (travelling, kept for a hold…): tried again tomorrow
STAYS = "stays"  # already at the stage's library


@dataclass
class Advance:
    entry: RotaItem
    to: RotaStage
    outcome: str
    message: str = ""


def due(today: dt.date) -> list[tuple[RotaItem, RotaStage]]:
    """The items whose days at their stage are done on `today` (read only)."""
    stages: dict[int, list[RotaStage]] = {}
    for stage in RotaStage.objects.filter(rota__active=True).select_related("library"):
        stages.setdefault(stage.rota_id, []).append(stage)
    for found in stages.values():
        found.sort(key=lambda s: s.position)
    out = []
    for entry in (
        RotaItem.objects.filter(rota__active=True)
        .select_related("rota", "stage", "item")
        .order_by("item_id")
    ):
        when = moves_on(entry, stages.get(entry.rota_id, []))
        if when is not None and (entry.stage_id is None or when <= today):
            target = next_stage(entry, stages[entry.rota_id])
            assert target is not None
            out.append((entry, target))
    return out


def advance(actor, today: dt.date, *, dry_run: bool = False) -> list[Advance]:
    """Move every item that is due (see the module). With `dry_run`, only say what would be
    done."""
    done = []
    for entry, target in due(today):
        if dry_run:
            done.append(Advance(entry, target, MOVED))
            continue
        moved = _move(actor, entry, target, today)
        if moved is not None:
            done.append(moved)
    return done


def _move(actor, entry: RotaItem, target: RotaStage, today: dt.date) -> Advance | None:
    """None when another advance running at the same time moved the item first (or it left
    the rota): the one that moved it reports it."""
    seen_at = entry.stage_id
    with transaction.atomic():
        item = lock_item(entry.item_id)
        locked = (
            RotaItem.objects.select_for_update().select_related("rota").filter(pk=entry.pk).first()
        )
        if locked is None or locked.stage_id != seen_at:
            return None
        entry = locked
        if item.home_id == target.library_id and item.current_id == target.library_id:
            outcome = STAYS
        elif item.status == ItemStatus.ON_LOAN:
            if item.home_id != target.library_id:
                item_service.change_home(
                    actor,
                    item,
                    target.library,
                    note=_("rota « %(rota)s »") % {"rota": entry.rota.name},
                )
            outcome = FOLLOWS
        elif item.status == ItemStatus.AVAILABLE and item.current_id == item.home_id:
            origin = item.current_id
            try:
                with transaction.atomic():
                    item_service.change_home(
                        actor,
                        item,
                        target.library,
                        note=_("rota « %(rota)s »") % {"rota": entry.rota.name},
                    )
                    create_transfer(actor, origin, item, target.library)
            except (CirculationError, item_service.ItemError) as error:
                return Advance(entry, target, WAITING, str(error.message))
            outcome = MOVED
        else:
            return Advance(entry, target, WAITING, item.get_status_display())
        entry.stage, entry.since = target, today
        entry.save(update_fields=["stage", "since"])
    return Advance(entry, target, outcome)


def where(rota: Rota, today: dt.date) -> list[dict]:
    """Each item of the rota: where it is, its stage, and when it moves next."""
    stages = list(rota.stages.select_related("library"))
    rows = []
    for entry in rota.entries.select_related(
        "stage__library", "item__record", "item__current", "item__home"
    ).order_by("item__call_number", "pk"):
        entry.rota = rota
        following = next_stage(entry, stages)
        rows.append(
            {
                "entry": entry,
                "item": entry.item,
                "stage": entry.stage,
                "next": following,
                "moves_on": moves_on(entry, stages),
                "late": (moves_on(entry, stages) or today) < today,
            }
        )
    return rows


def lines(done: list[Advance], *, dry_run: bool) -> list[str]:
    """What the advance did (or would do), in French, one line per item."""
    out = []
    for step in done:
        values = {
            "barcode": step.entry.item.barcode,
            "rota": step.entry.rota.name,
            "library": step.to.library.name,
        }
        if dry_run:
            text = _("%(barcode)s (rota « %(rota)s »): would move to %(library)s")
        elif step.outcome == MOVED:
            text = _("%(barcode)s (rota « %(rota)s »): to send to %(library)s")
        elif step.outcome == FOLLOWS:
            text = _("%(barcode)s (rota « %(rota)s »): on loan, goes to %(library)s when returned")
        elif step.outcome == STAYS:
            text = _("%(barcode)s (rota « %(rota)s »): now at its stage at %(library)s")
        else:
            text = _(
                "%(barcode)s (rota « %(rota)s »): not on its shelf (%(why)s), tried again tomorrow"
            )
            values["why"] = step.message
        out.append(text % values)
    return out
