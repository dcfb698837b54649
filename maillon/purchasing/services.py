"""Budgets and suppliers: funds per library and year, what each has committed, spent and left,
and the legal cap on discounts.

A fund's figures are read live from the order lines and the invoiced receipts (nothing is
stored that could disagree with them):

* ordered: net price × copies not cancelled, on every line drawn on the fund;
* spent: net price × copies received on an invoice;
* committed: ordered, not yet spent; left: amount − committed − spent;
* planned: copies promised on selection lists and not ordered yet, at their public price
  (shown apart: a commitment may still change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.purchasing.models import Commitment, Fund, Medium, OrderLine, Receipt, Supplier

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)


class PurchasingError(DomainError):
    """A refused purchasing operation."""


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """5.50 → 5.5, 9.00 → 9, 10.00 → 10 (not 1E+1)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def euro_text(value: Decimal) -> str:
    """« 1 243,50 € » in French, « €1,243.50 » in English."""
    text = formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0€" if (get_language() or "fr").startswith("fr") else f"€{text}"


def net_price(public_price: Decimal, discount: Decimal) -> Decimal:
    """The unit price paid: the public price less the discount, rounded to the cent."""
    return cents(public_price * (Decimal(100) - discount) / Decimal(100))


def excl_tax(amount: Decimal, vat_rate: Decimal) -> Decimal:
    return cents(amount * Decimal(100) / (Decimal(100) + vat_rate))


# Figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    fund: Fund
    ordered: Decimal = ZERO
    spent: Decimal = ZERO
    planned: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        return self.ordered - self.spent

    @property
    def left(self) -> Decimal:
        return self.fund.amount - self.ordered

    @property
    def left_after_planned(self) -> Decimal:
        return self.left - self.planned

    @property
    def used_percent(self) -> int:
        if not self.fund.amount:
            return 100 if self.ordered else 0
        return int(self.ordered * 100 / self.fund.amount)


def _sums(rows: Iterable[dict]) -> dict[int, Decimal]:
    return {row["fund_id"]: row["sum"] or ZERO for row in rows}


def figures(funds: Iterable[Fund]) -> list[Figures]:
    """Each fund's figures, in three grouped queries whatever the number of funds."""
    funds = list(funds)
    ids = [f.pk for f in funds]
    ordered = _sums(
        OrderLine.objects.filter(fund_id__in=ids)
        .values("fund_id")
        .annotate(
            sum=Sum(ExpressionWrapper(F("net_price") * (F("quantity") - F("cancelled")), MONEY))
        )
    )
    spent = _sums(
        Receipt.objects.filter(line__fund_id__in=ids, invoice__isnull=False)
        .values(fund_id=F("line__fund_id"))
        .annotate(sum=Sum(ExpressionWrapper(F("line__net_price") * F("quantity"), MONEY)))
    )
    planned = _sums(
        Commitment.objects.filter(fund_id__in=ids, line__isnull=True)
        .values("fund_id")
        .annotate(
            sum=Sum(
                ExpressionWrapper(Coalesce(F("title__public_price"), ZERO) * F("quantity"), MONEY)
            )
        )
    )
    return [
        Figures(f, ordered.get(f.pk, ZERO), spent.get(f.pk, ZERO), planned.get(f.pk, ZERO))
        for f in funds
    ]


def figures_of(fund: Fund) -> Figures:
    return figures([fund])[0]


def check_fund_room(fund: Fund, amount: Decimal, reason: str, *, planned: bool = True) -> str:
    """Refuse to draw `amount` on a fund it would overspend unless a reason is given (kept with
    what is drawn). Returns the reason kept ("" when the fund has room). Code: fund_overspent."""
    found = figures_of(fund)
    room = found.left_after_planned if planned else found.left
    if amount <= room:
        return ""
    reason = (reason or "").strip()
    if not reason:
        raise PurchasingError(
            "fund_overspent",
            _(
                "The fund %(fund)s has %(left)s left: %(amount)s would overspend it. "
                "Give a reason to go ahead anyway."
            )
            % {"fund": str(fund), "left": euro_text(room), "amount": euro_text(amount)},
            field="overspent_reason",
            details={"left": str(room), "amount": str(amount)},
        )
    return reason[:300]


# Funds ----------------------------------------------------------------------------------------


def funds_for(library: Library | int, year: int):
    return Fund.objects.filter(library=library, year=year).select_related("library")


@transaction.atomic
def save_fund(actor, fund: Fund) -> Fund:
    """Create or change a fund (MANAGE at its library). Codes: amount_negative, code_taken,
    amount_below_ordered."""
    require(actor, Action.MANAGE, fund.library_id)
    if fund.amount is None or fund.amount < 0:
        raise PurchasingError(
            "amount_negative",
            _("A fund's amount is zero or more."),
            field="amount",
            kind=Kind.INVALID,
        )
    fund.code = (fund.code or "").strip().upper()
    taken = Fund.objects.filter(library=fund.library_id, year=fund.year, code=fund.code)
    if taken.exclude(pk=fund.pk).exists():
        raise PurchasingError(
            "code_taken",
            _("This library already has a fund %(code)s for %(year)s.")
            % {"code": fund.code, "year": fund.year},
            field="code",
            kind=Kind.CONFLICT,
        )
    creating = fund.pk is None
    if not creating:
        Fund.objects.select_for_update().get(pk=fund.pk)
        ordered = figures_of(fund).ordered
        if fund.amount < ordered:
            raise PurchasingError(
                "amount_below_ordered",
                _("%(amount)s already ordered on this fund: its amount cannot be lower.")
                % {"amount": euro_text(ordered)},
                field="amount",
            )
    fund.amount = cents(fund.amount)
    fund.save()
    audit(
        "fund_created" if creating else "fund_changed",
        fund,
        actor=actor,
        library=fund.library_id,
        details={"fund_amount": str(fund.amount)},
    )
    return fund


# Suppliers and the legal cap ----------------------------------------------------------------


def discount_warning(discount: Decimal, medium: Medium) -> str:
    """Words for a discount above the legal cap of its medium, or ""."""
    if medium.discount_cap is None or discount <= medium.discount_cap:
        return ""
    return _(
        "A discount of %(discount)s %% on %(medium)s exceeds the legal cap of %(cap)s %% "
        "for public libraries (%(source)s)."
    ) % {
        "discount": formats.number_format(plain(discount), use_l10n=True),
        "medium": medium.name.lower(),
        "cap": formats.number_format(plain(medium.discount_cap), use_l10n=True),
        "source": medium.cap_source or _("the law"),
    }


@transaction.atomic
def save_supplier(actor, supplier: Supplier) -> str:
    """Create or change a supplier (the network's contracts: ADMINISTER). Saved even above
    the legal cap; returns the warning to show then. Codes: name_missing, gln_invalid."""
    from stdnum import ean

    require(actor, Action.ADMINISTER)
    supplier.name = (supplier.name or "").strip()
    if not supplier.name:
        raise PurchasingError(
            "name_missing", _("Give the supplier's name."), field="name", kind=Kind.INVALID
        )
    supplier.gln = "".join(supplier.gln.split())
    if supplier.gln and (len(supplier.gln) != 13 or not ean.is_valid(supplier.gln)):
        raise PurchasingError(
            "gln_invalid",
            _("A GLN has 13 digits, the last one a check digit: %(gln)s is not valid.")
            % {"gln": supplier.gln},
            field="gln",
            kind=Kind.INVALID,
        )
    creating = supplier.pk is None
    supplier.save()
    audit(
        "supplier_created" if creating else "supplier_changed",
        supplier,
        actor=actor,
        details={"supplier_discount": str(supplier.discount)},
    )
    return discount_warning(supplier.discount, supplier.medium)
