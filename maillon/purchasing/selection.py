"""Shared selection lists: titles proposed to the network, libraries committing copies.

Any library's managers propose titles and commit for their own library; the coordinator
creates and closes lists, caps a title's copies and withdraws commitments to balance the
network's purchases. A list takes commitments until the end of its closing day.

Locks: a commitment locks the proposed title's row first, then reads the copies already
promised on it, so two libraries taking the last copies of a capped title one after the
other see each other's (tests/purchasing/test_selection_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.audit.services import record as audit
from maillon.catalogue.models import Record
from maillon.core.dates import day
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.purchasing.models import (
    Commitment,
    Fund,
    SelectionList,
    SelectionTitle,
    TitleSource,
)
from maillon.purchasing.network import Columns, columns
from maillon.purchasing.services import PurchasingError, cents, check_fund_room


def is_open(selection: SelectionList, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return selection.closed_at is None and today <= selection.closes_on


def _require_open(selection: SelectionList, today: dt.date | None) -> None:
    if not is_open(selection, today):
        raise PurchasingError(
            "list_closed",
            _("The list “%(name)s” closed on %(date)s: it takes no more titles or commitments.")
            % {"name": selection.name, "date": day(selection.closes_on, weekday=False)},
        )


def create_list(
    actor, name: str, closes_on: dt.date | None, *, description: str = "", today=None
) -> SelectionList:
    """A new list (the coordinator). Codes: name_missing, closes_on_past."""
    require(actor, Action.ADMINISTER)
    name = (name or "").strip()
    if not name:
        raise PurchasingError(
            "name_missing", _("Give the list a name."), field="name", kind=Kind.INVALID
        )
    if closes_on is None or closes_on < (today or timezone.localdate()):
        raise PurchasingError(
            "closes_on_past",
            _("The closing date is today or later."),
            field="closes_on",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        selection = SelectionList.objects.create(
            name=name[:200], description=description, closes_on=closes_on, created_by=actor
        )
        audit("selection_created", selection, actor=actor)
    return selection


def close_list(actor, selection: SelectionList) -> SelectionList:
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        selection = SelectionList.objects.select_for_update().get(pk=selection.pk)
        if selection.closed_at is None:
            selection.closed_at = timezone.now()
            selection.save(update_fields=["closed_at"])
            audit("selection_closed", selection, actor=actor)
    return selection


def propose(
    actor,
    selection: SelectionList,
    record: Record,
    *,
    public_price: Decimal | None = None,
    cap: int | None = None,
    note: str = "",
    source: str = TitleSource.CATALOGUE,
    today: dt.date | None = None,
) -> SelectionTitle:
    """Put a record on the list (managers of any library). Codes: list_closed,
    already_proposed, price_negative, cap_invalid."""
    require(actor, Action.MANAGE)
    selection = SelectionList.objects.get(pk=selection.pk)  # closed meanwhile?
    _require_open(selection, today)
    if public_price is not None and public_price < 0:
        raise PurchasingError(
            "price_negative",
            _("A price is zero or more."),
            field="public_price",
            kind=Kind.INVALID,
        )
    if cap is not None and cap < 1:
        raise PurchasingError(
            "cap_invalid",
            _("A cap is one copy or more (empty: no cap)."),
            field="cap",
            kind=Kind.INVALID,
        )
    if record.merged_into_id:
        record = Record.objects.get(pk=record.merged_into_id)
    try:
        with transaction.atomic():
            title = SelectionTitle.objects.create(
                selection=selection,
                record=record,
                public_price=cents(public_price) if public_price is not None else None,
                cap=cap,
                note=note[:300],
                source=source,
                proposed_by=actor,
            )
            audit("title_proposed", title, actor=actor, details={"record": record.pk})
    except IntegrityError as error:
        raise PurchasingError(
            "already_proposed",
            _("“%(title)s” is already on this list.") % {"title": record.title},
            kind=Kind.CONFLICT,
        ) from error
    return title


def set_cap(actor, title: SelectionTitle, cap: int | None) -> SelectionTitle:
    """The coordinator caps a title's copies (None: no cap); never below what is committed.
    Codes: cap_invalid, cap_below_committed."""
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        title = _lock_title(title.pk)
        if cap is not None:
            committed = _committed(title, exclude_library=None)
            if cap < 1:
                raise PurchasingError(
                    "cap_invalid", _("A cap is one copy or more (empty: no cap)."), field="cap"
                )
            if cap < committed:
                raise PurchasingError(
                    "cap_below_committed",
                    _("%(n)d copies are already committed: the cap cannot be lower.")
                    % {"n": committed},
                    field="cap",
                )
        title.cap = cap
        title.save(update_fields=["cap"])
    return title


# Commitments ---------------------------------------------------------------------------------


def _lock_title(pk: int) -> SelectionTitle:
    """The proposed title's row, locked until the end of the transaction."""
    return (
        SelectionTitle.objects.select_for_update(of=("self",))
        .select_related("selection", "record")
        .get(pk=pk)
    )


def _committed(title: SelectionTitle, exclude_library: int | None) -> int:
    found = Commitment.objects.filter(title=title)
    if exclude_library is not None:
        found = found.exclude(library_id=exclude_library)
    return found.aggregate(n=Sum("quantity"))["n"] or 0


def cap_refusal(title: SelectionTitle, library_id: int, quantity: int) -> PurchasingError | None:
    """Why `quantity` copies for this library would pass the title's cap, or None."""
    if title.cap is None:
        return None
    others = _committed(title, exclude_library=library_id)
    left = max(title.cap - others, 0)
    if quantity <= left:
        return None
    if left == 0:
        message = _(
            "The network's %(cap)d copies of “%(title)s” are all committed by other libraries."
        ) % {"cap": title.cap, "title": title.record.title}
    else:
        message = ngettext(
            "Only %(left)d copy of “%(title)s” is left for the network (cap %(cap)d).",
            "Only %(left)d copies of “%(title)s” are left for the network (cap %(cap)d).",
            left,
        ) % {"left": left, "title": title.record.title, "cap": title.cap}
    return PurchasingError(
        "cap_reached", message, field="quantity", details={"left": left}, kind=Kind.CONFLICT
    )


def _check_quantity(quantity: int | str) -> int:
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity <= 0:
        raise PurchasingError(
            "quantity_invalid",
            _("Commit one copy or more (withdraw the commitment to take none)."),
            field="quantity",
            kind=Kind.INVALID,
        )
    return quantity


def commit(
    actor,
    title: SelectionTitle,
    library: Library,
    fund: Fund,
    quantity: int | str,
    *,
    overspent_reason: str = "",
    today: dt.date | None = None,
) -> Commitment:
    """`library` promises `quantity` copies of the title from `fund` (replacing its earlier
    commitment on the title). Codes: quantity_invalid, fund_other_library, list_closed,
    cap_reached, fund_overspent (give a reason to go ahead)."""
    require(actor, Action.MANAGE, library)
    quantity = _check_quantity(quantity)
    if fund.library_id != library.pk:
        raise PurchasingError(
            "fund_other_library",
            _("The fund %(fund)s is not one of the funds %(of_library)s.")
            % {"fund": str(fund), "of_library": library.of_name},
            field="fund",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        title = _lock_title(title.pk)
        _require_open(title.selection, today)
        refusal = cap_refusal(title, library.pk, quantity)
        if refusal is not None:
            raise refusal
        existing = Commitment.objects.filter(title=title, library=library).first()
        price = title.public_price or Decimal(0)
        already = existing.quantity * price if existing and existing.fund_id == fund.pk else 0
        reason = check_fund_room(fund, quantity * price - already, overspent_reason)
        seen = columns([title.record_id])[title.record_id].frozen(library.pk)
        seen["others"] = _committed(title, exclude_library=library.pk)
        commitment, _created = Commitment.objects.update_or_create(
            title=title,
            library=library,
            defaults={
                "fund": fund,
                "quantity": quantity,
                "seen": seen,
                "overspent_reason": reason,
                "committed_by": actor,
            },
        )
        audit(
            "commitment_made",
            commitment,
            actor=actor,
            library=library,
            details={
                "purchase_quantity": quantity,
                **({"overspent_reason": reason} if reason else {}),
            },
        )
    return commitment


def withdraw(actor, commitment: Commitment, *, today: dt.date | None = None) -> None:
    """A library takes back its commitment (its managers, or the coordinator balancing the
    list) while the list is open and nothing is ordered. Codes: list_closed, already_ordered."""
    require(actor, Action.MANAGE, commitment.library_id)
    with transaction.atomic():
        title = _lock_title(commitment.title_id)
        _require_open(title.selection, today)
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.line_id:
            raise PurchasingError(
                "already_ordered", _("These copies are already ordered: cancel the order line.")
            )
        audit(
            "commitment_withdrawn",
            commitment,
            actor=actor,
            library=commitment.library_id,
            details={"purchase_quantity": commitment.quantity},
        )
        commitment.delete()


# Reading a list ------------------------------------------------------------------------------


@dataclass
class Row:
    title: SelectionTitle
    network: Columns
    commitments: list[Commitment]

    @property
    def committed(self) -> int:
        return sum(c.quantity for c in self.commitments)

    @property
    def left(self) -> int | None:
        return None if self.title.cap is None else max(self.title.cap - self.committed, 0)

    def of(self, library_id: int | None) -> Commitment | None:
        return next((c for c in self.commitments if c.library_id == library_id), None)


# What the list's page and API never show of a record (large, or JSON decoded for nothing).
UNSHOWN_RECORD_FIELDS = ("marc", "summary", "subjects", "series", "identifiers", "other_titles")


def rows(selection: SelectionList) -> list[Row]:
    """Every title of the list with the network's figures and the commitments, read now."""
    titles = list(
        SelectionTitle.objects.filter(selection=selection)
        .select_related("record")
        .defer(*(f"record__{name}" for name in UNSHOWN_RECORD_FIELDS))
        .order_by("record__sort_title", "pk")
    )
    by_title: dict[int, list[Commitment]] = {t.pk: [] for t in titles}
    # 50 libraries × 40 titles: their libraries and funds are shared, built once each.
    commitments = list(Commitment.objects.filter(title__selection=selection).order_by("pk"))
    libraries = Library.objects.in_bulk({c.library_id for c in commitments})
    funds = Fund.objects.in_bulk({c.fund_id for c in commitments})
    commitments.sort(key=lambda c: (libraries[c.library_id].name, c.pk))
    for commitment in commitments:
        commitment.library = libraries[commitment.library_id]
        commitment.fund = funds[commitment.fund_id]
        by_title[commitment.title_id].append(commitment)
    network = columns([t.record_id for t in titles])
    return [Row(t, network[t.record_id], by_title[t.pk]) for t in titles]


@dataclass
class Coverage:
    libraries: list[Library]  # those that committed at least once on the list
    nobody: list[Row]
    everybody: list[Row]
    per_library: list[tuple[Library, int, int, Decimal]]  # titles, copies, amount


def coverage(selection: SelectionList) -> Coverage:
    """Titles nobody took, titles every committing library took, and each one's share."""
    found = rows(selection)
    libraries: dict[int, Library] = {}
    for row in found:
        for c in row.commitments:
            libraries[c.library_id] = c.library
    share: dict[int, list] = {pk: [0, 0, Decimal(0)] for pk in libraries}
    for row in found:
        for c in row.commitments:
            share[c.library_id][0] += 1
            share[c.library_id][1] += c.quantity
            share[c.library_id][2] += c.quantity * (row.title.public_price or 0)
    ordered = sorted(libraries.values(), key=lambda lib: lib.name)
    return Coverage(
        ordered,
        [r for r in found if not r.commitments],
        [r for r in found if libraries and len(r.commitments) == len(libraries)],
        [(lib, *share[lib.pk]) for lib in ordered],
    )


def may_commit(user, library: Library | None) -> bool:
    return library is not None and can(user, Action.MANAGE, library)
