"""Demo statistics: a believable activity for the last two years, so that each library's annual
report and the network's read like a real rural network's.

The desk's demo (circulation/demo.py) makes a few hundred loans through the services; a year of
a network is tens of thousands. These are written in bulk, as a migration from another system
would bring them: closed loans with the facts a checkout freezes, their renewals in the audit
log, and for documents fetched from another library a hold collected and a shuttle transfer.
No item changes state. Deterministic (a seeded generator); done once (its renewals, made by
the system, say it was).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from maillon.audit.models import ActorKind, AuditEntry
from maillon.catalogue.models import GONE_STATUSES, Item
from maillon.circulation.loans import statistics_key
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer, TransferReason
from maillon.network.models import Library, LibraryKind
from maillon.patrons.models import Patron, age_band

ENOUGH = 1000  # loans in the last year: already there
TURNOVER: dict[str, float] = {
    LibraryKind.HEAD: 2.4,
    LibraryKind.MEMBER: 1.8,
    LibraryKind.READING_POINT: 1.2,
}
ACTIVE_SHARE = 0.55  # of a library's patrons, borrowing in a year
FROM_ELSEWHERE = 0.08  # loans of a document fetched from another library by a hold
RENEWED = 0.15
NEIGHBOURS = 0.05  # loans to the few patrons who borrow all over the network
# Fewer loans in summer and at Christmas, more in autumn and in March.
MONTH_WEIGHT = [1.0, 1.05, 1.15, 1.0, 0.95, 0.9, 0.75, 0.6, 1.0, 1.1, 1.1, 0.85]


def _moment(rng: random.Random, year: int) -> dt.datetime:
    month = rng.choices(range(1, 13), weights=MONTH_WEIGHT)[0]
    day = dt.date(year, month, rng.randint(1, 28))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(9, 18), 0)))


def build_stats(today: dt.date) -> dict[str, int]:
    """Loans of the last two years for every library; returns how many were written."""
    last = today.year - 1
    done = AuditEntry.objects.filter(
        action="renewed", actor_kind=ActorKind.SYSTEM, at__year=last
    ).exists()
    if done or Loan.objects.filter(checked_out_at__year=last).count() >= ENOUGH:
        return {}
    rng = random.Random("maillon-demo-stats")
    made: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        made["items_dated"] = _date_the_collection(rng, last)
        for year, scale in ((last - 1, 0.93), (last, 1.0)):
            for key, n in _year(rng, year, scale, today).items():
                made[key] += n
    return dict(made)


def _date_the_collection(rng: random.Random, last: int) -> int:
    """The demo catalogue was loaded today: most of it was on the shelves long before, some
    was bought in each of the two years shown."""
    items = list(
        Item.objects.filter(created_at__year__gte=last - 1).only("pk", "created_at", "acquired_on")
    )
    for item in items:
        year = rng.choices((last - 6, last - 1, last), weights=(84, 8, 8))[0]
        item.created_at = _moment(rng, year)
        # The report counts an acquisition on its date: never after the item came in.
        came = timezone.localtime(item.created_at).date()
        if item.acquired_on is None or item.acquired_on > came:
            item.acquired_on = came
    Item.objects.bulk_update(items, ["created_at", "acquired_on"], batch_size=2000)
    return len(items)


def _year(rng: random.Random, year: int, scale: float, today: dt.date) -> dict[str, int]:
    libraries = list(Library.objects.filter(is_active=True).exclude(kind=LibraryKind.DEPARTMENTAL))
    items_at: dict[int, list[Item]] = defaultdict(list)
    for item in (
        Item.objects.filter(home__in=libraries)
        .exclude(status__in=GONE_STATUSES)
        .select_related("record", "owner", "item_type")
        .only(
            "pk",
            "home_id",
            "record__doc_type",
            "record_id",
            "audience",
            "owner__kind",
            "item_type__code",
        )
    ):
        items_at[item.home_id].append(item)
    patrons_of: dict[int, list[Patron]] = defaultdict(list)
    for patron in Patron.objects.filter(
        registered_on__lte=dt.date(year, 12, 31), expires_on__gte=dt.date(year, 1, 1)
    ).select_related("category"):
        patrons_of[patron.home_library_id].append(patron)
    active = {
        pk: rng.sample(patrons, max(1, int(len(patrons) * ACTIVE_SHARE)))
        for pk, patrons in patrons_of.items()
    }
    everyone = [patron for patrons in active.values() for patron in patrons]
    travellers = rng.sample(everyone, max(1, len(everyone) // 20))
    loans: list[Loan] = []
    fetched: list[tuple[Loan, Item]] = []
    for library in libraries:
        own, regulars = items_at[library.pk], active.get(library.pk)
        if not own or not regulars:
            continue
        # About 30 loans a year per active borrower, as the collection allows.
        count = int(min(len(own) * TURNOVER.get(library.kind, 1.5), len(regulars) * 30) * scale)
        others = [lib.pk for lib in libraries if lib.pk != library.pk and items_at[lib.pk]]
        for _n in range(count):
            elsewhere = others and rng.random() < FROM_ELSEWHERE
            item = rng.choice(items_at[rng.choice(others)] if elsewhere else own)
            # Some borrow in a second library of the network: one active borrower there.
            patron = rng.choice(travellers if rng.random() < NEIGHBOURS else regulars)
            loan = _loan(rng, year, library, item, patron, today)
            loans.append(loan)
            if elsewhere:
                fetched.append((loan, item))
    Loan.objects.bulk_create(loans, batch_size=2000)
    renewals = [
        AuditEntry(
            at=loan.checked_out_at + dt.timedelta(days=rng.randint(14, 20)),
            actor_kind=ActorKind.SYSTEM,
            library_id=loan.library_id,
            action="renewed",
            object_type="item",
            object_id=loan.item_id,
            details={"loan": loan.pk},
        )
        for loan in loans
        if rng.random() < RENEWED
    ]
    AuditEntry.objects.bulk_create(renewals, batch_size=2000)
    _holds_and_transfers(rng, fetched)
    return {"loans": len(loans), "renewals": len(renewals), "holds": len(fetched)}


def _loan(
    rng: random.Random, year: int, library: Library, item: Item, patron: Patron, today: dt.date
) -> Loan:
    at = _moment(rng, year)
    back = at + dt.timedelta(days=rng.randint(5, 40))
    return Loan(
        item=item,
        patron=patron,
        library=library,
        checked_out_at=at,
        due_on=(at + dt.timedelta(days=28)).date(),
        loan_days=28,
        returned_at=min(back, timezone.make_aware(dt.datetime.combine(today, dt.time(8)))),
        return_library=library,
        patron_category_code=patron.category.code,
        patron_age_band=age_band(patron.birth_date, at.date()),
        patron_home_library_id=patron.home_library_id,
        item_type_code=item.item_type.code,
        medium=item.record.doc_type,
        audience=item.audience,
        md_stock=item.owner.kind == LibraryKind.DEPARTMENTAL,
        patron_commune=patron.city.strip(),
        patron_key=statistics_key(patron.pk, year),
    )


def _holds_and_transfers(rng: random.Random, fetched: list[tuple[Loan, Item]]) -> None:
    """The document came from its home by the shuttle, for a hold collected at the loan."""
    holds, transfers = [], []
    for loan, item in fetched:
        ready = loan.checked_out_at - dt.timedelta(days=rng.randint(0, 5))
        placed = ready - dt.timedelta(days=rng.randint(3, 14))
        holds.append(
            Hold(
                record_id=item.record_id,
                patron=loan.patron,
                pickup_library_id=loan.library_id,
                created_at=placed,
                status=HoldStatus.FULFILLED,
                ready_at=ready,
                closed_at=loan.checked_out_at,
                patron_category_code=loan.patron_category_code,
            )
        )
        sent = placed + dt.timedelta(days=1)
        transfers.append(
            Transfer(
                item=item,
                from_library_id=item.home_id,
                to_library_id=loan.library_id,
                reason=TransferReason.HOLD,
                created_at=placed,
                sent_at=sent,
                received_at=ready,
                received_library_id=loan.library_id,
            )
        )
    Hold.objects.bulk_create(holds, batch_size=2000)
    Transfer.objects.bulk_create(transfers, batch_size=2000)
