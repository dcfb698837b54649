"""The yearly lending-right declaration (droit de prêt): libraries declare invoices, not titles,
of the books they bought (5.5 % VAT): per invoice its number, date, amounts before and after tax
and the bookseller's GLN. Which invoices count is data: the supplier's medium is "declared for
the lending right" (seeded for books, migration 0002_media)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from maillon.network.models import Library
from maillon.purchasing.models import Invoice


def invoices(year: int, library: Library | int | None = None) -> QuerySet[Invoice]:
    """The invoices of the year to declare, at one library or (None) in the whole network."""
    found = Invoice.objects.filter(
        date__gte=dt.date(year, 1, 1),
        date__lte=dt.date(year, 12, 31),
        supplier__medium__lending_right=True,
    )
    if library is not None:
        found = found.filter(library=library)
    return found.select_related("supplier", "library").order_by("library__name", "date", "pk")


@dataclass
class Totals:
    count: int
    excl_tax: Decimal
    incl_tax: Decimal


def totals(found: QuerySet[Invoice]) -> Totals:
    sums = found.aggregate(excl=Sum("amount_excl_tax"), incl=Sum("amount_incl_tax"))
    zero = Decimal("0.00")
    return Totals(found.count(), sums["excl"] or zero, sums["incl"] or zero)


def table(found: QuerySet[Invoice], *, network: bool) -> list[list[object]]:
    """The declaration as rows, header first (the library's column only for the network)."""
    header: list[object] = [
        _("Invoice number"),
        _("Invoice date"),
        _("Amount excl. VAT"),
        _("Amount incl. VAT"),
        _("Bookseller"),
        _("Bookseller's GLN"),
    ]
    rows: list[list[object]] = [[_("Library"), *header] if network else header]
    for invoice in found:
        row: list[object] = [
            invoice.number,
            invoice.date,
            invoice.amount_excl_tax,
            invoice.amount_incl_tax,
            invoice.supplier.name,
            invoice.supplier.gln,
        ]
        rows.append([invoice.library.name, *row] if network else row)
    return rows
