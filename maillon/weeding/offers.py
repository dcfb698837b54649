"""Weeded items offered to the network: claimed by another library, or withdrawn when the
offer expires.

A claim makes a transfer through circulation (reason "claim") that waits at the offering
library for the shuttle; when it arrives at the claimant, circulation asks this module
(``transfer_received`` in maillon.core.usage) and the item changes home and owner through the
item service, then is routed there like any arrival. Locks: the item (item service), then the
offer — the same order everywhere, so two claims of one item queue and the second is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item, ItemStatus, Record
from maillon.circulation.models import Transfer, TransferReason
from maillon.circulation.routing import CheckinResult, transfer_result
from maillon.circulation.transfers import open_transfer_locked
from maillon.core import usage
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.weeding.models import DestinationRefusal, Offer
from maillon.weeding.services import WeedingError


def _locked_offer(pk: int) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("library").get(pk=pk)


def _claim_refusal(offer: Offer, item: Item, library: Library, today: dt.date) -> str:
    """Why `library` may not claim `offer` now, or ""."""
    if offer.state != Offer.State.OPEN:
        if offer.claimed_by_id:
            claimant = Library.objects.get(pk=offer.claimed_by_id)
            return _("The item %(barcode)s was just claimed by %(library)s.") % {
                "barcode": item.barcode,
                "library": claimant.name,
            }
        return _("The item %(barcode)s is no longer offered.") % {"barcode": item.barcode}
    if offer.expires_on < today:
        return _("The offer of the item %(barcode)s has expired.") % {"barcode": item.barcode}
    if offer.library_id == library.pk:
        return _("Your library offers this item: it cannot claim it.")
    if item.status != ItemStatus.AVAILABLE or item.current_id != offer.library_id:
        return _(
            "The item %(barcode)s is %(status)s at the moment: claim it again when it is back "
            "on the shelf."
        ) % {"barcode": item.barcode, "status": item_service.status_label(item.status)}
    return ""


def claim(actor, offer: Offer | int, library: Library, *, today: dt.date | None = None) -> Offer:
    """`library` takes the offered item: a transfer from the offering library (on its shuttle
    list), the offer claimed. A librarian of the claimant decides (MANAGE). Codes:
    claim_refused (conflict: claimed by another, expired, not on the shelf)."""
    require(actor, Action.MANAGE, library)
    today = today or timezone.localdate()
    offer_id: int = offer.pk if isinstance(offer, Offer) else offer
    item_id = Offer.objects.values_list("item_id", flat=True).get(pk=offer_id)
    with transaction.atomic():
        item = item_service.lock(item_id)
        offer = _locked_offer(offer_id)
        refusal = _claim_refusal(offer, item, library, today)
        if refusal:
            raise WeedingError("claim_refused", refusal, kind=Kind.CONFLICT)
        transfer = open_transfer_locked(
            actor, item, offer.library_id, library, TransferReason.CLAIM
        )
        offer.state = Offer.State.CLAIMED
        offer.claimed_by = library
        offer.claimed_at = timezone.now()
        offer.claimed_by_user = actor if getattr(actor, "is_authenticated", False) else None
        offer.transfer = transfer
        offer.save()
        audit(
            "offer_claimed",
            item,
            actor=actor,
            library=library,
            details={"offered_by": offer.library_id, "claimed_by": library.pk},
        )
    return offer


def on_transfer_received(
    *, actor, library: Library, item: Item, transfer: Transfer, today: dt.date
) -> CheckinResult | None:
    """A claimed item arrives (``transfer_received``): at the claimant it changes home and
    owner, then is shelved there (or fills a hold) by circulation's routing; at the wrong
    library it goes on to the claimant."""
    if transfer.reason != TransferReason.CLAIM:
        return None
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .filter(transfer=transfer, state=Offer.State.CLAIMED)
        .first()
    )
    if offer is None:
        return None
    if transfer.to_library_id != library.pk:
        onward = open_transfer_locked(
            actor, item, library, transfer.to_library_id, TransferReason.CLAIM
        )
        offer.transfer = onward
        offer.save(update_fields=["transfer"])
        return transfer_result(item, onward, misrouted_from=transfer.to_library)
    old_home, old_owner = item.home_id, item.owner_id
    item_service.move_item(item, item.status, home=library, owner=library)
    offer.state = Offer.State.RECEIVED
    offer.closed_at = timezone.now()
    offer.save(update_fields=["state", "closed_at"])
    audit(
        "home_changed",
        item,
        actor=actor,
        library=library,
        details={
            "old_home": old_home,
            "new_home": library.pk,
            "old_owner": old_owner,
            "new_owner": library.pk,
        },
    )
    return None


@dataclass
class Expiry:
    withdrawn: int
    waiting: int  # not on the shelf today (lent…): tried again tomorrow


def expire(today: dt.date | None = None) -> Expiry:
    """Offers nobody claimed in time: the item is withdrawn to the campaign's destination
    (the decision taken at the review, carried out now), each in its own transaction."""
    today = today or timezone.localdate()
    done = waiting = 0
    for offer_id, item_id in Offer.objects.filter(
        state=Offer.State.OPEN, expires_on__lt=today
    ).values_list("pk", "item_id"):
        with transaction.atomic():
            item = item_service.lock(item_id)
            offer = _locked_offer(offer_id)
            if offer.state != Offer.State.OPEN:
                continue
            if item.status not in (ItemStatus.AVAILABLE, ItemStatus.DAMAGED):
                waiting += 1
                continue
            previous = item.status
            destination = offer.destination
            doc_type = Record.objects.values_list("doc_type", flat=True).get(pk=item.record_id)
            if DestinationRefusal.objects.filter(doc_type=doc_type, destination=destination):
                destination = "discarded"  # films are not given away nor sold (data)
            item_service.move_item(item, ItemStatus.WITHDRAWN)
            usage.announce("item_changed_by_staff", item)
            note = _("Offered to the network from %(start)s to %(end)s, not claimed.") % {
                "start": date_format(offer.offered_on, "j F Y"),
                "end": date_format(offer.expires_on, "j F Y"),
            }
            audit(
                "withdrawn",
                item,
                library=offer.library_id,
                details={
                    "previous_status": previous,
                    "reason": "surplus",
                    "destination": destination,
                    "note": note,
                },
            )
            offer.state = Offer.State.EXPIRED
            offer.closed_at = timezone.now()
            offer.save(update_fields=["state", "closed_at"])
            done += 1
    return Expiry(done, waiting)


def open_to(library: Library | None, today: dt.date):
    """Offers other libraries may claim today (all of them when `library` is None)."""
    rows = Offer.objects.filter(state=Offer.State.OPEN, expires_on__gte=today).select_related(
        "item__record", "library"
    )
    if library is not None:
        rows = rows.exclude(library=library)
    return rows.order_by("item__record__sort_title", "pk")


def made_by(library: Library):
    """What `library` offered, most recent first: who claimed what, what expired."""
    return (
        Offer.objects.filter(library=library)
        .select_related("item__record", "claimed_by")
        .order_by("-offered_on", "-pk")
    )
