"""The rows behind every figure, for one library or the network, over one period.

Each function returns a queryset: the report counts it, the page "why this figure?" lists it.
Only rows that keep their facts are read: loans carry what they were at checkout (medium,
audience, MD stock, the patron's category, age band, commune and yearly pseudonym), holds and
transfers are never deleted, withdrawals are in the audit log. Holdings at the end of a period
are read from the yearly snapshot when one was taken (``maillon stats-refresh``), else from the
items: an item counts where its home is, from its acquisition (its acquisition date, else its
creation; never while on order) until it went out of the collection (its last change, for an
item now withdrawn, lost or missing). The departmental library's documents held at 31/12 are
read from the deposits' entries, which keep their history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus, md_stock
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer, TransferReason
from maillon.deposits import figures as deposit_figures
from maillon.network.models import Library
from maillon.patrons.models import Patron
from maillon.programme.figures import COUNTED
from maillon.programme.models import Registration, Session
from maillon.purchasing import figures as purchasing_figures


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included; times in the network's time zone."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """The first moment after the period."""
        next_day = self.end + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))

    @staticmethod
    def local_day(moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment).date()

    def during(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})


def _at(field: str, library: Library | None) -> Q:
    return Q(**{field: library}) if library is not None else Q()


def loans(period: Period, library: Library | None) -> QuerySet[Loan]:
    """Loans made in the period at the library (renewals are not loans: ISO 2789)."""
    return Loan.objects.filter(period.during("checked_out_at"), _at("library", library))


def renewals(period: Period, library: Library | None) -> QuerySet[AuditEntry]:
    """Renewals made in the period, at the desk's library, or the loan's when the patron renewed
    online."""
    loan_library = Loan.objects.filter(pk=OuterRef("loan_id")).values("library_id")[:1]
    entries = (
        AuditEntry.objects.filter(period.during("at"), action="renewed")
        .annotate(loan_id=Cast(KeyTextTransform("loan", "details"), BigIntegerField()))
        .annotate(
            where=Coalesce("library_id", Subquery(loan_library), output_field=BigIntegerField())
        )
    )
    return entries.filter(where=library.pk) if library is not None else entries


def holds_placed(period: Period, library: Library | None) -> QuerySet[Hold]:
    """Holds placed in the period, to be picked up at the library."""
    return Hold.objects.filter(period.during("created_at"), _at("pickup_library", library))


def holds_satisfied(period: Period, library: Library | None) -> QuerySet[Hold]:
    """Holds collected in the period at the library."""
    return Hold.objects.filter(
        period.during("closed_at"),
        _at("pickup_library", library),
        status=HoldStatus.FULFILLED,
        ready_at__isnull=False,
    )


def hold_wait() -> ExpressionWrapper:
    """A hold's wait, from placing it to its document waiting on the shelf."""
    return ExpressionWrapper(F("ready_at") - F("created_at"), output_field=DurationField())


def came_by_shuttle() -> Exists:
    """Did a hold's copy come by the shuttle (a transfer made for it)?"""
    return Exists(Transfer.objects.filter(hold=OuterRef("pk"), reason=TransferReason.HOLD))


def transfers_sent(period: Period, library: Library | None) -> QuerySet[Transfer]:
    return Transfer.objects.filter(period.during("sent_at"), _at("from_library", library))


def transfers_received(period: Period, library: Library | None) -> QuerySet[Transfer]:
    return Transfer.objects.filter(period.during("received_at"), _at("received_library", library))


def _acquired_by(period: Period) -> Q:
    return Q(acquired_on__lte=period.end) | Q(acquired_on__isnull=True, created_at__lt=period.until)


def holdings(period: Period, library: Library | None) -> QuerySet[Item]:
    """Items in the collection at the end of the period, at their home."""
    return (
        Item.objects.filter(_at("home", library), _acquired_by(period))
        .exclude(status=ItemStatus.ON_ORDER)
        .exclude(status__in=GONE_STATUSES, updated_at__lt=period.until)
    )


def md_holdings(period: Period, library: Library | None) -> QuerySet[Item]:
    """The departmental library's documents held at the library at the end of the period: those
    its deposits' entries place there that evening; an MD item the deposits never recorded (put
    at the library before Maillon kept deposits) counts where its home is."""
    on_deposit = deposit_figures.held_on(period.end, library)
    unrecorded = (
        holdings(period, library)
        .filter(md_stock())
        .exclude(home=F("owner"))
        .exclude(pk__in=deposit_figures.ever_deposited().values("pk"))
    )
    return Item.objects.filter(
        Q(pk__in=on_deposit.values("pk")) | Q(pk__in=unrecorded.values("pk"))
    )


Change = tuple[int, str, bool, dt.date, int]  # library, medium, MD stock, day, + in / - out


def holding_changes() -> list[Change]:
    """The days documents came into and went out of each library's holdings, per kind of
    document, as `holdings` and `md_holdings` count them on an evening (the same rule, read for
    every day at once): summed up to a day, they give the documents held that evening. A
    document comes in on its acquisition (else its creation) and goes out on its last change
    once withdrawn, lost or missing; a deposit's entry places the MD's document at the
    deposit's library from its deposit to its return."""
    arrived = Coalesce("acquired_on", TruncDate("created_at"))
    counted = Item.objects.exclude(status=ItemStatus.ON_ORDER).filter(
        ~md_stock()
        | (md_stock() & ~Q(home=F("owner")) & ~Q(pk__in=deposit_figures.ever_deposited()))
    )
    stock = Case(
        When(md_stock(), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    changes: list[Change] = []
    for items, day, sign in (
        (counted, arrived, 1),
        # Never counted when it went before it came (out the day it came in).
        (counted.filter(status__in=GONE_STATUSES), Greatest(arrived, TruncDate("updated_at")), -1),
    ):
        grouped = (
            items.order_by()
            .annotate(stock=stock, on=day)
            .values_list("home", "record__doc_type", "stock", "on")
            .annotate(n=Count("pk"))
        )
        changes += [(home, medium, md, on, sign * n) for home, medium, md, on, n in grouped]
    changes += [
        (library, medium, True, on, n) for library, medium, on, n in deposit_figures.placements()
    ]
    return changes


def items_added(period: Period, library: Library | None) -> QuerySet[Item]:
    """Items acquired in the period (their acquisition date, else their creation), at their
    home; a copy on order counts the day it is received."""
    dated = Q(acquired_on__gte=period.start, acquired_on__lte=period.end)
    undated = Q(acquired_on__isnull=True) & period.during("created_at")
    return Item.objects.filter(_at("home", library), dated | undated).exclude(
        status=ItemStatus.ON_ORDER
    )


def items_bought(period: Period, library: Library | None) -> QuerySet[Item]:
    """Copies received from Maillon's orders in the period, at their home (purchasing's)."""
    received = purchasing_figures.received(period.start, period.end)
    return Item.objects.filter(_at("home", library), pk__in=received.values("pk"))


def items_withdrawn(period: Period, library: Library | None) -> QuerySet[Item]:
    """Items withdrawn in the period (audit log), at their home."""
    withdrawn = AuditEntry.objects.filter(
        period.during("at"), action="withdrawn", object_type="item"
    ).values("object_id")
    return Item.objects.filter(_at("home", library), pk__in=withdrawn)


def registered(period: Period, library: Library | None) -> QuerySet[Patron]:
    """Patrons whose card was valid at some time in the period, by their home library."""
    return Patron.objects.filter(
        _at("home_library", library),
        registered_on__lte=period.end,
        expires_on__gte=period.start,
    )


def new_registrations(period: Period, library: Library | None) -> QuerySet[Patron]:
    return Patron.objects.filter(
        _at("home_library", library), registered_on__gte=period.start, registered_on__lte=period.end
    )


def sessions(period: Period, library: Library | None) -> QuerySet[Session]:
    """Sessions of events held in the period: the programme's rule (``programme.figures``):
    neither draft nor cancelled, at the event's library and those it is shared with."""
    held = Session.objects.filter(period.during("starts_at"), event__status__in=COUNTED)
    if library is None:
        return held
    shared = held.filter(Q(event__library=library) | Q(event__other_libraries=library))
    return Session.objects.filter(pk__in=shared.values("pk"))


def attendance(period: Period, library: Library | None) -> QuerySet[Registration]:
    """Registrations marked as come, for a session held in the period (or for the whole
    event, when its first session is in the period)."""
    held = sessions(period, library)
    first = Session.objects.filter(event=OuterRef("event")).order_by("starts_at").values("pk")[:1]
    opening = held.filter(pk=Subquery(first)).values("event")
    return Registration.objects.filter(attended=True).filter(
        Q(session__in=held) | Q(session__isnull=True, event__in=opening)
    )
