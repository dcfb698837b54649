"""Inventory (récolement) of a shelf section: scan, compare, fix through the services, close.

What the shelf holds is compared with what the catalogue says of the section (the library's
items whose call number falls between two bounds, in one shelving location if given):
- present but recorded otherwise (on loan, lost, missing, in transit, belonging elsewhere):
  a check-in at this library's desk puts it right (circulation decides where it goes);
- expected on the shelf but not scanned: missing, once the inventory is closed;
- out of call-number order among the scanned items: misfiled, to put back in place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.items import ItemError
from maillon.catalogue.marc.keys import fold
from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus
from maillon.circulation.loans import checkin
from maillon.circulation.routing import CheckinResult
from maillon.core.errors import DomainError, Kind
from maillon.inventory.models import Inventory, Scan
from maillon.network.models import Library
from maillon.network.permissions import Action, require

_TOKENS = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.UNICODE)


class InventoryError(DomainError):
    """A refused inventory operation."""


@lru_cache(maxsize=65536)
def call_key(call_number: str) -> tuple:
    """Shelf order of a call number: words folded (no accents, no case), numbers by value
    ("843.9 B" before "843.10 A" is wrong on a shelf: Dewey decimals compare as decimals).
    Cached: a library's call numbers repeat (« R DUP ») and each report reads them all."""
    key: list[tuple[int, object]] = []
    for token in _TOKENS.findall(call_number or ""):
        if token[0].isdigit():
            try:
                key.append((0, Decimal(token.replace(",", "."))))
                continue
            except InvalidOperation:
                pass
        key.append((1, fold(token)))
    return tuple(key)


class _Section:
    """An inventory's bounds, their keys worked out once."""

    def __init__(self, inventory: Inventory) -> None:
        self.location = fold(inventory.location) if inventory.location else ""
        self.low = call_key(inventory.call_from) if inventory.call_from else None
        self.high = call_key(inventory.call_to) if inventory.call_to else None

    def holds(self, call_number: str, location: str) -> bool:
        if self.location and fold(location) != self.location:
            return False
        key = call_key(call_number)
        if self.low is not None and key < self.low:
            return False
        # The upper bound includes everything that starts with it: "R Z" covers "R ZOLA".
        high = self.high
        return high is None or key <= high or key[: len(high)] == high


def _in_section(inventory: Inventory, call_number: str, location: str) -> bool:
    return _Section(inventory).holds(call_number, location)


def start(
    actor,
    library: Library,
    name: str,
    *,
    call_from: str = "",
    call_to: str = "",
    location: str = "",
) -> Inventory:
    require(actor, Action.CIRCULATE, library)
    name = (name or "").strip()
    if not name:
        raise InventoryError(
            "name_missing",
            _("Name the section (e.g. Romans adultes A–F)."),
            field="name",
            kind=Kind.INVALID,
        )
    if call_from and call_to and call_key(call_to) < call_key(call_from):
        raise InventoryError(
            "range_reversed",
            _("The section ends before it starts: %(start)s comes after %(end)s.")
            % {"start": call_from, "end": call_to},
            field="call_to",
            kind=Kind.INVALID,
        )
    inventory = Inventory(
        library=library,
        name=name[:200],
        call_from=call_from.strip(),
        call_to=call_to.strip(),
        location=location.strip(),
        started_by=actor,
    )
    inventory.section_items = section_ids(inventory)
    inventory.save()
    audit("inventory_started", inventory, actor=actor, library=library)
    return inventory


def _library_items(library_id: int) -> list[Item]:
    return list(
        Item.objects.filter(home_id=library_id)
        .exclude(status__in=GONE_STATUSES)
        .select_related("record")
        .only("pk", "barcode", "call_number", "location", "status", "record__title", "current_id")
    )


def section_ids(inventory: Inventory) -> list[int]:
    """The ids of the library's items (not gone) of the section, read from the whole stock:
    call numbers only, no model objects."""
    section = _Section(inventory)
    return [
        pk
        for pk, call_number, location in Item.objects.filter(home_id=inventory.library_id)
        .exclude(status__in=GONE_STATUSES)
        .values_list("pk", "call_number", "location")
        .iterator(chunk_size=5000)
        if section.holds(call_number, location)
    ]


def expected(
    inventory: Inventory, items: list[Item] | None = None, *, live: bool = False
) -> list[Item]:
    """The library's items of the section that the catalogue says are there or belong there
    (`items`: the library's items, when already read). Without `live`, the items listed when
    the inventory started, as they are now (an item moved to another section or library since
    drops out); `live` reads the whole stock again."""
    section = _Section(inventory)
    if items is not None:
        return [i for i in items if section.holds(i.call_number, i.location)]
    ids = inventory.section_items
    if live or ids is None:
        ids = section_ids(inventory)
    found: list[Item] = []
    for start in range(0, len(ids), 2000):
        found.extend(
            Item.objects.filter(pk__in=ids[start : start + 2000], home_id=inventory.library_id)
            .exclude(status__in=GONE_STATUSES)
            .select_related("record")
            .only(
                "pk",
                "barcode",
                "call_number",
                "location",
                "status",
                "record__title",
                "current_id",
            )
        )
    return [i for i in found if section.holds(i.call_number, i.location)]


def _expected_on_shelf(inventory: Inventory, item: Item) -> bool:
    return item.status == ItemStatus.AVAILABLE and item.current_id == inventory.library_id


@dataclass(frozen=True)
class Summary:
    """An inventory's figures for the list of inventories."""

    scanned: int
    expected: int
    missing: int

    @property
    def progress(self) -> int:
        found = self.expected - self.missing
        return min(100, found * 100 // self.expected) if self.expected else 100

    @property
    def missing_count(self) -> int:
        return self.missing


def summaries(inventories: list[Inventory]) -> list[tuple[Inventory, Summary]]:
    """Each inventory's figures, reading each library's items once however many sections."""
    scans: dict[int, list[int | None]] = defaultdict(list)
    for inventory_id, item_id in Scan.objects.filter(inventory__in=inventories).values_list(
        "inventory_id", "item_id"
    ):
        scans[inventory_id].append(item_id)
    items: dict[int, list[Item]] = {}
    out = []
    for inventory in inventories:
        if inventory.library_id not in items:
            items[inventory.library_id] = _library_items(inventory.library_id)
        wanted = expected(inventory, items[inventory.library_id])
        seen = set(scans[inventory.pk])
        missing = sum(1 for i in wanted if i.pk not in seen and _expected_on_shelf(inventory, i))
        out.append((inventory, Summary(len(scans[inventory.pk]), len(wanted), missing)))
    return out


def progress(inventory: Inventory) -> Summary:
    """The figures shown at the shelf after each scan, counted by the database over the items
    listed when the section started (the full report, on demand, reads them again). The
    list is read from the inventory's row by the database, not sent back to it as thousands
    of parameters."""
    if inventory.section_items is None:
        inventory.section_items = section_ids(inventory)
        inventory.save(update_fields=["section_items"])
    listed = (
        "SELECT (jsonb_array_elements_text(section_items::jsonb))::bigint "
        "FROM inventory_inventory WHERE id = %s"
        if connection.vendor == "postgresql"
        else "SELECT j.value FROM inventory_inventory i, json_each(i.section_items) j "
        "WHERE i.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM catalogue_item WHERE id IN ({listed}) AND status = %s "
            "AND current_id = %s AND id NOT IN (SELECT item_id FROM inventory_scan "
            "WHERE inventory_id = %s AND item_id IS NOT NULL)",
            [inventory.pk, ItemStatus.AVAILABLE, inventory.library_id, inventory.pk],
        )
        missing = cursor.fetchone()[0]
    return Summary(inventory.scans.count(), len(inventory.section_items), missing)


@dataclass(frozen=True)
class ScanResult:
    kind: str  # ok, repeated, unknown, anomaly, outside
    message: str
    item: Item | None = None


def _open(inventory: Inventory) -> None:
    inventory.refresh_from_db(fields=["state"])  # closed meanwhile by someone else?
    if inventory.state != Inventory.State.OPEN:
        raise InventoryError("inventory_closed", _("This inventory is closed."), kind=Kind.CONFLICT)


def scan(actor, inventory: Inventory, barcode: str) -> ScanResult:
    """One barcode read at the shelf. Reading it twice changes nothing."""
    require(actor, Action.CIRCULATE, inventory.library)
    _open(inventory)
    barcode = (barcode or "").strip()
    if not barcode:
        raise InventoryError("barcode_missing", _("Scan a barcode."), kind=Kind.INVALID)
    item = Item.objects.filter(barcode=barcode).select_related("record", "home").first()
    try:
        with transaction.atomic():
            Scan.objects.create(inventory=inventory, barcode=barcode[:100], item=item)
    except IntegrityError:
        return ScanResult(
            "repeated", _("%(barcode)s: already scanned.") % {"barcode": barcode}, item
        )
    return describe(inventory, barcode, item)


def describe(inventory: Inventory, barcode: str, item: Item | None) -> ScanResult:
    if item is None:
        return ScanResult(
            "unknown", _("%(barcode)s: no item has this barcode.") % {"barcode": barcode}
        )
    problem = anomaly(inventory, item)
    if problem:
        return ScanResult("anomaly", f"{barcode} : {problem}", item)
    if not _in_section(inventory, item.call_number, item.location):
        return ScanResult(
            "outside",
            _("%(barcode)s (%(call)s) is not of this section: put it back in its place.")
            % {"barcode": barcode, "call": item.call_number or "—"},
            item,
        )
    return ScanResult("ok", f"{barcode} — {item.record.title}", item)


def anomaly(inventory: Inventory, item: Item) -> str:
    """What the catalogue says wrong of an item found on this shelf, or ""."""
    if item.status == ItemStatus.WITHDRAWN:
        return _("withdrawn from the collection, yet on the shelf")
    if item.status != ItemStatus.AVAILABLE:
        return _("recorded as %(status)s") % {"status": item.get_status_display()}
    if item.home_id != inventory.library_id:
        return _("belongs to %(library)s") % {"library": item.home.name}
    if item.current_id != inventory.library_id:
        return _("recorded at another library")
    return ""


def _misfiled(scanned: list[Item]) -> set[int]:
    """Items out of order: those outside a longest run of scanned items in call-number order
    (patience sorting, n log n: the page after each scan computes it)."""
    keys = [call_key(i.call_number) for i in scanned]
    tails: list[tuple] = []  # the smallest last key of a run of each length
    ends: list[int] = []  # the index of that last item
    before = [-1] * len(keys)
    for j, key in enumerate(keys):
        length = bisect_right(tails, key)
        before[j] = ends[length - 1] if length else -1
        if length == len(tails):
            tails.append(key)
            ends.append(j)
        else:
            tails[length], ends[length] = key, j
    in_order: set[int] = set()
    j = ends[-1] if ends else -1
    while j >= 0:
        in_order.add(scanned[j].pk)
        j = before[j]
    return {i.pk for i in scanned} - in_order


@dataclass
class Report:
    expected: int
    scanned: int
    unknown: list[str] = field(default_factory=list)
    anomalies: list[tuple[Item, str]] = field(default_factory=list)
    outside: list[Item] = field(default_factory=list)
    misfiled: list[Item] = field(default_factory=list)
    missing: list[Item] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return Summary(self.scanned, self.expected, len(self.missing)).progress

    @property
    def missing_count(self) -> int:
        return len(self.missing)


def report(inventory: Inventory, *, live: bool = False) -> Report:
    """What the scans say against the section (`live`: the section read from the whole stock
    again, see `expected`)."""
    scans = list(inventory.scans.select_related("item__record", "item__home"))
    wanted = expected(inventory, live=live)
    seen = {s.item_id for s in scans if s.item_id}
    found = Report(expected=len(wanted), scanned=len(scans))
    shelf_order = []
    section = _Section(inventory)
    for s in scans:
        if s.item is None:
            found.unknown.append(s.barcode)
            continue
        problem = anomaly(inventory, s.item)
        if problem:
            found.anomalies.append((s.item, problem))
        if not section.holds(s.item.call_number, s.item.location):
            found.outside.append(s.item)
        else:
            shelf_order.append(s.item)
    out_of_order = _misfiled(shelf_order)
    found.misfiled = [i for i in shelf_order if i.pk in out_of_order]
    # Expected on the shelf: on it per the catalogue (not lent, travelling or kept for a hold).
    found.missing = sorted(
        (i for i in wanted if i.pk not in seen and _expected_on_shelf(inventory, i)),
        key=lambda i: call_key(i.call_number),
    )
    return found


def fix(actor, inventory: Inventory, item: Item) -> CheckinResult:
    """Put right what the catalogue says of an item found on the shelf: a check-in here (it
    closes a loan, receives a transfer, finds a lost item, and says where it goes)."""
    _open(inventory)
    if not Scan.objects.filter(inventory=inventory, item=item).exists():
        raise InventoryError(
            "not_scanned", _("Only an item scanned in this inventory can be put right here.")
        )
    return checkin(actor, inventory.library, item.barcode)


def scan_file(actor, inventory: Inventory, lines: Iterable[str]) -> dict[str, int]:
    """A portable reader's file: one barcode a line; blank lines skipped."""
    counts = {"read": 0, "unknown": 0, "repeated": 0}
    for line in lines:
        barcode = line.strip().split(";")[0].split(",")[0].strip()
        if not barcode:
            continue
        result = scan(actor, inventory, barcode)
        counts["read"] += 1
        if result.kind in ("unknown", "repeated"):
            counts[result.kind] += 1
    return counts


def close(actor, inventory: Inventory, *, mark_missing: bool) -> int:
    """End the inventory; with `mark_missing`, the items expected but not found are recorded
    missing (through the item service). Returns how many were marked."""
    require(actor, Action.MANAGE, inventory.library)
    with transaction.atomic():
        inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
        _open(inventory)
        marked = 0
        if mark_missing:
            note = _("Inventory « %(name)s »") % {"name": inventory.name}
            for item in report(inventory, live=True).missing:
                try:
                    with transaction.atomic():
                        item_service.mark_missing(actor, item.pk, note=note)
                        marked += 1
                except ItemError:
                    continue  # lent or moved since the report: not missing after all
        inventory.state = Inventory.State.CLOSED
        inventory.closed_at = timezone.now()
        inventory.save(update_fields=["state", "closed_at"])
        audit(
            "inventory_closed",
            inventory,
            actor=actor,
            library=inventory.library,
            details={"marked_missing": marked},
        )
    return marked
