"""Weeding campaigns: propose, review at the shelf, confirm once.

Every change of an item goes through maillon.catalogue.items (withdraw, mark_damaged); this
module decides which items and records why. What the criteria propose, and what is protected
from them, is maillon.weeding.candidates. The network's last copy of a record is proposed but
withdrawn only with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.items import Destination, ItemError
from maillon.catalogue.models import GONE_STATUSES, Item
from maillon.circulation.errors import CirculationError
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.weeding import candidates
from maillon.weeding.candidates import ON_SHELF, PROTECTED_COLLECTIONS
from maillon.weeding.models import (
    Campaign,
    Candidate,
    Decision,
    DestinationRefusal,
    Ioupi,
    Offer,
    OfferPeriod,
)
from maillon.weeding.rules import DeweyClass, dewey_class
from maillon.workshop import services as workshop

_md_deposit = candidates.md_deposit
propose = candidates.propose  # what a campaign would hold today, without making one


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
    rows = list(
        candidates.rows(library, today, dewey_from=dewey_from, dewey_to=dewey_to or dewey_from)
    )
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
                    item_id=row.proposal.item_id,
                    criterion_id=row.proposal.criterion_id,
                    reasons={**row.proposal.reasons, "elsewhere": row.elsewhere},
                    last_copy=row.last_copy,
                )
                for row in rows
            ],
            batch_size=1000,
        )
        audit(
            "weeding_campaign_created",
            campaign,
            actor=actor,
            library=library,
            details={"candidates": len(rows)},
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
    """The library's items (not gone) per Dewey hundred: counted once by the database, when a
    campaign is made."""
    counts = (
        Item.objects.filter(home=library)
        .exclude(status__in=GONE_STATUSES)
        .annotate(first=Substr(DeweyClass("record__classification", "call_number"), 1, 1))
        .values_list("first")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(first + "00" if first else ""): n for first, n in counts}


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


candidate_table = candidates.table
network_table = candidates.network_table
