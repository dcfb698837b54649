"""Checkout, check-in and renewal; the lists of loans.

Every service here runs in one transaction and locks, in this order, the patron, the item, the
record's holds, then transfers (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers). It decides on the rows as they are once locked, never on what a
page showed.

Overrides: a librarian (MANAGE at the desk's library) may force a checkout past an expired card,
a block or a loan limit, with a reason kept on the loan. Nothing that would break a fact may be
overridden: an item on loan, withdrawn, lost or not for loan, or one promised to another
patron's hold (cancel that hold first, knowingly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillon.catalogue.items import move_item, status_label
from maillon.catalogue.models import UNLENDABLE_STATUSES, Item, ItemStatus
from maillon.circulation.calendar import due_date
from maillon.circulation.common import (
    find_item,
    library_obj,
    lock_for_checkout,
    lock_for_renewal,
    lock_item_then,
    log,
    today_or,
)
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer
from maillon.circulation.routing import Action as RoutingAction
from maillon.circulation.routing import CheckinResult, hold_shelf_result, route, transfer_result
from maillon.circulation.rules import RuleBook, policy
from maillon.circulation.targeting import can_hold_copy, retarget
from maillon.core import prepared, usage
from maillon.core.errors import Kind
from maillon.core.prepared import Prepared
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, can, require
from maillon.patrons.models import CategoryKind, Patron

# Refusals a librarian may override with a reason.
OVERRIDABLE = frozenset(
    {"patron_expired", "patron_blocked", "max_loans_library", "max_loans_network", "max_loans_rule"}
)


def patron_refusals(patron: Patron, today: dt.date) -> list[CirculationError]:
    """The card's own problems: expired, blocked (both overridable at checkout)."""
    found = []
    if patron.is_expired_on(today):
        found.append(
            CirculationError(
                "patron_expired",
                _("The card of %(card)s expired on %(date)s.")
                % {"card": patron.card_number, "date": date_format(patron.expires_on)},
                overridable=True,
            )
        )
    # A checkout has read whether the card has an active block (most have none).
    blocks = list(patron.active_blocks) if getattr(patron, "has_active_block", True) else []
    if blocks:
        found.append(
            CirculationError(
                "patron_blocked",
                _("The card of %(card)s is blocked: %(reasons)s.")
                % {
                    "card": patron.card_number,
                    "reasons": ", ".join(str(b.get_kind_display()) for b in blocks),
                },
                overridable=True,
            )
        )
    return found


def _item_refusal(item: Item, patron: Patron) -> CirculationError | None:
    status = item.status
    if status == ItemStatus.ON_LOAN:
        holder = (
            Loan.objects.filter(item=item, returned_at__isnull=True)
            .values_list("patron_id", flat=True)
            .first()
        )
        if holder == patron.pk:
            return CirculationError(
                "already_yours",
                _("The item %(barcode)s is already on loan to this patron.")
                % {"barcode": item.barcode},
            )
        return CirculationError(
            "already_on_loan",
            _("The item %(barcode)s is already on loan to someone else: check it in first.")
            % {"barcode": item.barcode},
        )
    if status == ItemStatus.WITHDRAWN:
        return CirculationError(
            "item_withdrawn",
            _("The item %(barcode)s has been withdrawn from the collection.")
            % {"barcode": item.barcode},
        )
    if status in (ItemStatus.LOST, ItemStatus.MISSING):
        return CirculationError(
            "item_lost",
            _("The item %(barcode)s is recorded as %(status)s: check it in first to find it again.")
            % {"barcode": item.barcode, "status": status_label(status)},
        )
    if status in UNLENDABLE_STATUSES:
        return CirculationError(
            "not_for_loan",
            _("The item %(barcode)s is not for loan (%(status)s).")
            % {"barcode": item.barcode, "status": status_label(status)},
        )
    return None


def _held_for_other(item: Item) -> CirculationError:
    return CirculationError(
        "on_hold_for_other",
        _("The item %(barcode)s is kept for another patron's hold.") % {"barcode": item.barcode},
    )


def _limit_refusals(
    patron: Patron, library: Library, item: Item, rule, network_policy
) -> list[CirculationError]:
    exempt = network_policy.collective_exempt and patron.category.kind == CategoryKind.COLLECTIVE
    library_limit = None if exempt else network_policy.max_loans_per_library
    network_limit = None if exempt else network_policy.max_loans_network
    limits = [n for n in (library_limit, network_limit, rule.max_loans) if n is not None]
    if not limits:
        return []  # no limit applies (an exempt school, say): nothing to count
    # Fewer loans in the whole network than the lowest limit: none can be reached (the counts
    # here and for the rule are parts of that one), counted once the patron was locked.
    open_loans = getattr(patron, "open_loans", None)  # set by read_after_lock
    if open_loans is not None and open_loans < min(limits):
        return []
    # Counted by the database, per (library, item type): a few rows whatever the loans held,
    # and a plainer query to build than three filtered counts.
    groups = (
        Loan.objects.filter(patron=patron, returned_at__isnull=True)
        .order_by()
        .values_list("library_id", "item_type_code")
        .annotate(n=Count("pk"))
    )
    # A rule naming an item type matched this item's: the item's type is the rule's.
    type_code = item.item_type.code if rule.item_type_id else None
    counts = {"network": 0, "here": 0, "rule": 0}
    for library_id, item_type_code, n in groups:
        counts["network"] += n
        if library_id == library.pk:
            counts["here"] += n
            if type_code is None or item_type_code == type_code:
                counts["rule"] += n
    found = []
    if library_limit is not None and counts["here"] >= library_limit:
        found.append(
            CirculationError(
                "max_loans_library",
                _("This patron already has %(count)d loans from this library (limit %(limit)d).")
                % {"count": counts["here"], "limit": library_limit},
                overridable=True,
            )
        )
    if network_limit is not None and counts["network"] >= network_limit:
        found.append(
            CirculationError(
                "max_loans_network",
                _("This patron already has %(count)d loans in the network (limit %(limit)d).")
                % {"count": counts["network"], "limit": network_limit},
                overridable=True,
            )
        )
    if rule.max_loans is not None and counts["rule"] >= rule.max_loans:
        found.append(
            CirculationError(
                "max_loans_rule",
                _(
                    "This patron already has %(count)d loans of this kind here (the rule allows "
                    "%(limit)d)."
                )
                % {"count": counts["rule"], "limit": rule.max_loans},
                overridable=True,
            )
        )
    return found


def _refuse_or_override(
    refusals: list[CirculationError], actor, library: Library, override_reason: str
) -> None:
    if not refusals:
        return
    details = {"refusals": [{"code": r.code, "message": r.message} for r in refusals]}
    if not override_reason:
        first = refusals[0]
        raise CirculationError(first.code, first.message, overridable=True, details=details)
    if not can(actor, Action.MANAGE, library):
        raise CirculationError(
            "override_forbidden",
            _("Only a librarian of this library may override: %(refusal)s")
            % {"refusal": refusals[0].message},
            details=details,
            kind=Kind.FORBIDDEN,
        )


def statistics_key(patron_id: int, year: int) -> str:
    """The patron's pseudonym in the loans of `year`: the same for all their loans of that year,
    wherever made, so active borrowers are counted once; another one each year, so loan history
    cannot be followed across years once anonymised (invariant 7)."""
    return salted_hmac("maillon.loan.patron_key", f"{year}:{patron_id}").hexdigest()[:16]


def checkout(
    actor,
    library: Library | int,
    patron: Patron | str,
    item: Item | str,
    *,
    override_reason: str | None = None,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Loan:
    """Lend `item` (barcode or Item) to `patron` (card number or Patron) at `library`.

    `at`: when the loan happened, if earlier (an offline desk's loan, sent later): the loan
    starts then and its due date counts from that day; the checks are made on the rows as
    they are now.

    Locks the patron then the item. Refusal codes: unknown_card, unknown_barcode,
    already_yours, already_on_loan, item_withdrawn, item_lost, not_for_loan, on_hold_for_other;
    overridable with `override_reason` by a librarian: patron_expired, patron_blocked,
    max_loans_library, max_loans_network, max_loans_rule (else override_forbidden).
    An item waiting on the hold shelf (or travelling) for this very patron fulfils that hold.
    """
    library = library_obj(library)
    require(actor, Action.CIRCULATE, library)
    today = today_or(today or (timezone.localdate(at) if at else None))
    reason = (override_reason or "").strip()
    with transaction.atomic():
        patron, item, found = lock_for_checkout(patron, item, library.pk, today)
        refusal = _item_refusal(item, patron)
        if refusal:
            raise refusal
        own_hold: Hold | None = None
        transfer: Transfer | None = None
        if item.status == ItemStatus.ON_HOLD_SHELF:
            own_hold = (
                Hold.objects.select_for_update(of=("self",))
                .filter(target=item, status=HoldStatus.READY)
                .first()
            )
            if own_hold is not None and own_hold.patron_id != patron.pk:
                raise _held_for_other(item)
        elif item.status == ItemStatus.IN_TRANSIT:
            transfer = Transfer.objects.filter(
                item=item, received_at__isnull=True, cancelled_at__isnull=True
            ).first()
            if transfer is not None and transfer.hold_id:
                own_hold = (
                    Hold.objects.select_for_update(of=("self",))
                    .filter(pk=transfer.hold_id, status=HoldStatus.IN_TRANSIT)
                    .first()
                )
                if own_hold is not None and own_hold.patron_id != patron.pk:
                    raise _held_for_other(item)
        book = found.book
        rule = book.rule_for(library.pk, patron.category_id, item.item_type_id)
        refusals = patron_refusals(patron, today) + _limit_refusals(
            patron, library, item, rule, found.policy or policy()
        )
        _refuse_or_override(refusals, actor, library, reason)

        now = timezone.now()
        if transfer is not None:
            transfer.cancelled_at = now
            transfer.save(update_fields=["cancelled_at"])
            log(item, "transfer_cancelled", library, actor, transfer=transfer.pk)
        started = at or now
        loan = Loan(
            item=item,
            patron=patron,
            library=library,
            checked_out_at=started,
            checked_out_by=actor if getattr(actor, "is_authenticated", False) else None,
            due_on=found.calendar.due_date(today, rule.loan_days),
            loan_days=rule.loan_days,
            override_reason=reason if refusals else "",
            override_codes=[r.code for r in refusals],
            overridden_by=actor if refusals else None,
            patron_category_code=patron.category.code,
            patron_age_band=patron.age_band(today),
            patron_home_library_id=patron.home_library_id,
            item_type_code=item.item_type.code,
            medium=item.record.doc_type,
            audience=item.audience,
            md_stock=item.owner.kind == LibraryKind.DEPARTMENTAL,
            patron_commune=patron.city.strip(),
            patron_key=statistics_key(patron.pk, today.year),
        )
        prepared.insert(loan)  # Loan.objects.create(…), its SQL written once
        move_item(
            item, ItemStatus.ON_LOAN, library, loan_count=item.loan_count + 1, last_loan_at=started
        )
        log(
            item,
            "checkout",
            library,
            actor,
            patron=patron,
            loan=loan.pk,
            due_on=loan.due_on.isoformat(),
            **({"override": [r.code for r in refusals]} if refusals else {}),
        )
        # Most records have no open hold: read_after_lock said so, sparing the holds query.
        if (own_hold is not None or getattr(item, "has_open_holds", True)) and _fulfil_holds(
            patron, item, own_hold, now
        ):
            retarget(item.record_id, today, book)
    return loan


def _fulfil_holds(patron: Patron, item: Item, own_hold: Hold | None, now) -> bool:
    """Close the patron's holds this loan answers: the one the item was kept for, and their
    other open holds on the record (for any copy, or for this one). Says whether other waiting
    holds had targeted this copy, now gone: those need another (one query finds both)."""
    # A plain filter, decided in Python: the annotated form cost more to compile than to run.
    open_statuses = {HoldStatus.WAITING, HoldStatus.SUSPENDED, HoldStatus.IN_TRANSIT}
    found = (
        Hold.objects.filter(
            Q(patron=patron, record_id=item.record_id, status__in=open_statuses)
            | Q(target=item, status=HoldStatus.WAITING)
        )
        .order_by()
        .values_list("pk", "patron_id", "record_id", "item_id", "status")
    )
    ids = {
        pk
        for pk, patron_id, record_id, item_id, status in found
        if patron_id == patron.pk
        and record_id == item.record_id
        and item_id in (None, item.pk)
        and status in open_statuses
    }
    retarget_needed = len(ids) < len(found)
    if own_hold is not None:
        ids.add(own_hold.pk)
        Hold.objects.filter(pk=own_hold.pk).update(target=item)
    # The travelling copy of another of these holds is routed afresh when it arrives.
    Hold.objects.filter(pk__in=ids).update(status=HoldStatus.FULFILLED, closed_at=now)
    return retarget_needed


def checkin(
    actor,
    library: Library | int,
    item: Item | str,
    *,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> CheckinResult:
    """An item handed in at `library`'s desk: close its loan if any, and say where it goes.

    Locks the item, then the record's holds. Return anywhere: the result's action is
    ``hold_shelf`` (a hold here), ``transfer`` (a hold elsewhere, or home) or ``shelve``.
    Scanning an item again changes nothing and returns the decision already taken (``repeated``).
    An item arriving by the shuttle is received (see ``transfers.receive_transfer``), at the
    wrong library too: it is then routed afresh from here. `at`: when the item was handed in,
    if earlier (an offline desk's return, sent later): the loan closes then. Refusals:
    unknown_barcode, item_withdrawn, loan_newer (the open loan began after `at`).
    """
    library = library_obj(library)
    require(actor, Action.CIRCULATE, library)
    with transaction.atomic():
        # With its open loan, if any, read once the item is locked (one round trip).
        item, open_loan = lock_item_then(item, _OPEN_LOAN_BY_BARCODE)
        return checkin_locked(actor, library, item, today_or(today), at=at, open_loan=open_loan)


def checkin_locked(
    actor,
    library: Library,
    item: Item,
    today: dt.date,
    *,
    receiving: bool = False,
    transfer: Transfer | None = None,
    at: dt.datetime | None = None,
    open_loan: Sequence[Loan] | None = None,
) -> CheckinResult:
    """Check-in once the item's lock is held (see ``checkin``). `transfer`: the item's active
    transfer, when the caller read it already (many items arriving together). `open_loan`:
    the item's open loan ([] none) as ``_OPEN_LOAN_BY_BARCODE`` reads it, once the lock was
    held, when the caller read it already."""
    now = timezone.now()
    status = item.status
    if status == ItemStatus.WITHDRAWN:
        raise CirculationError(
            "item_withdrawn",
            _("The item %(barcode)s has been withdrawn from the collection.")
            % {"barcode": item.barcode},
        )
    if status in UNLENDABLE_STATUSES:
        current = Library.objects.get(pk=item.current_id)
        message = _("This item is %(status)s and was not on loan: put it back at %(library)s.")
        return CheckinResult(
            RoutingAction.SHELVE,
            item,
            current,
            message % {"status": status_label(status), "library": current.name},
            repeated=True,
        )
    loan = None
    preferred = None
    misrouted_from = None
    waiting: list[Hold] | None = None  # the record's waiting holds, when known already
    if status in (ItemStatus.LOST, ItemStatus.MISSING):
        log(item, "found", library, actor, previous_status=status)
    elif status == ItemStatus.ON_LOAN:
        if receiving:
            raise CirculationError(
                "not_in_transit",
                _("The item %(barcode)s is on loan, not in transit: check it in instead.")
                % {"barcode": item.barcode},
            )
        # With its patron: whom the loan was to, which a self-check answer gives back; and
        # whether a hold waits on the record (most have none: routing then reads no holds).
        if open_loan is None:
            open_loan = _OPEN_LOAN_WITH_PATRON.all(item.pk, item.record_id)
        loan = open_loan[0] if open_loan else None
        if loan is not None and not loan.holds_waiting:  # type: ignore[attr-defined]
            waiting = []
        if loan is not None and at is not None and loan.checked_out_at > at:
            # Handed in before this loan began: the return belongs to an earlier loan.
            raise CirculationError(
                "loan_newer",
                _(
                    "The item %(barcode)s was lent again on %(date)s, after this return: "
                    "the open loan is left as it is."
                )
                % {
                    "barcode": item.barcode,
                    "date": date_format(timezone.localtime(loan.checked_out_at), "j F Y H:i"),
                },
            )
        if loan is not None:
            loan.returned_at = at or now
            loan.return_library = library
            prepared.update(loan, ["returned_at", "return_library"])
            log(item, "checkin", library, actor, patron=loan.patron_id, loan=loan.pk)
    elif status == ItemStatus.IN_TRANSIT:
        if transfer is None or transfer.item_id != item.pk:
            transfer = Transfer.objects.filter(
                item=item, received_at__isnull=True, cancelled_at__isnull=True
            ).first()
        if transfer is not None and transfer.from_library_id == library.pk:
            return transfer_result(item, transfer, repeated=True)
        if transfer is not None:
            if transfer.hold_id:
                preferred = (
                    Hold.objects.select_for_update(of=("self",))
                    .filter(pk=transfer.hold_id, status=HoldStatus.IN_TRANSIT)
                    .first()
                )
            transfer.received_at = now
            transfer.received_library = library
            transfer.received_by = actor if getattr(actor, "is_authenticated", False) else None
            transfer.save(update_fields=["received_at", "received_library", "received_by"])
            if transfer.to_library_id != library.pk:
                misrouted_from = Library.objects.get(pk=transfer.to_library_id)
            log(
                item,
                "transfer_received",
                library,
                actor,
                transfer=transfer.pk,
                misrouted=misrouted_from is not None,
            )
            arrived = _arrival_decided_above(actor, library, item, transfer, today)
            if arrived is not None:
                return arrived
    elif status == ItemStatus.ON_HOLD_SHELF:
        hold = (
            Hold.objects.select_for_update(of=("self",))
            .filter(target=item, status=HoldStatus.READY)
            .first()
        )
        if (
            hold is not None
            and item.current_id == library.pk
            and hold.pickup_library_id == library.pk
        ):
            return hold_shelf_result(item, library, hold, repeated=True)
        if hold is not None:
            # On a hold shelf somewhere else, yet in our hands: it still goes to that hold.
            hold.status = HoldStatus.WAITING
            hold.save(update_fields=["status"])
            preferred = hold
    result = route(
        item,
        library,
        actor=actor,
        today=today,
        preferred=preferred,
        waiting=waiting,
        loan=loan,
        misrouted_from=misrouted_from,
    )
    if misrouted_from is not None:
        result.message = _("This item was expected at %(library)s. %(decision)s") % {
            "library": misrouted_from.name,
            "decision": result.message,
        }
    return result


# Read at every check-in: compiled once (see maillon.core.prepared). Run once the item is
# locked: it sees every hold committed before, as reading the holds afterwards would.
_OPEN_LOAN_WITH_PATRON = Prepared(
    lambda item_id, record_id: (
        Loan.objects.filter(item_id=item_id, returned_at__isnull=True)
        .select_related("patron")
        .annotate(
            holds_waiting=Exists(
                Hold.objects.filter(record_id=record_id, status=HoldStatus.WAITING)
            )
        )
        .order_by("pk")[:1]
    ),
    int,
    int,
)
# The same, found by the copy's barcode: read in the round trip that locks the copy.
_OPEN_LOAN_BY_BARCODE = Prepared(
    lambda barcode: (
        Loan.objects.filter(item__barcode=barcode, returned_at__isnull=True)
        .select_related("patron")
        .annotate(
            holds_waiting=Exists(
                Hold.objects.filter(
                    record_id=OuterRef("item__record_id"), status=HoldStatus.WAITING
                )
            )
        )
        .order_by("pk")[:1]
    ),
    str,
)


def _arrival_decided_above(
    actor, library: Library, item: Item, transfer: Transfer, today: dt.date
) -> CheckinResult | None:
    """What an app above decides for a transfer it made, now received (``transfer_received``
    in maillon.core.usage): a claimed item changes hands, an item for the workshop joins its
    queue. None: routed like any arrival."""
    for decision in list(
        usage.answers(
            "transfer_received",
            actor=actor,
            library=library,
            item=item,
            transfer=transfer,
            today=today,
        )
    ):
        if decision is not None:
            return decision
    return None


def find_open_loan(loan_or_item: Loan | Item | str) -> Loan:
    """The open loan of a copy (given by barcode or Item), found in one statement; the copy
    is read on its own only to say why there is none (unknown_barcode, not_on_loan)."""
    if isinstance(loan_or_item, Loan):
        return loan_or_item
    # With its patron: a kiosk checks the card the loan was made to (one statement for both).
    open_loans = Loan.objects.filter(returned_at__isnull=True).select_related("patron")
    if isinstance(loan_or_item, Item):
        loan = open_loans.filter(item=loan_or_item).first()
    else:
        barcode = str(loan_or_item or "").strip()
        loan = open_loans.filter(item__barcode=barcode).first() if barcode else None
    if loan is None:
        item = find_item(loan_or_item)
        raise CirculationError(
            "not_on_loan", _("The item %(barcode)s is not on loan.") % {"barcode": item.barcode}
        )
    return loan


def renew(
    actor, library: Library | int, loan: Loan | Item | str, *, today: dt.date | None = None
) -> Loan:
    """Renew at the desk of `library`. Locks patron, item, loan. Codes: not_on_loan,
    loan_closed, patron_expired, patron_blocked, renewals_exhausted, on_hold,
    renewal_too_early."""
    library = library_obj(library)
    require(actor, Action.CIRCULATE, library)
    with transaction.atomic():
        return _renew(find_open_loan(loan), today_or(today), actor=actor, library=library)


def renew_own(patron: Patron, loan: Loan | Item | str, *, today: dt.date | None = None) -> Loan:
    """A patron renewing their own loan (public account, self-check): same checks as the desk,
    and the loan must be theirs (code not_your_loan)."""
    loan = find_open_loan(loan)
    if loan.patron_id != patron.pk:
        raise CirculationError("not_your_loan", _("This loan is not yours."))
    today = today_or(today)
    if loan.due_on < today and not patron.category.renew_overdue_online:
        raise CirculationError(
            "overdue_renewal_at_desk",
            _(
                "This loan is overdue since %(date)s: bring it back, or ask your library to "
                "renew it."
            )
            % {"date": date_format(loan.due_on, "j F Y")},
        )
    with transaction.atomic():
        return _renew(loan, today, actor=None, library=None)


def _renew(loan: Loan, today: dt.date, *, actor, library: Library | None) -> Loan:
    if loan.patron_id is None:
        raise CirculationError("loan_closed", _("This loan has been returned."))
    # Locked, then the blocks, holds, rules and calendar read once the locks are held (one
    # round trip on PostgreSQL): the loan as it is now decides, the lender's calendar from
    # today on (its closures over by the new due date cannot move it).
    library_id = loan.library_id
    patron, item, loan, found = lock_for_renewal(loan, today)
    if loan.returned_at is not None:
        raise CirculationError("loan_closed", _("This loan has been returned."))
    refusals = patron_refusals(patron, today)
    if refusals:
        raise CirculationError(refusals[0].code, refusals[0].message)
    book = found.book
    rule = book.rule_for(loan.library_id, patron.category_id, item.item_type_id)
    if loan.renewals >= rule.renewals:
        raise CirculationError(
            "renewals_exhausted",
            _("This loan cannot be renewed again (%(count)d renewals allowed).")
            % {"count": rule.renewals},
        )
    # No open hold on the record nor for this copy (read after the locks): none waits for it.
    if item.has_open_holds and copy_wanted_by_hold(item, book):  # type: ignore[attr-defined]
        raise CirculationError(
            "on_hold", _("Another patron is waiting for this document: it cannot be renewed.")
        )
    if loan.library_id == library_id:
        new_due = found.calendar.due_date(today, loan.loan_days)
    else:  # not a loan's library changes: read its own, should it ever
        new_due = due_date(loan.library_id, today, loan.loan_days)
    if new_due <= loan.due_on:
        raise CirculationError(
            "renewal_too_early",
            _("Renewing today would not give more time: the item is already due on %(date)s.")
            % {"date": date_format(loan.due_on)},
        )
    old_due = loan.due_on
    loan.due_on = new_due
    loan.renewals += 1
    loan.last_renewed_at = timezone.now()
    prepared.update(loan, ["due_on", "renewals", "last_renewed_at"])  # its SQL written once
    log(
        item,
        "renewed",
        library,
        actor or patron,  # renew_own: the patron acted
        patron=patron,
        loan=loan.pk,
        old_due=old_due.isoformat(),
        new_due=new_due.isoformat(),
    )
    return loan


def copy_wanted_by_hold(item: Item, book: RuleBook) -> bool:
    """Is a waiting hold counting on this copy (no other copy on a shelf is pulled for it)?"""
    holds = list(
        Hold.objects.filter(record_id=item.record_id, status=HoldStatus.WAITING)
        .filter(Q(item__isnull=True) | Q(item=item))
        .select_related("patron")
    )
    for hold in holds:
        if (
            hold.target_id
            and hold.target_id != item.pk
            and Item.objects.filter(pk=hold.target_id, status=ItemStatus.AVAILABLE).exists()
        ):
            continue
        category_id = hold.patron.category_id if hold.patron else None
        if can_hold_copy(book, item, category_id, hold.pickup_library_id):
            return True
    return False


# Lists ---------------------------------------------------------------------------------------


def _open_loans():
    return Loan.objects.filter(returned_at__isnull=True).select_related(
        "item", "item__record", "patron", "library"
    )


def loans_of(patron: Patron) -> list[Loan]:
    """The patron's open loans, soonest due first."""
    return list(_open_loans().filter(patron=patron).order_by("due_on", "pk"))


def history_of(patron: Patron) -> list[Loan]:
    """The patron's returned loans still linked to them (until anonymisation)."""
    return list(
        Loan.objects.filter(patron=patron, returned_at__isnull=False)
        .select_related("item", "item__record", "library")
        .order_by("-returned_at")
    )


def overdue_loans(today: dt.date | None = None, library: Library | int | None = None):
    """Open loans whose due date has passed (optionally, those lent by `library`)."""
    loans = _open_loans().filter(due_on__lt=today_or(today)).order_by("due_on", "pk")
    if library is not None:
        loans = loans.filter(library=library)
    return loans


def due_soon(today: dt.date | None = None, days: int | None = None):
    """Open loans due within `days` (the policy's notice delay by default), today included."""
    today = today_or(today)
    days = policy().due_soon_days if days is None else days
    return (
        _open_loans()
        .filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))
        .order_by("due_on")
    )


__all__ = [
    "OVERRIDABLE",
    "checkin",
    "checkin_locked",
    "checkout",
    "copy_wanted_by_hold",
    "due_soon",
    "find_open_loan",
    "history_of",
    "loans_of",
    "overdue_loans",
    "renew",
    "renew_own",
]


@dataclass
class Relend:
    """A copy brought back by another patron, lent on the spot: the check-in's answer, and the
    new loan when the copy could stay here."""

    checkin: CheckinResult
    loan: Loan | None


def checkin_and_lend(
    actor,
    library: Library | int,
    patron: Patron | str,
    item: Item | str,
    *,
    today: dt.date | None = None,
) -> Relend:
    """The desk holds a copy still on loan to someone else, and this patron wants it: check it in
    here (closing the other loan, as a return would), then lend it if the check-in says it stays
    on this library's shelf. If a hold or the shuttle claims it, it is not lent: the answer says
    where it goes. Two steps, each with its own locks: a refused loan leaves the return done.
    Refusals: those of checkin and checkout."""
    result = checkin(actor, library, item, today=today)
    if result.action != RoutingAction.SHELVE:
        return Relend(result, None)
    return Relend(result, checkout(actor, library, patron, result.item, today=today))
