"""Proposals from usage (force de proposition): what to move and why, read from the loans,
holds and shelves, for one library.

Three kinds:
* idle here, wanted elsewhere — a copy on this library's shelves not lent for N months whose
  record was lent at another library in that time, or is waited for by holds: send it there;
* low stock of a kind — an item type this library lends much more per copy than the network
  does: idle copies of that type at the library that lends it least, to bring here;
* long hold queues — a record with at least a few holds waiting, and idle copies elsewhere:
  send one to where the first waiting hold is picked up.

Each proposal names an item, where it stands, where it should go and why; the page offers to put
it in a lot there or to send it (its home becomes the library it goes to).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from maillon.catalogue import items as item_service
from maillon.catalogue.models import ON_SHELF_OR_LENT, Item, ItemStatus
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.circulation.transfers import create_transfer
from maillon.lots.models import LotItem
from maillon.network.models import Library
from maillon.rotation import kinds as kind_loans

IDLE = "idle"
LOW_STOCK = "low_stock"
QUEUE = "queue"
# A record's queue is long from this many waiting holds; a kind's stock is low when the library
# lends it this many times more per copy than the network.
LONG_QUEUE = 3
LOW_STOCK_RATIO = 1.5
LIMIT = 50  # proposals of each kind on the page
# Idle copies of the library looked at, at most 5000 in all, read in batches of these sizes.
IDLE_BATCHES = (200, 800, 1000, 1000, 1000, 1000)
ID_CHUNK = 5000  # item ids per statement (SQLite takes at most 32766 parameters)


@dataclass
class Proposal:
    kind: str
    item: Item
    to_library: Library
    why: str


def _since(months: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(months * 30.44))


def _idle(since: dt.datetime):
    """Copies on their own shelves, not lent since `since`, in no lot. Never lent: idle unless
    acquired since (an imported catalogue's items are as old as their acquisition, not the
    import)."""
    never_lent = Q(last_loan_at__isnull=True) & (
        Q(acquired_on__isnull=True) | Q(acquired_on__lt=since.date())
    )
    return (
        Item.objects.filter(status=ItemStatus.AVAILABLE, current=F("home"))
        .filter(Q(last_loan_at__lt=since) | never_lent)
        .exclude(pk__in=LotItem.objects.values("item"))
    )


def proposals(library: Library, months: int = 12) -> list[Proposal]:
    """What to move to or from `library`, with why (French first)."""
    since = _since(months)
    libraries = {lib.pk: lib for lib in Library.objects.all()}
    found: list[Proposal] = []
    found += _idle_here(library, since, months, libraries)
    found += _low_stock(library, since, months, libraries)
    found += _queues(library, since, libraries)
    return found


def _idle_here(
    library: Library, since: dt.datetime, months: int, libraries: dict[int, Library]
) -> list[Proposal]:
    # The copies as (id, record), most idle first, a batch at a time until enough are wanted
    # elsewhere (the first batch mostly suffices): each batch's records are looked up alone,
    # through their copies' loans, not the period's loans. Only the chosen are read whole.
    idle = (
        _idle(since)
        .filter(home=library, current=library)
        .order_by("last_loan_at", "pk")
        .values_list("pk", "record_id")
    )
    chosen: list[tuple[int, Library, str]] = []
    start = 0
    for size in IDLE_BATCHES:
        batch = list(idle[start : start + size])
        start += size
        chosen += _wanted_elsewhere(library, batch, since, months, libraries, LIMIT - len(chosen))
        if len(chosen) >= LIMIT or len(batch) < size:
            break
    items = Item.objects.select_related("record").in_bulk([pk for pk, _to, _why in chosen])
    return [Proposal(IDLE, items[pk], to, why) for pk, to, why in chosen]


def _wanted_elsewhere(
    library: Library,
    idle: list[tuple[int, int]],
    since: dt.datetime,
    months: int,
    libraries: dict[int, Library],
    limit: int,
) -> list[tuple[int, Library, str]]:
    """The first `limit` of these idle (copy, record) whose record has holds waiting at
    another library (sent to the first one's pickup) or was lent elsewhere since `since`
    (sent where it was lent most), with why."""
    records = {record_id for _pk, record_id in idle}
    # The records' copies first, then their loans by item: joined in one statement, the
    # database read every loan of the period to hash them.
    record_of = dict(Item.objects.filter(record_id__in=records).values_list("pk", "record_id"))
    copies = list(record_of)
    by_library: Counter[tuple[int, int]] = Counter()  # (record, library) → loans there
    for low in range(0, len(copies), ID_CHUNK):
        for item_id, library_id, n in (
            Loan.objects.filter(item_id__in=copies[low : low + ID_CHUNK], checked_out_at__gte=since)
            .exclude(library=library)
            .values_list("item_id", "library_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            by_library[(record_of[item_id], library_id)] += n
    # record → (loans, library) where it was lent most, by another library
    lent: dict[int, tuple[int, int]] = {}
    for (record_id, library_id), n in by_library.items():
        lent[record_id] = max(lent.get(record_id, (0, 0)), (n, library_id))
    waiting: dict[int, tuple[int, int]] = {}  # record → (holds, pickup of the first)
    for hold in (
        Hold.objects.filter(record_id__in=records, status=HoldStatus.WAITING)
        .exclude(pickup_library=library)
        .order_by("created_at")
        .values("record_id", "pickup_library_id")
    ):
        count, pickup = waiting.get(hold["record_id"], (0, hold["pickup_library_id"]))
        waiting[hold["record_id"]] = (count + 1, pickup)
    chosen: list[tuple[int, Library, str]] = []
    for pk, record_id in idle:
        if len(chosen) >= limit:
            break
        if record_id in waiting:
            count, pickup = waiting[record_id]
            why = _("Not lent here for %(months)s months; %(count)s holds wait for it.") % {
                "months": months,
                "count": count,
            }
            chosen.append((pk, libraries[pickup], why))
        else:
            best = lent.get(record_id)
            if best is None:
                continue
            n, home = best
            why = _("Not lent here for %(months)s months; lent %(count)s times %(library)s.") % {
                "months": months,
                "count": n,
                "library": libraries[home].at_name,
            }
            chosen.append((pk, libraries[home], why))
    return chosen


def _low_stock(
    library: Library, since: dt.datetime, months: int, libraries: dict[int, Library]
) -> list[Proposal]:
    stock = _stock()
    loans = kind_loans.loans_by_kind(since)
    found: list[Proposal] = []
    kinds = {kind for (lib, kind) in loans if lib == library.pk}
    for kind in sorted(kinds):
        total_stock = sum(n for (_h, k), n in stock.items() if k == kind)
        total_loans = sum(n for (_l, k), n in loans.items() if k == kind)
        here_stock, here_loans = stock[(library.pk, kind)], loans[(library.pk, kind)]
        if not total_stock or not total_loans:
            continue
        network = total_loans / total_stock
        here = here_loans / max(here_stock, 1)
        if here < LOW_STOCK_RATIO * network:
            continue
        # The library lending this kind least per copy gives its idle copies.
        others = [
            (loans[(h, kind)] / n, h)
            for (h, k), n in stock.items()
            if k == kind and h != library.pk and n
        ]
        if not others:
            continue
        _rate, giver = min(others)
        why = _(
            "%(library)s lends this kind %(here)s times a copy in %(months)s months, the "
            "network %(network)s: its stock is low (%(stock)s copies, %(loans)s loans)."
        ) % {
            "library": libraries[library.pk].name,
            "here": number_format(here, 1),
            "network": number_format(network, 1),
            "months": months,
            "stock": here_stock,
            "loans": here_loans,
        }
        for item in (
            _idle(since).filter(home_id=giver, item_type_id=kind).select_related("record")[:10]
        ):
            found.append(Proposal(LOW_STOCK, item, library, why))
    return found[:LIMIT]


def _stock() -> Counter[tuple[int, int]]:
    """(home library id, item type id) → its copies on the shelves or lent, the network over:
    count(*), not of the ids, so that the database reads them from the index of these copies
    by home and item type alone."""
    return Counter(
        {
            (home, kind): n
            for home, kind, n in Item.objects.filter(status__in=ON_SHELF_OR_LENT)
            .values_list("home_id", "item_type_id")
            .annotate(n=Count("*"))
            .order_by()
        }
    )


def _queues(library: Library, since: dt.datetime, libraries: dict[int, Library]) -> list[Proposal]:
    """Records whose holds picked up here wait in a long queue, and idle copies elsewhere."""
    long = dict(
        Hold.objects.filter(status=HoldStatus.WAITING, pickup_library=library)
        .values_list("record_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=LONG_QUEUE)
    )
    if not long:
        return []
    found = []
    for item in (
        _idle(since)
        .filter(record_id__in=list(long))
        .exclude(home=library)
        .select_related("record")[:LIMIT]
    ):
        why = _("%(count)s holds wait for this title %(library)s; this copy is idle.") % {
            "count": long[item.record_id],
            "library": library.at_name,
        }
        found.append(Proposal(QUEUE, item, library, why))
    return found


def send(actor, item: Item, to_library: Library) -> None:
    """Carry out a proposal: the item now belongs to `to_library` and leaves by the shuttle
    (MANAGE at both homes, desk work where it is). Codes: as change_home and create_transfer."""
    with transaction.atomic():
        origin = item.current_id
        item_service.change_home(actor, item, to_library, note=_("proposal from usage"))
        create_transfer(actor, origin, item.barcode, to_library)
