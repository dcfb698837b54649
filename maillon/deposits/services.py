"""The MD's deposits: open one, record exchange sessions (items out, items back, in bulk),
answer the library's requests, and say where a deposit stands against its quotas.

Locks: the deposit first (its quotas are counted under it), then the items in id order
(circulation's ``lock_items``), then what the circulation services lock. Two MD staff scanning
the same item into two sessions wait for the item; the second sees it deposited already. One
open entry per item (a partial unique index) backs that check.

What travels: at a bibliobus visit or a choice at the MD, the items change place in the staff's
hands (the item service moves them: home and current the library, back to the MD). Items sent
by the shuttle travel as transfers (circulation's ``send_many``), received at the other end
like any transfer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record, record_many
from maillon.catalogue.items import move_items, status_label
from maillon.catalogue.models import Audience, Item, ItemStatus, ItemType, md_stock
from maillon.circulation import capacity
from maillon.circulation.common import lock_items
from maillon.circulation.transfers import send_many
from maillon.core.dates import day as long_day
from maillon.core.errors import DomainError, Kind
from maillon.deposits.models import (
    Deposit,
    DepositAllowance,
    DepositEntry,
    DepositLevel,
    DepositRequest,
    ExchangeSession,
)
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, require

S = ItemStatus
# Statuses an item brought back keeps at the MD; a lost or missing one is found again.
KEPT_ON_RETURN = frozenset({S.DAMAGED, S.NOT_FOR_LOAN, S.IN_PROCESSING})
FOUND_ON_RETURN = frozenset({S.AVAILABLE, S.LOST, S.MISSING})
# Gone from a deposit: the commune is billed for them.
LOST_STATUSES = (S.LOST, S.MISSING)
# "Due back" lists the items due within this many days (and those overdue).
DUE_SOON_DAYS = 30


class DepositError(DomainError):
    """A refused deposit operation."""


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _months_later(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _lock(deposit: Deposit) -> Deposit:
    return Deposit.objects.select_for_update().get(pk=deposit.pk)


def open_deposit(
    actor, md: Library, library: Library, level: DepositLevel, opened_on: dt.date
) -> Deposit:
    """The MD starts lending `library` its documents at `level`'s quotas (MANAGE at the MD).
    Codes: not_departmental, same_library, deposit_open."""
    require(actor, Action.MANAGE, md)
    if md.kind != LibraryKind.DEPARTMENTAL:
        raise DepositError(
            "not_departmental",
            _("Only the departmental library lends deposits."),
            field="library",
            kind=Kind.INVALID,
        )
    if library.pk == md.pk or library.kind == LibraryKind.DEPARTMENTAL:
        raise DepositError(
            "same_library",
            _("Choose a library of the network to lend the deposit to."),
            field="library",
            kind=Kind.INVALID,
        )
    try:
        with transaction.atomic():
            deposit = Deposit.objects.create(
                md=md, library=library, level=level, opened_on=opened_on
            )
            record(
                "deposit_opened",
                deposit,
                actor=actor,
                library=library,
                details={"level": level.code},
            )
    except IntegrityError:
        raise DepositError(
            "deposit_open",
            _("%(library)s already has a deposit of the departmental library.")
            % {"library": library.name},
            field="library",
            kind=Kind.CONFLICT,
        ) from None
    return deposit


def set_level(actor, deposit: Deposit, level: DepositLevel) -> Deposit:
    """The library moves to another level: the new quotas count from the next scan."""
    require(actor, Action.MANAGE, deposit.md_id)
    with transaction.atomic():
        deposit = _lock(deposit)
        old = deposit.level.code
        deposit.level = level
        deposit.save(update_fields=["level"])
        record(
            "deposit_level_changed",
            deposit,
            actor=actor,
            library=deposit.library_id,
            details={"changes": {"level": [old, level.code]}},
        )
    return deposit


def open_session(actor, deposit: Deposit, day: dt.date, kind: str) -> ExchangeSession:
    """The exchange session of the deposit's library on `day` (one per library and date: the
    one already there is returned). Codes: deposit_closed, bad_kind."""
    require(actor, Action.MANAGE, deposit.md_id)
    if kind not in ExchangeSession.Kind.values:
        raise DepositError(
            "bad_kind", _("Choose the kind of exchange."), field="kind", kind=Kind.INVALID
        )
    if deposit.closed_on is not None:
        raise DepositError("deposit_closed", _("This deposit is closed."))
    existing = ExchangeSession.objects.filter(library=deposit.library_id, day=day).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            session = ExchangeSession.objects.create(
                deposit=deposit,
                library_id=deposit.library_id,
                day=day,
                kind=kind,
                created_by=_user(actor),
            )
            record(
                "deposit_session_opened",
                session,
                actor=actor,
                library=deposit.library_id,
                details={"deposit": deposit.pk},
            )
    except IntegrityError:  # opened by a colleague meanwhile
        return ExchangeSession.objects.get(library=deposit.library_id, day=day)
    return session


def close_session(actor, session: ExchangeSession) -> ExchangeSession:
    require(actor, Action.MANAGE, session.deposit.md_id)
    with transaction.atomic():
        session = ExchangeSession.objects.select_for_update().get(pk=session.pk)
        if session.closed_at is None:
            session.closed_at = timezone.now()
            session.save(update_fields=["closed_at"])
            record("deposit_session_closed", session, actor=actor, library=session.library_id)
    return session


@dataclass
class ScanResult:
    """What a bulk scan did: items taken, barcodes refused with why, warnings (over a quota
    that only warns)."""

    done: list[Item] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _barcodes(barcodes: Iterable[str]) -> list[str]:
    """Each barcode once, in the order scanned."""
    return list(dict.fromkeys(b.strip() for b in barcodes if b and b.strip()))


def _scanned_items(codes: list[str], result: ScanResult) -> list[Item]:
    """The scanned items locked (id order), the unknown barcodes refused; in scan order."""
    found = dict(Item.objects.filter(barcode__in=codes).values_list("barcode", "pk"))
    for code in codes:
        if code not in found:
            result.refused.append(
                (code, _("No item has the barcode %(barcode)s.") % {"barcode": code})
            )
    locked = {item.pk: item for item in lock_items(list(found.values()))}
    return [locked[found[code]] for code in codes if code in found]


def _open_session(session: ExchangeSession) -> ExchangeSession:
    session = ExchangeSession.objects.select_related("deposit").get(pk=session.pk)
    if session.closed_at is not None:
        raise DepositError(
            "session_closed",
            _("The session of %(day)s is closed: open a new one.")
            % {"day": long_day(session.day, with_year=True)},
        )
    return session


def _open_entries(items: list[Item]) -> dict[int, DepositEntry]:
    return {
        entry.item_id: entry
        for entry in DepositEntry.objects.filter(
            item__in=items, returned_on__isnull=True
        ).select_related("deposit__library")
    }


def _lend_refusal(deposit: Deposit, item: Item, entry: DepositEntry | None) -> str | None:
    values = {"barcode": item.barcode, "status": status_label(item.status)}
    if item.owner_id != deposit.md_id:
        return (
            _(
                "The item %(barcode)s is not the departmental library's: only its documents are "
                "lent on deposit."
            )
            % values
        )
    if entry is not None:
        values["library"] = entry.deposit.library.at_name
        values["day"] = long_day(entry.lent_on, with_year=True)
        return _("The item %(barcode)s is already on deposit %(library)s (since %(day)s).") % values
    if item.status != S.AVAILABLE:
        return _("The item %(barcode)s is %(status)s: it cannot go on deposit.") % values
    if item.current_id != deposit.md_id:
        return _("The item %(barcode)s is not on the departmental library's shelves.") % values
    return None


def quota_counts(deposit: Deposit) -> Counter[tuple[str, int]]:
    """(audience, item type id) → items in the deposit now."""
    rows = (
        DepositEntry.objects.filter(deposit=deposit, returned_on__isnull=True)
        .values_list("item__audience", "item__item_type_id")
        .annotate(n=Count("pk"))
    )
    return Counter({(audience, type_id): n for audience, type_id, n in rows})


def _covered(allowance: DepositAllowance, counts: Counter[tuple[str, int]]) -> int:
    return sum(n for (aud, type_id), n in counts.items() if allowance.covers(aud, type_id))


def _quota_message(allowance: DepositAllowance, count: int, level: DepositLevel) -> str:
    values = {
        "quota": allowance.label(),
        "count": count,
        "max": allowance.max_items,
        "level": level.name,
    }
    if allowance.max_items == 0:
        return _("%(quota)s: none on deposit at the level « %(level)s ».") % values
    return _("%(quota)s: %(count)d on deposit, the level « %(level)s » allows %(max)d.") % values


def lend(actor, session: ExchangeSession, barcodes: Iterable[str]) -> ScanResult:
    """The items scanned go on deposit at the session's library, in one transaction: each one
    the MD's, on its shelves, in no deposit, within the level's quotas (a strict quota refuses
    the item, another warns). Refused barcodes are reported; the others go. Codes:
    session_closed, deposit_closed; conflict if an item was just deposited elsewhere (only
    possible without the item's lock)."""
    require(actor, Action.MANAGE, session.deposit.md_id)
    codes = _barcodes(barcodes)
    result = ScanResult()
    with transaction.atomic():
        deposit = _lock(session.deposit)
        if deposit.closed_on is not None:
            raise DepositError("deposit_closed", _("This deposit is closed."))
        session = _open_session(session)
        items = _scanned_items(codes, result)
        entries = _open_entries(items)
        counts = quota_counts(deposit)
        allowances = list(deposit.level.allowances.select_related("item_type"))
        for item in items:
            refusal = _lend_refusal(deposit, item, entries.get(item.pk))
            if refusal is not None:
                result.refused.append((item.barcode, refusal))
                continue
            key = (item.audience, item.item_type_id)
            counts[key] += 1
            over = [a for a in allowances if a.covers(*key) and _covered(a, counts) > a.max_items]
            strict = [a for a in over if a.strict]
            if strict:
                counts[key] -= 1
                why = _quota_message(strict[0], _covered(strict[0], counts), deposit.level)
                message = _("%(barcode)s refused — %(why)s") % {"barcode": item.barcode, "why": why}
                result.refused.append((item.barcode, message))
                continue
            for allowance in over:
                why = _quota_message(allowance, _covered(allowance, counts), deposit.level)
                result.warnings.append(
                    _("%(barcode)s over the quota — %(why)s")
                    % {"barcode": item.barcode, "why": why}
                )
            result.done.append(item)
        _within_capacity(deposit.library, result)
        if not result.done:
            return result
        due = _months_later(session.day, deposit.level.period_months)
        try:
            with transaction.atomic():
                DepositEntry.objects.bulk_create(
                    DepositEntry(
                        deposit=deposit, item=item, lent_in=session, lent_on=session.day, due_on=due
                    )
                    for item in result.done
                )
        except IntegrityError:  # only without the items' locks (see the concurrency tests)
            raise DepositError(
                "just_deposited",
                _("One of these items was just put on deposit by a colleague: scan again."),
                kind=Kind.CONFLICT,
            ) from None
        library = deposit.library
        if session.kind == ExchangeSession.Kind.SHUTTLE:
            send_many(actor, deposit.md, result.done, library)  # transfers; home the library
        else:
            move_items(result.done, S.AVAILABLE, library, home=library)
        record_many(
            [
                ("deposit_lent", item, {"deposit": deposit.pk, "session": session.pk})
                for item in result.done
            ],
            actor=actor,
            library=library,
        )
    return result


def _within_capacity(library: Library, result: ScanResult) -> None:
    """The library's caps (circulation.capacity, as lots, grids and floating check-ins): the
    items that would break one are refused, in scan order, the others go. One count when
    the whole scan fits; item by item only when it does not."""
    if capacity.refusal(library, result.done) is None:
        return
    kept: list[Item] = []
    for item in result.done:
        why = capacity.refusal(library, [*kept, item])
        if why is None:
            kept.append(item)
        else:
            message = _("%(barcode)s refused — %(why)s") % {"barcode": item.barcode, "why": why}
            result.refused.append((item.barcode, message))
    result.done = kept


def _return_refusal(deposit: Deposit, item: Item, entry: DepositEntry | None) -> str | None:
    values = {"barcode": item.barcode, "status": status_label(item.status)}
    if entry is None:
        return _(
            "The item %(barcode)s was never deposited %(library)s: it is not in this deposit."
        ) % {**values, "library": deposit.library.at_name}
    if entry.deposit_id != deposit.pk:
        return _("The item %(barcode)s is on deposit %(library)s, not here.") % {
            **values,
            "library": entry.deposit.library.at_name,
        }
    if item.status == S.ON_LOAN:
        return (
            _(
                "The item %(barcode)s is on loan to a reader: it stays in the deposit until it is "
                "returned."
            )
            % values
        )
    if item.status not in FOUND_ON_RETURN | KEPT_ON_RETURN:
        return _("The item %(barcode)s is %(status)s: settle that first.") % values
    return None


def take_back(actor, session: ExchangeSession, barcodes: Iterable[str]) -> ScanResult:
    """The items brought back to the MD at a bibliobus visit or a choice at the MD: their
    entries closed, home and place the MD again (a lost one is found; a damaged one stays
    damaged). Codes: session_closed."""
    require(actor, Action.MANAGE, session.deposit.md_id)
    codes = _barcodes(barcodes)
    result = ScanResult()
    with transaction.atomic():
        deposit = _lock(session.deposit)
        session = _open_session(session)
        items = _scanned_items(codes, result)
        entries = _open_entries(items)
        for item in items:
            refusal = _return_refusal(deposit, item, entries.get(item.pk))
            if refusal is None:
                result.done.append(item)
            else:
                result.refused.append((item.barcode, refusal))
        if not result.done:
            return result
        DepositEntry.objects.filter(pk__in=[entries[i.pk].pk for i in result.done]).update(
            returned_in=session, returned_on=session.day
        )
        md = deposit.md_id
        for status in sorted({_back_status(i) for i in result.done}):
            move_items([i for i in result.done if _back_status(i) == status], status, md, home=md)
        record_many(
            [
                ("deposit_returned", item, {"deposit": deposit.pk, "session": session.pk})
                for item in result.done
            ],
            actor=actor,
            library=deposit.library_id,
        )
    return result


def _back_status(item: Item) -> str:
    return item.status if item.status in KEPT_ON_RETURN else S.AVAILABLE


def send_back(actor, deposit: Deposit, barcodes: Iterable[str], today: dt.date) -> ScanResult:
    """The library returns items of its deposit by the shuttle (desk work there): their
    entries closed, transfers to the MD made and sent, the MD their home again."""
    require(actor, Action.CIRCULATE, deposit.library_id)
    codes = _barcodes(barcodes)
    result = ScanResult()
    with transaction.atomic():
        deposit = _lock(deposit)
        items = _scanned_items(codes, result)
        entries = _open_entries(items)
        for item in items:
            refusal = _return_refusal(deposit, item, entries.get(item.pk))
            if refusal is None and (
                item.status != S.AVAILABLE or item.current_id != deposit.library_id
            ):
                refusal = _("The item %(barcode)s is not on the shelves %(library)s.") % {
                    "barcode": item.barcode,
                    "library": deposit.library.of_name,
                }
            if refusal is None:
                result.done.append(item)
            else:
                result.refused.append((item.barcode, refusal))
        if not result.done:
            return result
        DepositEntry.objects.filter(pk__in=[entries[i.pk].pk for i in result.done]).update(
            returned_on=today
        )
        send_many(actor, deposit.library, result.done, deposit.md)
        record_many(
            [("deposit_sent_back", item, {"deposit": deposit.pk}) for item in result.done],
            actor=actor,
            library=deposit.library_id,
        )
    return result


def ask(actor, deposit: Deposit, text: str) -> DepositRequest:
    """The library asks the MD for a title or a theme (desk work there)."""
    require(actor, Action.CIRCULATE, deposit.library_id)
    text = (text or "").strip()
    if not text:
        raise DepositError(
            "text_missing",
            _("Say what you ask for: a title, an author, a theme."),
            field="text",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        asked = DepositRequest.objects.create(
            deposit=deposit, text=text[:300], requested_by=_user(actor)
        )
        record("deposit_requested", asked, actor=actor, library=deposit.library_id)
    return asked


def _answering_items(asked: DepositRequest, barcodes: Iterable[str]) -> list[Item]:
    """The items named in an answer: each on deposit at the request's library now."""
    codes = _barcodes(barcodes)
    entries = {
        e.item.barcode: e.item
        for e in DepositEntry.objects.filter(
            deposit=asked.deposit, returned_on__isnull=True, item__barcode__in=codes
        ).select_related("item")
    }
    wrong = [code for code in codes if code not in entries]
    if wrong:
        raise DepositError(
            "not_on_deposit",
            _("Not on deposit at %(library)s: %(barcodes)s. Lend them in a session first.")
            % {"library": asked.deposit.library.name, "barcodes": ", ".join(wrong)},
            field="barcodes",
            kind=Kind.INVALID,
        )
    return [entries[code] for code in codes]


def answer(
    actor,
    asked: DepositRequest,
    state: str,
    note: str = "",
    session: ExchangeSession | None = None,
    barcodes: Iterable[str] = (),
) -> DepositRequest:
    """The MD answers a request: sent by the shuttle (in a session, with the items that
    answer it, already lent to the library) or declined. Codes: bad_state, already_answered,
    not_on_deposit, declined_with_items."""
    require(actor, Action.MANAGE, asked.deposit.md_id)
    if state not in (DepositRequest.State.SENT, DepositRequest.State.DECLINED):
        raise DepositError("bad_state", _("Choose an answer."), field="state", kind=Kind.INVALID)
    items = _answering_items(asked, barcodes)
    if items and state == DepositRequest.State.DECLINED:
        raise DepositError(
            "declined_with_items",
            _("A declined request sends no item: choose « sent » or remove the barcodes."),
            field="barcodes",
            kind=Kind.INVALID,
        )
    with transaction.atomic():
        asked = DepositRequest.objects.select_for_update().get(pk=asked.pk)
        if asked.state != DepositRequest.State.OPEN:
            raise DepositError("already_answered", _("This request has been answered already."))
        asked.state, asked.answer, asked.session = state, (note or "").strip()[:300], session
        asked.save(update_fields=["state", "answer", "session"])
        asked.items.set(items)
        record(
            "deposit_request_answered",
            asked,
            actor=actor,
            library=asked.deposit.library_id,
            details={"answer_state": state},
        )
    return asked


@dataclass
class QuotaLine:
    allowance: DepositAllowance
    count: int

    @property
    def over(self) -> bool:
        return self.count > self.allowance.max_items


@dataclass
class Summary:
    deposit: Deposit
    total: int
    by_kind: list[tuple[str, str, int]]  # audience, medium, count
    quotas: list[QuotaLine]
    oldest: list[DepositEntry]
    due: list[DepositEntry]
    lost: list[DepositEntry]
    lost_value: Decimal
    own_stock: int
    md_stock: int


def _open(deposit: Deposit):
    return DepositEntry.objects.filter(deposit=deposit, returned_on__isnull=True).select_related(
        "item", "item__record", "item__item_type"
    )


def summary(deposit: Deposit, today: dt.date) -> Summary:
    """Where a deposit stands: counts by audience and medium against the quotas, the oldest
    items, what is due back, what is lost; and the library's own stock beside the MD's."""
    counts = quota_counts(deposit)
    types = dict(ItemType.objects.values_list("pk", "name"))
    audiences = dict(Audience.choices)
    by_kind = sorted(
        (str(audiences.get(aud, aud)), types.get(type_id, "—"), n)
        for (aud, type_id), n in counts.items()
    )
    allowances = sorted(
        deposit.level.allowances.select_related("item_type"),
        key=lambda a: (a.item_type is not None, str(a.item_type or ""), a.audience),
    )  # the total first
    quotas = [QuotaLine(a, _covered(a, counts)) for a in allowances]
    lost = list(_open(deposit).filter(item__status__in=LOST_STATUSES).order_by("item__barcode"))
    stock = Item.objects.filter(home=deposit.library_id).exclude(status=S.WITHDRAWN)
    split = stock.aggregate(md=Count("pk", filter=md_stock()), all=Count("pk"))
    return Summary(
        deposit=deposit,
        total=sum(counts.values()),
        by_kind=by_kind,
        quotas=quotas,
        oldest=list(_open(deposit).order_by("lent_on", "pk")[:20]),
        due=list(
            _open(deposit)
            .filter(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
            .exclude(item__status__in=LOST_STATUSES)
            .order_by("due_on", "item__call_number")
        ),
        lost=lost,
        lost_value=sum((e.item.price or Decimal("0") for e in lost), Decimal("0")),
        own_stock=split["all"] - split["md"],
        md_stock=split["md"],
    )


def lost_rows(deposits: Iterable[Deposit]) -> list[list[object]]:
    """The items lost from deposits, one line each, for billing the communes."""
    rows: list[list[object]] = [
        [
            _("Library"),
            _("Commune"),
            _("Barcode"),
            _("Title"),
            _("Status"),
            _("Deposited on"),
            _("Price"),
        ]
    ]
    entries = (
        DepositEntry.objects.filter(
            deposit__in=list(deposits), returned_on__isnull=True, item__status__in=LOST_STATUSES
        )
        .select_related("deposit__library", "item", "item__record")
        .order_by("deposit__library__name", "item__barcode")
    )
    for entry in entries:
        rows.append(
            [
                entry.deposit.library.name,
                entry.deposit.library.commune,
                entry.item.barcode,
                entry.item.record.title,
                status_label(entry.item.status),
                entry.lent_on,
                entry.item.price,
            ]
        )
    return rows


def overview(deposits: Iterable[Deposit], today: dt.date) -> list[dict[str, object]]:
    """One line per deposit for the MD's list: items, total quota, due, lost, last session."""
    deposits = list(deposits)
    counts = dict(
        DepositEntry.objects.filter(deposit__in=deposits, returned_on__isnull=True)
        .values_list("deposit")
        .annotate(n=Count("pk"))
    )
    due = dict(
        DepositEntry.objects.filter(
            deposit__in=deposits,
            returned_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .exclude(item__status__in=LOST_STATUSES)
        .values_list("deposit")
        .annotate(n=Count("pk"))
    )
    lost = dict(
        DepositEntry.objects.filter(
            deposit__in=deposits, returned_on__isnull=True, item__status__in=LOST_STATUSES
        )
        .values_list("deposit")
        .annotate(n=Count("pk"))
    )
    totals = dict(
        DepositAllowance.objects.filter(audience="", item_type__isnull=True)
        .values_list("level")
        .annotate(m=Sum("max_items"))
    )
    last = dict(
        ExchangeSession.objects.filter(deposit__in=deposits)
        .values_list("deposit")
        .annotate(d=Max("day"))
    )
    return [
        {
            "deposit": d,
            "count": counts.get(d.pk, 0),
            "quota": totals.get(d.level_id),
            "due": due.get(d.pk, 0),
            "lost": lost.get(d.pk, 0),
            "last_session": last.get(d.pk),
        }
        for d in deposits
    ]


def open_deposit_of(library: Library | int) -> Deposit | None:
    return (
        Deposit.objects.select_related("library", "md", "level")
        .filter(library=library, closed_on__isnull=True)
        .first()
    )


def entry_of(item: Item) -> DepositEntry | None:
    return (
        DepositEntry.objects.select_related("deposit__library", "deposit__md")
        .filter(item=item, returned_on__isnull=True)
        .first()
    )


def _require_md(actor) -> None:
    """Quotas are the MD's rules: its staff (or a coordinator) change them."""
    md = Library.objects.filter(kind=LibraryKind.DEPARTMENTAL).first()
    require(actor, Action.MANAGE, md)


def set_allowance(
    actor,
    level: DepositLevel,
    *,
    audience: str,
    item_type: ItemType | None,
    max_items: int,
    strict: bool,
) -> DepositAllowance:
    """Add or change the level's quota for this audience and medium."""
    _require_md(actor)
    with transaction.atomic():
        allowance, created = DepositAllowance.objects.update_or_create(
            level=level,
            audience=audience or "",
            item_type=item_type,
            defaults={"max_items": max_items, "strict": strict},
        )
        record(
            "deposit_quota_set",
            level,
            actor=actor,
            details={"quota": f"{allowance.label()} ≤ {max_items}"},
        )
    return allowance


def remove_allowance(actor, allowance: DepositAllowance) -> None:
    _require_md(actor)
    with transaction.atomic():
        record(
            "deposit_quota_removed",
            allowance.level,
            actor=actor,
            details={"quota": allowance.label()},
        )
        allowance.delete()
