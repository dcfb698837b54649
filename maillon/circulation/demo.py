"""Demo circulation: past loans, current loans (some overdue), holds waiting, travelling, ready.

Everything goes through the services, as at a real desk; only the loans' timestamps are moved
back afterwards (the services stamp "now"; the due dates already follow the `today=` given).
Deterministic (a seeded generator) and idempotent: if any loan exists, nothing is done.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus, ItemType
from maillon.circulation import services
from maillon.circulation.configuration import save_rule
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Loan, LoanRule
from maillon.network.models import Library, Role, StaffRole
from maillon.patrons.models import CategoryKind, Patron, PatronBlock, PatronCategory

HISTORY_LOANS = 240  # returned loans spread over the last two years
CURRENT_LOANS = 140  # open loans, lent over the last seven weeks (the oldest are overdue)
RETURNED_ELSEWHERE = 10  # returned today at another library: on their way home
HOLDS_WAITING = 10  # no copy on a shelf: the patron waits
HOLDS_TO_PULL = 8  # a copy sits on a shelf: on that library's pull list
HOLDS_TRAVELLING = 8  # the copy was pulled and is in the shuttle
HOLDS_READY = 8  # on the hold shelf of the pickup library


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _actor():
    """The network's coordinator works every desk; else any superuser."""
    role = (
        StaffRole.objects.filter(role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is not None:
        return role.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


# The rules a rural network typically writes: (library, category, item type) codes, None for
# any, then the conditions. Shorter loans for films and new titles, which stay home; longer ones
# for schools and childcare professionals; a small library lending its few DVDs for a week.
DEMO_RULES: list[tuple[str | None, str | None, str | None, dict]] = [
    (None, None, "DVD", {"loan_days": 14, "renewals": 1, "max_loans": 4}),
    (
        None,
        None,
        "NOUV",
        {
            "loan_days": 14,
            "renewals": 0,
            "may_travel": False,
            "note": "Nouveautés : ne circulent pas par la navette",
        },
    ),
    (None, None, "PER", {"loan_days": 14, "renewals": 1, "holds_allowed": False}),
    (None, None, "JEU", {"loan_days": 21, "renewals": 1, "max_loans": 2}),
    (None, None, "KIT", {"loan_days": 42, "renewals": 0, "hold_shelf_days": 15}),
    (
        None,
        "COL",
        None,
        {
            "loan_days": 42,
            "renewals": 1,
            "max_loans": 60,
            "note": "Écoles, EHPAD : prêts par caisse",
        },
    ),
    (None, "PRO", None, {"loan_days": 42, "renewals": 1, "max_loans": 30}),
    (
        "SEC",
        None,
        "DVD",
        {"loan_days": 7, "renewals": 0, "max_loans": 2, "note": "Petit fonds de DVD : une semaine"},
    ),
]


def seed_rules() -> int:
    """The demo network's loan rules, made by its coordinator through the service; only on a
    network that has the default rule alone (a coordinator's own rules are never touched)."""
    if LoanRule.objects.count() > 1:
        return 0
    actor = _actor()
    made = 0
    for library, category, item_type, terms in DEMO_RULES:
        wanted = {
            "library": (Library, library),
            "patron_category": (PatronCategory, category),
            "item_type": (ItemType, item_type),
        }
        scope = {
            field: model._default_manager.filter(code=code).first() if code else None
            for field, (model, code) in wanted.items()
        }
        if any(code and scope[field] is None for field, (_m, code) in wanted.items()):
            continue  # a code this network does not have
        save_rule(actor, LoanRule(**scope, **terms))
        made += 1
    return made


def build_circulation(today: dt.date) -> dict[str, int]:
    """Fill the demo network's desks; returns what was made (empty if loans already exist)."""
    if Loan.objects.exists():
        return {}
    actor = _actor()
    if actor is None:
        return {}
    rng = random.Random("maillon-demo-circulation")
    libraries = {lib.pk: lib for lib in Library.objects.filter(is_active=True)}
    blocked = PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
    patrons = list(
        Patron.objects.filter(expires_on__gte=today, home_library__in=libraries)
        .exclude(Exists(blocked))
        .select_related("category")
        .order_by("pk")
    )
    individuals = [p for p in patrons if p.category.kind != CategoryKind.COLLECTIVE]
    if not individuals:
        return {}
    items = list(
        Item.objects.filter(status=ItemStatus.AVAILABLE, current__in=libraries).order_by("pk")
    )
    if not items:
        return {}
    rng.shuffle(items)
    made = {
        "history": 0,
        "current": 0,
        "returned_elsewhere": 0,
        "waiting": 0,
        "to_pull": 0,
        "travelling": 0,
        "ready": 0,
    }

    def lend(patron, item, day, *, returned_on=None) -> Loan | None:
        library = libraries[item.current_id]
        try:
            loan = services.checkout(actor, library, patron, item, today=day)
        except CirculationError:
            return None
        fields = {"checked_out_at": _at(day, rng.randint(9, 17))}
        if returned_on is not None:
            services.checkin(actor, library, item, today=returned_on)
            fields["returned_at"] = _at(returned_on, rng.randint(9, 17))
        Loan.objects.filter(pk=loan.pk).update(**fields)
        return loan

    # Two years of history, returned where they were lent (back on the shelf).
    for _n in range(HISTORY_LOANS):
        day = today - dt.timedelta(days=rng.randint(30, 730))
        back = min(day + dt.timedelta(days=rng.randint(3, 35)), today - dt.timedelta(days=1))
        if lend(rng.choice(individuals), rng.choice(items), day, returned_on=back):
            made["history"] += 1

    # Current loans: the shuffled items, in order, so each is lent once.
    pool = iter(items)
    borrowers = individuals + [p for p in patrons if p.category.kind == CategoryKind.COLLECTIVE]
    current: list[Loan] = []
    for item in pool:
        if len(current) >= CURRENT_LOANS:
            break
        day = today - dt.timedelta(days=rng.randint(0, 50))
        loan = lend(rng.choice(borrowers), item, day)
        if loan is not None:
            current.append(loan)
    made["current"] = len(current)

    # Some come back today at another library: they travel home, half already in the shuttle.
    others = list(libraries.values())
    for loan in current[:RETURNED_ELSEWHERE]:
        elsewhere = [lib for lib in others if lib.pk != loan.library_id]
        desk = rng.choice(elsewhere)
        try:
            result = services.checkin(actor, desk, loan.item.barcode, today=today)
            if result.transfer is not None and rng.random() < 0.5:
                services.send_transfer(actor, desk, loan.item.barcode)
        except CirculationError:
            continue
        made["returned_elsewhere"] += 1

    # Holds. Waiting: on a document whose copies are all out.
    lent_records = [loan.item.record for loan in current[RETURNED_ELSEWHERE:]]
    for record in lent_records:
        if made["waiting"] >= HOLDS_WAITING:
            break
        if record.items.filter(status=ItemStatus.AVAILABLE).exists():
            continue
        if _hold(actor, rng.choice(individuals), record, today, libraries):
            made["waiting"] += 1

    # On a shelf elsewhere: pulled later, or pulled now (travelling), or already here (ready).
    shelf = [i for i in pool if i.status == ItemStatus.AVAILABLE]
    for item in shelf:
        if made["to_pull"] >= HOLDS_TO_PULL and made["travelling"] >= HOLDS_TRAVELLING:
            break
        item.refresh_from_db()
        if item.status != ItemStatus.AVAILABLE:
            continue
        patron = rng.choice([p for p in individuals if p.home_library_id != item.current_id])
        hold = _hold(actor, patron, item.record, today, libraries)
        if hold is None or hold.target_id != item.pk:
            continue
        if made["to_pull"] < HOLDS_TO_PULL:
            made["to_pull"] += 1
            continue
        try:
            services.checkin(actor, libraries[item.current_id], item, today=today)
            if made["travelling"] % 2 == 0:
                services.send_transfer(actor, libraries[item.current_id], item)
        except CirculationError:
            continue
        made["travelling"] += 1
    # The first reader whose hold is ready also has loans running, whatever the day: the demo
    # gives that reader an account that shows both.
    lending = set(
        Loan.objects.filter(returned_at=None, patron__category__kind=CategoryKind.ADULT)
        .filter(patron__expires_on__gte=today)
        .values_list("patron_id", flat=True)
    )
    for item in shelf:
        if made["ready"] >= HOLDS_READY:
            break
        item.refresh_from_db()
        if item.status != ItemStatus.AVAILABLE:
            continue
        here = [p for p in individuals if p.home_library_id == item.current_id]
        if made["ready"] == 0:
            here = [p for p in here if p.pk in lending] or here
        if not here:
            continue
        hold = _hold(actor, rng.choice(here), item.record, today, libraries)
        if hold is None or hold.target_id != item.pk:
            continue
        try:
            services.checkin(actor, libraries[item.current_id], item, today=today)
        except CirculationError:
            continue
        made["ready"] += 1
    return made


def _hold(actor, patron, record, today, libraries):
    """A hold placed at the patron's own library, picked up there; None if refused."""
    pickup = libraries.get(patron.home_library_id)
    if pickup is None:
        return None
    try:
        return services.place_hold(actor, pickup, patron, record, pickup, today=today)
    except CirculationError:
        return None
