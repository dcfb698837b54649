"""Patron suggestions (suggestions d'achat): made from the public account or at the desk;
accepted into a selection list or onto an order, or refused with a reason the patron reads in
their account. "Put me on hold when it arrives" is kept until the record has copies to hold
(suggestion_holds.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue.models import Record
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.patrons.models import Patron
from maillon.purchasing import orders, selection, titles
from maillon.purchasing.models import (
    Fund,
    Order,
    SelectionList,
    SelectionTitle,
    Suggestion,
    TitleSource,
)
from maillon.purchasing.services import PurchasingError
from maillon.purchasing.suggestion_holds import place_waiting_holds

MAX_OPEN_PER_PATRON = 10


def _clean(value: str, size: int) -> str:
    return " ".join((value or "").split())[:size]


def suggest(
    patron: Patron | None,
    library: Library,
    *,
    title: str,
    author: str = "",
    isbn: str = "",
    why: str = "",
    wants_hold: bool = False,
    actor=None,
) -> Suggestion:
    """A suggestion by the patron themself (actor None) or taken at the desk of `library`
    (actor: staff who may circulate there). Codes: title_missing, isbn_invalid, too_many."""
    if actor is not None:
        require(actor, Action.CIRCULATE, library)
    title = _clean(title, 300)
    if not title:
        raise PurchasingError(
            "title_missing", _("Give the title you suggest."), field="title", kind=Kind.INVALID
        )
    isbn = titles.valid_isbn(isbn) if (isbn or "").strip() else ""
    if patron is not None and (
        Suggestion.objects.filter(patron=patron, state=Suggestion.State.NEW).count()
        >= MAX_OPEN_PER_PATRON
    ):
        raise PurchasingError(
            "too_many",
            _("You have %(n)d suggestions waiting for an answer: wait for one before the next.")
            % {"n": MAX_OPEN_PER_PATRON},
        )
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            patron=patron,
            library=library,
            title=title,
            author=_clean(author, 200),
            isbn=isbn,
            why=(why or "").strip()[:2000],
            wants_hold=bool(wants_hold and patron is not None),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "suggestion_made",
            suggestion,
            actor=actor or patron,
            library=library,
            patron=patron,
        )
    return suggestion


def _lock(suggestion: Suggestion) -> Suggestion:
    found = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("library")
        .get(pk=suggestion.pk)
    )
    if found.state != Suggestion.State.NEW:
        raise PurchasingError(
            "already_decided",
            _("This suggestion was already answered (%(state)s).")
            % {"state": found.get_state_display()},
            kind=Kind.CONFLICT,
        )
    return found


def _record(actor, suggestion: Suggestion) -> Record:
    """The catalogue's record for what was suggested: by ISBN (catalogue, BnF), else a short
    record from the title and author."""
    if suggestion.isbn:
        try:
            return titles.by_isbn(actor, suggestion.library, suggestion.isbn)[0]
        except PurchasingError as error:
            if error.code not in ("isbn_unknown", "bnf_unreachable"):
                raise
    return titles.by_hand(
        actor, title=suggestion.title, author=suggestion.author, isbn=suggestion.isbn
    )


def _accepted(actor, suggestion: Suggestion, record: Record, details: dict) -> None:
    suggestion.state = Suggestion.State.ACCEPTED
    suggestion.record = record
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save()
    audit(
        "suggestion_accepted",
        suggestion,
        actor=actor,
        library=suggestion.library,
        patron=suggestion.patron,
        details=details,
    )
    place_waiting_holds([record.pk])  # already on order: the hold is placed now


def accept_to_list(
    actor, suggestion: Suggestion, chosen: SelectionList, *, public_price: Decimal | None = None
) -> SelectionTitle:
    """Propose the suggested title on a list (its managers decide there); the same record
    already on the list is taken as it is. Codes: already_decided, list_closed."""
    require(actor, Action.MANAGE, suggestion.library_id)
    with transaction.atomic():
        suggestion = _lock(suggestion)
        record = _record(actor, suggestion)
        title = SelectionTitle.objects.filter(selection=chosen, record=record).first()
        if title is None:
            title = selection.propose(
                actor,
                chosen,
                record,
                public_price=public_price,
                note=_("Suggested by a patron"),
                source=TitleSource.SUGGESTION,
            )
        suggestion.title_on_list = title
        _accepted(actor, suggestion, record, {"record": record.pk})
    return title


def accept_to_order(
    actor,
    suggestion: Suggestion,
    order: Order,
    fund: Fund,
    public_price: Decimal,
    *,
    quantity: int = 1,
    overspent_reason: str = "",
):
    """A line on a draft order of the suggestion's library. Codes: already_decided,
    order_not_draft, quantity_invalid, fund_overspent…"""
    require(actor, Action.MANAGE, suggestion.library_id)
    with transaction.atomic():
        suggestion = _lock(suggestion)
        record = _record(actor, suggestion)
        line = orders.add_line(
            actor, order, record, fund, quantity, public_price, overspent_reason=overspent_reason
        )
        suggestion.line = line
        _accepted(actor, suggestion, record, {"order_number": order.number})
    return line


def refuse(actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """Refused with a reason the patron reads in their account. Codes: reason_missing,
    already_decided."""
    require(actor, Action.MANAGE, suggestion.library_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise PurchasingError(
            "reason_missing",
            _("Give the patron a reason (already in the network, out of print…)."),
            field="reason",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        suggestion = _lock(suggestion)
        suggestion.state = Suggestion.State.REFUSED
        suggestion.refusal_reason = reason[:500]
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.save()
        audit(
            "suggestion_refused",
            suggestion,
            actor=actor,
            library=suggestion.library,
            patron=suggestion.patron,
            details={"suggestion_reason": suggestion.refusal_reason},
        )
    return suggestion


def of_patron(patron: Patron) -> list[Suggestion]:
    return list(
        Suggestion.objects.filter(patron=patron)
        .select_related("library")
        .order_by("-created_at", "-pk")[:100]
    )
