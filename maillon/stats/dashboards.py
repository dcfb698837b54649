"""The dashboards' panels: each a table (what a screen reader reads and a spreadsheet gets) and
a chart drawn from the same rows on the server (SVG, readable without JavaScript)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

import pygal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pygal.style import Style

from maillon.core import dates
from maillon.network.models import Library
from maillon.stats import series
from maillon.stats.facts import Period
from maillon.stats.series import Loans

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#666",
    colors=("#1f5f8b", "#c8553d", "#3a7d44", "#8a6d1d", "#6b4c9a"),
    font_family="system-ui, sans-serif",
)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
MAX_BARS = 15  # a chart of communes shows the first ones; its table lists them all


@dataclass
class Panel:
    key: str
    title: str
    header: list[str]
    rows: list[list[object]]
    kind: str = "bar"  # bar, line, none (a table only)
    series: list[str] = field(default_factory=list)  # the columns drawn, after the label

    def image(self) -> str:
        """The chart as a data: address for an <img>: its own styles apply there, which the
        page's Content-Security-Policy refuses inline."""
        svg = self.svg()
        if not svg:
            return ""
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    def svg(self) -> str:
        if self.kind == "none" or not self.rows:
            return ""
        chart_class = pygal.Line if self.kind == "line" else pygal.Bar
        chart = chart_class(
            js=[],
            disable_xml_declaration=True,
            style=STYLE,
            height=320,
            show_legend=len(self.series) > 1,
            legend_at_bottom=True,
            x_label_rotation=30 if len(self.rows) > 6 else 0,
            print_values=False,
        )
        shown = self.rows[:MAX_BARS]
        chart.x_labels = [str(row[0]) for row in shown]
        for index, name in enumerate(self.series, start=1):
            chart.add(name, [row[index] for row in shown])
        # pygal always inlines its tooltips' configuration: the chart needs no script.
        return SCRIPT.sub("", chart.render(is_unicode=True))


def _earlier(period: Period) -> Period:
    """The same days a year before (28 February for a 29th)."""

    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.start), back(period.end))


def loans_by_month(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    now = (loans or Loans(period, library)).by("month")
    before = Loans(_earlier(period), library).by("month")
    this, last = _("this period"), _("a year before")
    return Panel(
        "loans_month",
        _("Loans by month"),
        [_("month"), this, last],
        [[row.label, row.value, old.value] for row, old in zip(now, before, strict=True)],
        kind="line",
        series=[this, last],
    )


def _grouped(
    key: str,
    title: str | Promise,
    group_by: str,
    period: Period,
    library: Library | None,
    loans: Loans | None = None,
) -> Panel:
    rows = (loans or Loans(period, library)).by(group_by)
    return Panel(
        key,
        str(title),
        [_("group"), _("loans")],
        [[r.label, r.value] for r in rows],
        series=[_("loans")],
    )


def active_by_commune(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    """A borrower is active in a calendar year (the survey's definition: a loan in the year):
    the communes of each year the period touches (the current one so far), from the yearly
    summaries, whatever days of it the period covers."""
    today = timezone.localdate()
    years = [y for y in range(period.start.year, period.end.year + 1) if y <= today.year]
    counted = {
        year: {
            row.key: row
            for row in series.active_by_commune(
                Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)), library
            )
        }
        for year in years
    }
    communes: dict[str, str] = {}
    for year in reversed(years):  # the latest year's order, most borrowers first
        communes.update({key: row.label for key, row in counted[year].items()})
    names = [str(year) for year in years]
    return Panel(
        "active_commune",
        _("Active borrowers by commune, per calendar year"),
        [_("commune"), *names],
        [
            [label, *(counted[year][key].value if key in counted[year] else 0 for year in years)]
            for key, label in communes.items()
        ],
        series=names,
    )


def turnover(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    rows = series.turnover(period, library, loans)
    return Panel(
        "turnover",
        _("Turnover: loans per document held"),
        [_("library"), _("loans per document")],
        [[r.label, r.value] for r in rows],
        series=[_("loans per document")],
    )


def turnover_by_medium(
    period: Period, library: Library | None, loans: Loans | None = None
) -> Panel:
    rows = series.turnover_by_medium(period, library, loans)
    return Panel(
        "turnover_medium",
        _("Turnover by kind of document: loans per document held"),
        [_("kind of document"), _("loans per document")],
        [[r.label, r.value] for r in rows],
        series=[_("loans per document")],
    )


def collection_age(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    when, rows = series.collection_age(period, library)
    documents = _("documents")
    return Panel(
        "collection_age",
        _("Collection age (years since publication), on the evening of %(day)s")
        % {"day": dates.day(when, with_year=True, weekday=False)},
        [_("age"), documents],
        [[r.label, r.value] for r in rows],
        series=[documents],
    )


def holds(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    wait = _("average wait until ready (days)")
    return Panel(
        "holds",
        _("Holds by pickup library"),
        [
            _("pickup library"),
            wait,
            _("holds placed"),
            _("holds collected"),
            _("of which by the shuttle"),
        ],
        [
            [h.library.name, h.wait_days, h.placed, h.collected, h.moved]
            for h in series.holds(period, library)
        ],
        series=[wait],
    )


def hold_lenders(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    """What each library sent for other libraries' holds and received for its own; its loans
    not made of documents received for its holds are the share from its own collection."""
    lent, borrowed = _("sent for other libraries' holds"), _("received for its own holds")
    made = {row.key: row.value for row in (loans or Loans(period, library)).by("library")}
    rows = []
    for lib, out, came in series.hold_lenders(period, library):
        n = made.get(lib.code, 0)
        rows.append([lib.name, out, came, round(100 * (n - came) / n, 1) if n else 0])
    return Panel(
        "hold_lenders",
        _("Holds satisfied by another library: documents sent and received"),
        [_("library"), lent, borrowed, _("share of its loans from its own collection (%)")],
        rows,
        series=[lent, borrowed],
    )


def shuttle_by_month(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    rows = series.shuttle_by_month(period, library)
    if library is None:  # what the network sends, it receives
        sent = _("documents sent")
        return Panel(
            "shuttle_month",
            _("The shuttle by month"),
            [_("month"), sent],
            [[m, out] for m, out, _came in rows],
            series=[sent],
        )
    sent, received = _("documents sent"), _("documents received")
    return Panel(
        "shuttle_month",
        _("The shuttle by month"),
        [_("month"), sent, received],
        [list(row) for row in rows],
        series=[sent, received],
    )


def shuttle(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    matrix = series.shuttle_matrix(period, library)
    header = [_("from / to"), *(lib.name for lib in matrix.libraries), _("total sent")]
    rows: list[list[object]] = [
        [sender.name, *line, total] for sender, line, total in matrix.rows()
    ]
    if rows:
        received = matrix.received()
        rows.append([_("total received"), *received, sum(received)])
    return Panel(
        "shuttle",
        _("The shuttle: documents sent from one library to another"),
        header,
        rows,
        kind="none",
    )


def events(period: Period, library: Library | None, loans: Loans | None = None) -> Panel:
    sessions, came = _("sessions"), _("attendance")
    return Panel(
        "events",
        _("Events and attendance by month"),
        [_("month"), sessions, came],
        [[m, n, a] for m, n, a in series.events_by_month(period, library)],
        series=[sessions, came],
    )


class PanelOf(Protocol):
    def __call__(
        self, period: Period, library: Library | None, loans: Loans | None = None
    ) -> Panel: ...


PANELS: dict[str, PanelOf] = {
    "loans_month": loans_by_month,
    "loans_library": partial(
        _grouped, "loans_library", gettext_lazy("Loans by library"), "library"
    ),
    "loans_medium": partial(
        _grouped, "loans_medium", gettext_lazy("Loans by kind of document"), "medium"
    ),
    "loans_audience": partial(
        _grouped, "loans_audience", gettext_lazy("Loans by audience"), "audience"
    ),
    "active_commune": active_by_commune,
    "turnover": turnover,
    "turnover_medium": turnover_by_medium,
    "collection_age": collection_age,
    "holds": holds,
    "hold_lenders": hold_lenders,
    "shuttle_month": shuttle_by_month,
    "shuttle": shuttle,
    "events": events,
}


# The dashboard's pages: each a few panels read together (the period's loans counted once).
SECTIONS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "loans": (
        gettext_lazy("Loans and borrowers"),
        ("loans_month", "loans_library", "loans_medium", "loans_audience", "active_commune"),
    ),
    "collections": (gettext_lazy("Collections"), ("turnover", "turnover_medium", "collection_age")),
    "shuttle": (
        gettext_lazy("Holds and the shuttle"),
        ("holds", "hold_lenders", "shuttle_month", "shuttle"),
    ),
    "events": (gettext_lazy("Cultural action"), ("events",)),
}


def panels(period: Period, library: Library | None, section: str = "loans") -> list[Panel]:
    """The panels of a dashboard's page; the period's loans are counted once for all of them."""
    loans = Loans(period, library)
    return [PANELS[key](period, library, loans) for key in SECTIONS[section][1]]
