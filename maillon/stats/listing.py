"""The rows behind a figure ("why 1,243?"): the same rows the report counted, as a table.

Loans show what was frozen at checkout and the borrower's yearly pseudonym, never the person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.stats import facts
from maillon.stats.facts import Period
from maillon.stats.figures import Figure


def _day(value: Any) -> Any:
    return timezone.localtime(value).date() if value else None


def _name(library: Any) -> str:
    return library.name if library else ""


Column = tuple[Any, Callable[[Any], Any]]


@dataclass(frozen=True)
class Layout:
    related: tuple[str, ...]
    columns: tuple[Column, ...]


ITEM = Layout(
    ("record", "home", "owner"),
    (
        (_("barcode"), lambda i: i.barcode),
        (_("title"), lambda i: i.record.title),
        (_("call number"), lambda i: i.call_number),
        (_("document type"), lambda i: i.record.get_doc_type_display()),
        (_("audience"), lambda i: i.get_audience_display()),
        (_("home library"), lambda i: _name(i.home)),
        (_("owner"), lambda i: _name(i.owner)),
        (_("status"), lambda i: i.get_status_display()),
        (_("created"), lambda i: _day(i.created_at)),
    ),
)
LOAN = Layout(
    ("library", "item"),
    (
        (_("date"), lambda loan: _day(loan.checked_out_at)),
        (_("library"), lambda loan: _name(loan.library)),
        (_("barcode"), lambda loan: loan.item.barcode),
        (_("document type"), lambda loan: loan.medium),
        (_("audience"), lambda loan: loan.audience),
        (_("departmental library's"), lambda loan: _("yes") if loan.md_stock else ""),
        (_("patron category"), lambda loan: loan.patron_category_code),
        (_("age band"), lambda loan: loan.patron_age_band),
        (_("commune"), lambda loan: loan.patron_commune),
        (_("borrower (pseudonym)"), lambda loan: loan.patron_key),
    ),
)
HOLD = Layout(
    ("record", "pickup_library"),
    (
        (_("placed"), lambda h: _day(h.created_at)),
        (_("title"), lambda h: h.record.title),
        (_("pickup library"), lambda h: _name(h.pickup_library)),
        (_("status"), lambda h: h.get_status_display()),
        (_("ready since"), lambda h: _day(h.ready_at)),
        (_("closed"), lambda h: _day(h.closed_at)),
    ),
)
TRANSFER = Layout(
    ("item", "from_library", "to_library"),
    (
        (_("barcode"), lambda t: t.item.barcode),
        (_("from"), lambda t: _name(t.from_library)),
        (_("to"), lambda t: _name(t.to_library)),
        (_("reason"), lambda t: t.get_reason_display()),
        (_("sent"), lambda t: _day(t.sent_at)),
        (_("received"), lambda t: _day(t.received_at)),
    ),
)
PATRON = Layout(
    ("category", "home_library"),
    (
        (_("card number"), lambda p: p.card_number),
        (_("surname"), lambda p: p.surname),
        (_("first name"), lambda p: p.first_name),
        (_("category"), lambda p: p.category.name),
        (_("home library"), lambda p: _name(p.home_library)),
        (_("registered on"), lambda p: p.registered_on),
        (_("expires on"), lambda p: p.expires_on),
    ),
)
RENEWAL = Layout(
    ("library",),
    (
        (_("date"), lambda e: _day(e.at)),
        (_("library"), lambda e: _name(e.library) or _("online")),
        (_("loan"), lambda e: e.details.get("loan", "")),
    ),
)
SESSION = Layout(
    ("event__library", "event__kind"),
    (
        (_("date"), lambda s: _day(s.starts_at)),
        (_("event"), lambda s: s.event.title),
        (_("kind"), lambda s: s.event.kind.name),
        (_("audience"), lambda s: s.event.get_audience_display()),
        (_("library"), lambda s: _name(s.event.library)),
    ),
)
REGISTRATION = Layout(
    ("event", "session"),
    (
        (_("event"), lambda r: r.event.title),
        (_("date"), lambda r: _day(r.session.starts_at) if r.session else ""),
        (_("places"), lambda r: r.places),
    ),
)
LAYOUTS: dict[Callable, Layout] = {
    facts.loans: LOAN,
    facts.renewals: RENEWAL,
    facts.holds_placed: HOLD,
    facts.holds_satisfied: HOLD,
    facts.transfers_sent: TRANSFER,
    facts.transfers_received: TRANSFER,
    facts.holdings: ITEM,
    facts.items_added: ITEM,
    facts.items_bought: ITEM,
    facts.md_holdings: ITEM,
    facts.items_withdrawn: ITEM,
    facts.registered: PATRON,
    facts.new_registrations: PATRON,
    facts.sessions: SESSION,
    facts.attendance: REGISTRATION,
}


def rows_of(figure: Figure, period: Period, library: Any) -> QuerySet[Any]:
    layout = LAYOUTS[figure.fact]
    order = ("patron_key", "pk") if figure.measure == "distinct_key" else ("pk",)
    return (
        figure.fact(period, library)
        .filter(figure.where)
        .select_related(*layout.related)
        .order_by(*order)
    )


def header(figure: Figure) -> list[str]:
    return [str(label) for label, _get in LAYOUTS[figure.fact].columns]


def table(figure: Figure, rows: Iterable[Any]) -> Iterator[list[Any]]:
    columns = LAYOUTS[figure.fact].columns
    for row in rows:
        yield [get(row) for _label, get in columns]
