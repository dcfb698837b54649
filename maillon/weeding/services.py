"""Weeding campaigns: propose, review at the shelf, confirm once.

Every change of an item goes through maillon.catalogue.items (withdraw, mark_damaged); this
module decides which items and records why. Protected, never proposed: items not on a shelf
(on loan, in transit, kept for a hold), items a hold waits for, local and heritage collections,
and the departmental library's items lent on deposit (their owner decides: ``md_stock``). The
network's last copy of a record is proposed but withdrawn only with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, DateField, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.items import Destination, ItemError
from maillon.catalogue.models import GONE_STATUSES, CollectionKind, Item, ItemStatus, md_stock
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.weeding.models import (
    Campaign,
    Candidate,
    Criterion,
    Decision,
    DestinationRefusal,
    Ioupi,
    Offer,
    OfferPeriod,
)
from maillon.weeding.rules import Facts, RuleBook, dewey_class, reasons
from maillon.workshop import services as workshop

# Items on a shelf; the rest is elsewhere and not weeded now.
ON_SHELF = (ItemStatus.AVAILABLE, ItemStatus.DAMAGED)
PROTECTED_COLLECTIONS = (CollectionKind.LOCAL, CollectionKind.HERITAGE)


def _md_deposit(library: Library) -> Q:
    """The MD's items at `library`: the MD weeds them, not the library."""
    return md_stock() & ~Q(owner=library)


# How long an item is offered when neither the network nor the library set a period.
FALLBACK_OFFER_DAYS = 30


# The catalogue's withdrawal reason for each IOUPI letter.
WITHDRAWAL_REASON = {
    Ioupi.INCORRECT: "outdated",
    Ioupi.ORDINARY: "other",
    Ioupi.WORN: "worn",
    Ioupi.OUTDATED: "outdated",
    Ioupi.INADEQUATE: "other",
}


class WeedingError(DomainError):
    """A refused weeding operation."""


@dataclass(frozen=True)
class Proposal:
    item_id: int
    record_id: int
    criterion_id: int
    reasons: dict[str, int]
    dewey: str


def _held_records(record_ids: Iterable[int]) -> set[int]:
    return set(
        Hold.objects.filter(record_id__in=list(record_ids), status__in=ACTIVE_HOLD_STATUSES)
        .values_list("record_id", flat=True)
        .distinct()
    )


def _in_range(dewey: str, start: str, end: str) -> bool:
    if not start:
        return True
    return bool(dewey) and start <= dewey <= (end or start)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class _Rules:
    """The criterion of each kind of item, looked up once per kind (a few hundred kinds for a
    hundred thousand items), with the two thresholds it proposes from: published in or before
    a year, last used on or before a day."""

    def __init__(self, library_id: int, today: dt.date) -> None:
        self.book, self.today = RuleBook(library_id), today
        self.cache: dict[tuple, tuple[Criterion | None, int | None, dt.date | None]] = {}

    def lookup(
        self, dewey: str, audience: str, doc_type: str, item_type_id: int
    ) -> tuple[Criterion | None, int | None, dt.date | None]:
        key = (dewey, audience, doc_type, item_type_id)
        found = self.cache.get(key)
        if found is None:
            criterion = self.book.criterion_for(
                Facts(dewey, audience, doc_type, item_type_id, None, self.today, 0)
            )
            x = criterion.years_since_publication if criterion else None
            y = criterion.years_without_loan if criterion else None
            found = (
                criterion,
                None if x is None else self.today.year - x,
                None if y is None else _years_before(self.today, y),
            )
            self.cache[key] = found
        return found


def propose(
    library: Library, today: dt.date, *, dewey_from: str = "", dewey_to: str = ""
) -> list[Proposal]:
    """The items of `library` the criteria propose today, with their reasons.

    One pass over the library's shelf, read as plain tuples with the day of last use worked
    out by the database (last loan, else acquisition, else entry in the catalogue, in local
    time): a hundred thousand items is a second, not a model object each."""
    rules = _Rules(library.pk, today)
    local = timezone.get_current_timezone()
    rows = (
        Item.objects.filter(home=library, current=library, status__in=ON_SHELF)
        .exclude(collection__kind__in=PROTECTED_COLLECTIONS)
        .exclude(_md_deposit(library))
        .annotate(
            last_use=Coalesce(
                TruncDate("last_loan_at", tzinfo=local),
                "acquired_on",
                TruncDate("created_at", tzinfo=local),
                output_field=DateField(),
            )
        )
        .values_list(
            "pk",
            "record_id",
            "call_number",
            "audience",
            "item_type_id",
            "loan_count",
            "last_use",
            "record__classification",
            "record__doc_type",
            "record__year",
        )
        .iterator(chunk_size=5000)
    )
    found = []
    deweys: dict[tuple[str, str], str] = {}  # call numbers repeat: one regex each
    for pk, record_id, call, audience, item_type_id, loans, last_use, klass, doc, year in rows:
        dewey = deweys.get((klass, call))
        if dewey is None:
            dewey = deweys[klass, call] = dewey_class(klass, call)
        if dewey_from and not _in_range(dewey, dewey_from, dewey_to):
            continue
        criterion, published_by, used_by = rules.lookup(dewey, audience, doc, item_type_id)
        if criterion is None:
            continue
        if (published_by is not None and year is not None and year <= published_by) or (
            used_by is not None and last_use <= used_by
        ):
            facts = Facts(dewey, audience, doc, item_type_id, year, last_use, loans)
            found.append(
                Proposal(pk, record_id, criterion.pk, reasons(criterion, facts, today), dewey)
            )
    held = set()
    for start in range(0, len(found), 1000):
        held |= _held_records(p.record_id for p in found[start : start + 1000])
    return [p for p in found if p.record_id not in held]


def copies_elsewhere(record_ids: list[int], library: Library) -> dict[int, tuple[int, int]]:
    """record → (copies not gone in the whole network, of which at other libraries)."""
    counts: dict[int, tuple[int, int]] = {}
    for start in range(0, len(record_ids), 1000):
        chunk = record_ids[start : start + 1000]
        for row in (
            Item.objects.filter(record_id__in=chunk)
            .exclude(status__in=GONE_STATUSES)
            .values("record_id")
            .annotate(total=Count("pk"), elsewhere=Count("pk", filter=~Q(home=library)))
        ):
            counts[row["record_id"]] = (row["total"], row["elsewhere"])
    return counts


def create_campaign(
    actor,
    library: Library,
    name: str,
    *,
    dewey_from: str = "",
    dewey_to: str = "",
    offer_destination: str = "donated",
    today: dt.date | None = None,
) -> Campaign:
    """A campaign in review with the items the criteria propose; `offer_destination`: where
    the items offered to the network go if nobody claims them. Codes: name_missing,
    dewey_invalid, destination_missing."""
    require(actor, Action.MANAGE, library)
    today = today or timezone.localdate()
    name = (name or "").strip()
    if not name:
        raise WeedingError(
            "name_missing", _("Give the campaign a name."), field="name", kind=Kind.INVALID
        )
    for value, field in ((dewey_from, "dewey_from"), (dewey_to, "dewey_to")):
        if value and not (len(value) == 3 and value.isdigit()):
            raise WeedingError(
                "dewey_invalid",
                _("A Dewey class is three digits (e.g. 640)."),
                field=field,
                kind=Kind.INVALID,
            )
    if offer_destination not in dict(Destination.CHOICES):
        raise WeedingError(
            "destination_missing",
            _("Choose where the offered items nobody claims go."),
            field="offer_destination",
            kind=Kind.INVALID,
        )
    if dewey_from and dewey_to and dewey_to < dewey_from:
        raise WeedingError(
            "dewey_invalid",
            _("The range ends before it starts."),
            field="dewey_to",
            kind=Kind.INVALID,
        )
    proposals = propose(library, today, dewey_from=dewey_from, dewey_to=dewey_to or dewey_from)
    copies = copies_elsewhere(sorted({p.record_id for p in proposals}), library)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            library=library,
            name=name[:200],
            dewey_from=dewey_from,
            dewey_to=dewey_to or dewey_from,
            offer_destination=offer_destination,
            created_by=actor,
            stock_by_class=stock_by_class(library),
        )
        Candidate.objects.bulk_create(
            [
                Candidate(
                    campaign=campaign,
                    item_id=p.item_id,
                    criterion_id=p.criterion_id,
                    reasons={**p.reasons, "elsewhere": copies.get(p.record_id, (1, 0))[1]},
                    last_copy=copies.get(p.record_id, (1, 0))[0] <= 1,
                )
                for p in proposals
            ],
            batch_size=1000,
        )
        audit(
            "weeding_campaign_created",
            campaign,
            actor=actor,
            library=library,
            details={"candidates": len(proposals)},
        )
    return campaign


def _open(campaign: Campaign) -> None:
    if campaign.state != Campaign.State.REVIEW:
        raise WeedingError(
            "campaign_confirmed",
            _("This campaign is already confirmed: nothing changes any more."),
            kind=Kind.CONFLICT,
        )


def find_by_scan(actor, campaign: Campaign, barcode: str) -> Candidate:
    """The candidate of the scanned item; an item of the library that the list does not hold
    is added (a librarian or volunteer found it at the shelf). Codes: unknown_barcode,
    other_library, not_on_shelf, protected_collection, campaign_confirmed."""
    require(actor, Action.CIRCULATE, campaign.library)
    barcode = (barcode or "").strip()
    item = Item.objects.filter(barcode=barcode).select_related("collection", "home").first()
    if item is None:
        raise WeedingError(
            "unknown_barcode",
            _("No item has the barcode %(barcode)s.") % {"barcode": barcode},
            field="barcode",
            kind=Kind.NOT_FOUND,
        )
    found = Candidate.objects.filter(campaign=campaign, item=item).first()
    if found is not None:
        return found
    _open(campaign)
    if item.home_id != campaign.library_id:
        raise WeedingError(
            "other_library",
            _("The item %(barcode)s belongs to %(library)s, not to this campaign's library.")
            % {"barcode": barcode, "library": item.home.name},
            field="barcode",
        )
    if item.collection and item.collection.kind in PROTECTED_COLLECTIONS:
        raise WeedingError(
            "protected_collection",
            _("The item %(barcode)s is in the collection « %(collection)s », never weeded.")
            % {"barcode": barcode, "collection": item.collection.name},
            field="barcode",
        )
    if Item.objects.filter(_md_deposit(campaign.library), pk=item.pk).exists():
        raise WeedingError(
            "md_deposit",
            _("The item %(barcode)s is lent on deposit by %(library)s: only its owner weeds it.")
            % {"barcode": barcode, "library": item.owner.name},
            field="barcode",
        )
    if item.status not in ON_SHELF:
        raise WeedingError(
            "not_on_shelf",
            _("The item %(barcode)s is %(status)s: check it in first.")
            % {"barcode": barcode, "status": item.get_status_display()},
            field="barcode",
        )
    total, elsewhere = copies_elsewhere([item.record_id], campaign.library).get(
        item.record_id, (1, 0)
    )
    candidate, _created = Candidate.objects.get_or_create(
        campaign=campaign,
        item=item,
        defaults={
            "added_by_scan": True,
            "last_copy": total <= 1,
            "reasons": {"loans": item.loan_count, "elsewhere": elsewhere},
        },
    )
    return candidate


def allowed_destinations(doc_type: str) -> list[tuple[str, str]]:
    refused = set(
        DestinationRefusal.objects.filter(doc_type=doc_type).values_list("destination", flat=True)
    )
    return [(code, str(label)) for code, label in Destination.CHOICES if code not in refused]


def decide(
    actor,
    candidate: Candidate,
    decision: str,
    *,
    ioupi: str = "",
    destination: str = "",
    override: str = "",
) -> Candidate:
    """Record what is decided for one item; nothing happens to it before the campaign is
    confirmed. A volunteer may propose (decide), a librarian confirms. Codes:
    campaign_confirmed, decision_unknown, destination_missing, destination_refused,
    last_copy."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=candidate.campaign_id)
        require(actor, Action.CIRCULATE, campaign.library)
        _open(campaign)
        candidate = Candidate.objects.select_related("item__record").get(pk=candidate.pk)
        if decision not in Decision.values:
            raise WeedingError("decision_unknown", _("Choose a decision."), kind=Kind.INVALID)
        if ioupi and ioupi not in Ioupi.values:
            raise WeedingError("ioupi_unknown", _("Unknown IOUPI reason."), kind=Kind.INVALID)
        override = (override or "").strip()
        if decision == Decision.WITHDRAW:
            _check_withdrawal(candidate, destination, override)
        else:
            destination = override = ""
        candidate.decision = decision
        candidate.ioupi = ioupi
        candidate.destination = destination
        candidate.override = override[:300]
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.save()
    return candidate


def _check_withdrawal(candidate: Candidate, destination: str, override: str) -> None:
    doc_type = candidate.item.record.doc_type
    if destination not in dict(Destination.CHOICES):
        raise WeedingError(
            "destination_missing",
            _("Choose where the withdrawn item goes."),
            field="destination",
            kind=Kind.INVALID,
        )
    refusal = DestinationRefusal.objects.filter(doc_type=doc_type, destination=destination).first()
    if refusal is not None:
        raise WeedingError("destination_refused", refusal.why, field="destination")
    if candidate.last_copy and not override:
        raise WeedingError(
            "last_copy",
            _(
                "The item %(barcode)s is the network's last copy of this record: offer it to "
                "the network, or give the reason for withdrawing it."
            )
            % {"barcode": candidate.item.barcode},
            field="override",
        )


@dataclass
class Confirmation:
    withdrawn: int
    repair: int
    offered: int
    kept: int
    not_done: list[Candidate]


def confirm(actor, campaign: Campaign) -> Confirmation:
    """Carry out the decisions, once: withdrawals through the item service, repairs marked.
    An item whose state changed meanwhile (lent, withdrawn elsewhere, now the last copy) is
    left as it is, with why, and the others go ahead. Codes: campaign_confirmed,
    nothing_decided."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require(actor, Action.MANAGE, campaign.library)
        _open(campaign)
        candidates = list(
            campaign.candidates.select_related("item__record").exclude(decision=Decision.PENDING)
        )
        if not candidates:
            raise WeedingError("nothing_decided", _("No item has a decision yet."))
        counts: Counter[str] = Counter()
        not_done = []
        for candidate in candidates:
            outcome = _carry_out(actor, campaign, candidate)
            if outcome:
                candidate.outcome = outcome[:300]
                candidate.save(update_fields=["outcome"])
                not_done.append(candidate)
            else:
                counts[candidate.decision] += 1
        open_offers(campaign, timezone.localdate())
        year = timezone.localdate().year
        done_this_year = Campaign.objects.filter(
            library=campaign.library, state=Campaign.State.CONFIRMED, confirmed_at__year=year
        ).count()
        campaign.state = Campaign.State.CONFIRMED
        campaign.confirmed_by = actor
        campaign.confirmed_at = timezone.now()
        campaign.number = f"{year}-{done_this_year + 1:02d}"
        campaign.save()
        audit(
            "weeding_campaign_confirmed",
            campaign,
            actor=actor,
            library=campaign.library,
            details={"withdrawn": counts[Decision.WITHDRAW], "not_done": len(not_done)},
        )
    return Confirmation(
        counts[Decision.WITHDRAW],
        counts[Decision.REPAIR],
        counts[Decision.OFFER],
        counts[Decision.KEEP],
        not_done,
    )


def offer_days(library: Library | int) -> int:
    """How long `library`'s offers wait for a claim: its own period, else the network's."""
    library_id: int = library.pk if isinstance(library, Library) else library
    periods: dict[int | None, int] = dict(
        OfferPeriod.objects.filter(Q(library_id=library_id) | Q(library__isnull=True)).values_list(
            "library_id", "days"
        )
    )
    return periods.get(library_id) or periods.get(None) or FALLBACK_OFFER_DAYS


def open_offers(campaign: Campaign, today: dt.date) -> int:
    """The campaign's "offer" decisions put on the network's list, in its confirmation's
    transaction (maillon.weeding.offers does the rest). Returns how many."""
    days = offer_days(campaign.library_id)
    offers = Offer.objects.bulk_create(
        Offer(
            candidate=c,
            item_id=c.item_id,
            library_id=campaign.library_id,
            offered_on=today,
            expires_on=today + dt.timedelta(days=days),
            destination=campaign.offer_destination,
        )
        for c in campaign.candidates.filter(decision=Decision.OFFER, outcome="")
    )
    return len(offers)


def _carry_out(actor, campaign: Campaign, candidate: Candidate) -> str:
    """Do what was decided for one item; the reason it could not be done, or ""."""
    note = _("Weeding « %(name)s »") % {"name": campaign.name}
    try:
        with transaction.atomic():  # one item's failure leaves the others alone
            if candidate.decision == Decision.WITHDRAW:
                if not candidate.override and _is_last_copy(candidate.item):
                    return _("now the network's last copy: give a reason to withdraw it")
                item_service.withdraw(
                    actor,
                    candidate.item_id,
                    reason=_withdrawal_reason(candidate),
                    destination=candidate.destination,
                    note=" — ".join(filter(None, [note, candidate.override])),
                )
            elif candidate.decision == Decision.REPAIR:
                item_service.mark_damaged(actor, candidate.item_id, note=note)
                _to_the_workshop(actor, campaign, candidate, note)
    except ItemError as error:
        return error.message
    return ""


def _to_the_workshop(actor, campaign: Campaign, candidate: Candidate, note: str) -> None:
    """A damaged item goes to the network's workshop when there is one (by the shuttle, or
    straight into its queue); without one it stays damaged on its shelf."""
    try:
        with transaction.atomic():
            workshop.send(actor, campaign.library, candidate.item.barcode, "repair", note=note)
    except (workshop.WorkshopError, CirculationError):
        pass


def _is_last_copy(item: Item) -> bool:
    others = Item.objects.filter(record_id=item.record_id).exclude(pk=item.pk)
    return not others.exclude(status__in=GONE_STATUSES).exists()


def _withdrawal_reason(candidate: Candidate) -> str:
    if candidate.ioupi:
        return WITHDRAWAL_REASON[Ioupi(candidate.ioupi)]
    return "unused" if "idle" in candidate.reasons else "outdated"


@dataclass(frozen=True)
class ClassCount:
    dewey: str  # the hundred: "600"; "" for items without a Dewey number
    proposed: int
    stock: int


def _hundred(classification: str, call_number: str) -> str:
    dewey = dewey_class(classification, call_number)
    return dewey[:1] + "00" if dewey else ""


def stock_by_class(library: Library) -> dict[str, int]:
    """The library's items (not gone) per Dewey hundred: read once, when a campaign is made."""
    stock: Counter[str] = Counter()
    for classification, call_number in (
        Item.objects.filter(home=library)
        .exclude(status__in=GONE_STATUSES)
        .values_list("record__classification", "call_number")
        .iterator(chunk_size=5000)
    ):
        stock[_hundred(classification, call_number)] += 1
    return dict(stock)


def counts_by_class(campaign: Campaign) -> list[ClassCount]:
    """Proposed items per Dewey hundred against the library's stock in that hundred when the
    campaign was made (the review page is shown after each scan: no scan of the stock there)."""
    proposed: Counter[str] = Counter(
        _hundred(classification, call_number)
        for classification, call_number in campaign.candidates.values_list(
            "item__record__classification", "item__call_number"
        )
    )
    stock = campaign.stock_by_class
    return [
        ClassCount(d, proposed[d], stock.get(d, 0))
        for d in sorted(proposed, key=lambda d: d or "z")
    ]


def may_confirm(user, campaign: Campaign) -> bool:
    return campaign.state == Campaign.State.REVIEW and can(user, Action.MANAGE, campaign.library)


def candidate_table(library: Library, today: dt.date) -> list[list[object]]:
    """What a campaign would propose today, as a table (header first), without creating one."""
    proposals = propose(library, today)
    copies = copies_elsewhere(sorted({p.record_id for p in proposals}), library)
    items: dict[int, tuple[str, str, str, int | None]] = {}
    ids = [p.item_id for p in proposals]
    for start in range(0, len(ids), 1000):  # the columns shown only: no model objects
        for pk, *shown in Item.objects.filter(pk__in=ids[start : start + 1000]).values_list(
            "pk", "barcode", "call_number", "record__title", "record__year"
        ):
            items[pk] = tuple(shown)  # type: ignore[assignment]
    criteria = {c.pk: c for c in RuleBook(library.pk).rows}
    rows: list[list[object]] = [
        [
            _("Barcode"),
            _("Call number"),
            _("Title"),
            _("Year"),
            _("Criterion"),
            _("Years since publication"),
            _("Years without a loan"),
            _("Loans"),
            _("Copies elsewhere"),
            _("Last copy in the network"),
        ]
    ]
    for p in sorted(proposals, key=lambda p: (items[p.item_id][1], p.item_id)):
        barcode, call_number, title, year = items[p.item_id]
        total, elsewhere = copies.get(p.record_id, (1, 0))
        criterion = criteria[p.criterion_id]
        rows.append(
            [
                barcode,
                call_number,
                title,
                year,
                f"{criterion.label} ({criterion.formula})",
                p.reasons.get("age"),
                p.reasons.get("idle"),
                p.reasons.get("loans"),
                elsewhere,
                _("yes") if total <= 1 else _("no"),
            ]
        )
    return rows
