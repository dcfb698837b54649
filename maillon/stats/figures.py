"""Every figure of the annual report, defined once: the rows it counts (a fact of facts.py and
a filter) and how it counts them. The report computes all the figures of one fact in one
aggregate query; the page behind a figure lists the same rows with the same filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Audience, DocType, md_stock
from maillon.network.models import Library
from maillon.patrons.models import AGE_BANDS, CategoryKind, PatronCategory
from maillon.programme.models import Audience as EventAudience
from maillon.stats import facts, summaries
from maillon.stats.facts import Period

FULL, ABRIDGED, VERY_ABRIDGED = "full", "abridged", "very_abridged"
ALL_FORMS = frozenset({FULL, ABRIDGED, VERY_ABRIDGED})
NOT_VERY = frozenset({FULL, ABRIDGED})
ONLY_FULL = frozenset({FULL})

# The survey's families of documents (2015 notice, section D): D1 printed books, D2 current
# periodicals, D3 other documents, D4 audiovisual and multimedia on physical media.
FAMILIES: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "D1": (_("printed books"), (DocType.TEXT,)),
    "D2": (_("periodicals"), (DocType.PERIODICAL,)),
    "D3": (
        _("other documents (scores, images, games, kits…)"),
        (DocType.SCORE, DocType.IMAGE, DocType.GAME, DocType.KIT, DocType.OTHER),
    ),
    "D4": (
        _("audiovisual and multimedia"),
        (DocType.SOUND, DocType.MUSIC, DocType.VIDEO, DocType.MULTIMEDIA),
    ),
}
KNOWN_MEDIA = tuple(m for _label, media in FAMILIES.values() for m in media)


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise | str
    fact: Callable[[Period, Library | None], QuerySet[Any]]
    where: Q = field(default_factory=Q)
    measure: str = "count"  # count, distinct_key, sum_places
    code: str = ""  # the survey's indicator code, where it is public
    forms: frozenset[str] = ALL_FORMS
    sub: bool = False  # a detail of the line above

    @property
    def section(self) -> str:
        return "D" if self.code.startswith("D") else (self.code or "network")

    def aggregate(self) -> Any:
        if self.measure == "distinct_key":
            return Count("patron_key", distinct=True, filter=self.where & ~Q(patron_key=""))
        if self.measure == "sum_places":
            return Sum("places", filter=self.where)
        return Count("pk", filter=self.where)


def _category_codes(kind: str) -> list[str]:
    return list(PatronCategory.objects.filter(kind=kind).values_list("code", flat=True))


def _collection_figures() -> list[Figure]:
    found = [
        Figure("holdings", _("Documents held at 31/12"), facts.holdings, ~md_stock(), code="D"),
        Figure(
            "holdings_md",
            _("Documents lent by the departmental library, held at 31/12"),
            facts.md_holdings,
            code="D",
        ),
    ]
    for code, (label, media) in FAMILIES.items():
        own = ~md_stock() & Q(record__doc_type__in=media)
        found += [
            Figure(f"holdings.{code}", label, facts.holdings, own, code=code),
            Figure(
                f"holdings.{code}.youth",
                _("of which for youth"),
                facts.holdings,
                own & Q(audience=Audience.YOUTH),
                code=code,
                forms=NOT_VERY,
                sub=True,
            ),
            Figure(
                f"holdings_md.{code}",
                _("lent by the departmental library"),
                facts.md_holdings,
                Q(record__doc_type__in=media),
                code=code,
                forms=NOT_VERY,
                sub=True,
            ),
            Figure(
                f"added.{code}",
                _("acquired in the year"),
                facts.items_added,
                own,
                code=code,
                sub=True,
            ),
            Figure(
                f"added.{code}.youth",
                _("acquired in the year, for youth"),
                facts.items_added,
                own & Q(audience=Audience.YOUTH),
                code=code,
                forms=NOT_VERY,
                sub=True,
            ),
            Figure(
                f"bought.{code}",
                _("received from the network's orders in the year"),
                facts.items_bought,
                own,
                code=code,
                forms=NOT_VERY,
                sub=True,
            ),
            Figure(
                f"withdrawn.{code}",
                _("withdrawn in the year"),
                facts.items_withdrawn,
                own,
                code=code,
                sub=True,
            ),
        ]
    return found


def _user_figures() -> list[Figure]:
    child = Q(category__kind=CategoryKind.CHILD)
    collective = Q(category__kind=CategoryKind.COLLECTIVE)
    found = [
        Figure(
            "registered",
            _("Registered patrons (card valid in the year)"),
            facts.registered,
            code="E1",
        ),
        Figure(
            "registered.child", _("of which children"), facts.registered, child, code="E1", sub=True
        ),
        Figure(
            "registered.collective",
            _("of which collective borrowers"),
            facts.registered,
            collective,
            code="E1",
            sub=True,
        ),
        Figure("new", _("New registrations in the year"), facts.new_registrations, code="E1"),
        Figure(
            "active",
            _("Active borrowers (at least one loan in the year)"),
            facts.loans,
            measure="distinct_key",
            code="E1",
        ),
    ]
    for kind, label in (
        (CategoryKind.ADULT, _("of which adults")),
        (CategoryKind.CHILD, _("of which children")),
        (CategoryKind.COLLECTIVE, _("of which collective borrowers")),
    ):
        found.append(
            Figure(
                f"active.{kind}",
                label,
                facts.loans,
                Q(patron_category_code__in=_category_codes(kind)),
                measure="distinct_key",
                code="E1",
                forms=NOT_VERY,
                sub=True,
            )
        )
    for _low, _high, band in AGE_BANDS:
        found.append(
            Figure(
                f"active.age.{band}",
                _("aged %(band)s") % {"band": band},
                facts.loans,
                Q(patron_age_band=band),
                measure="distinct_key",
                code="E1",
                forms=ONLY_FULL,
                sub=True,
            )
        )
    found.append(
        Figure(
            "loans.no_key",
            _("Loans whose borrower is not known (anonymised before Maillon kept a pseudonym)"),
            facts.loans,
            Q(patron_key=""),
            code="E1",
        )
    )
    return found


def _loan_figures() -> list[Figure]:
    found = [Figure("loans", _("Loans (renewals apart)"), facts.loans, code="E2")]
    for code, (label, media) in FAMILIES.items():
        found.append(
            Figure(f"loans.{code}", label, facts.loans, Q(medium__in=media), code="E2", sub=True)
        )
    found += [
        Figure(
            "loans.other_medium",
            _("document type not known"),
            facts.loans,
            ~Q(medium__in=KNOWN_MEDIA),
            code="E2",
            forms=NOT_VERY,
            sub=True,
        ),
        Figure(
            "loans.adult",
            _("of adult documents"),
            facts.loans,
            Q(audience=Audience.ADULT),
            code="E2",
            sub=True,
        ),
        Figure(
            "loans.youth",
            _("of youth documents"),
            facts.loans,
            Q(audience=Audience.YOUTH),
            code="E2",
            sub=True,
        ),
        Figure(
            "loans.md",
            _("of documents lent by the departmental library"),
            facts.loans,
            Q(md_stock=True),
            code="E2",
            forms=NOT_VERY,
            sub=True,
        ),
        Figure("renewals", _("Renewals (counted apart)"), facts.renewals, code="E2"),
    ]
    return found


def _network_figures() -> list[Figure]:
    return [
        Figure("holds", _("Holds placed for pickup here"), facts.holds_placed, forms=NOT_VERY),
        Figure("holds_satisfied", _("Holds collected here"), facts.holds_satisfied, forms=NOT_VERY),
        Figure("sent", _("Documents sent by the shuttle"), facts.transfers_sent, forms=NOT_VERY),
        Figure(
            "received",
            _("Documents received by the shuttle"),
            facts.transfers_received,
            forms=NOT_VERY,
        ),
    ]


def _action_figures() -> list[Figure]:
    return [
        Figure("sessions", _("Events held (each session counts)"), facts.sessions, code="H"),
        Figure(
            "sessions.schools",
            _("of which school class visits"),
            facts.sessions,
            Q(event__audience=EventAudience.SCHOOLS),
            code="H",
            sub=True,
        ),
    ]


def all_figures() -> list[Figure]:
    """In the survey's order. Built on each call: the category codes are data."""
    return (
        _collection_figures()
        + _user_figures()
        + _loan_figures()
        + _network_figures()
        + _action_figures()
    )


def _by_fact(figures: list[Figure]) -> dict[Callable, list[Figure]]:
    by_fact: dict[Callable, list[Figure]] = {}
    for figure in figures:
        by_fact.setdefault(figure.fact, []).append(figure)
    return by_fact


def compute(
    figures: list[Figure], period: Period, library: Library | None, summaries_first: bool = True
) -> dict[str, float]:
    """Every figure's value: one aggregate query per fact, on the summary tables when they
    cover the period (``summaries_first``), else on the raw rows."""
    values: dict[str, float] = {}
    for fact, group in _by_fact(figures).items():
        if summaries_first:
            from_summaries = summaries.compute(group, fact, period, library)
            if from_summaries is not None:
                values.update(from_summaries)
                continue
        # Aliases by position: a figure's key is not a column name.
        found = fact(period, library).aggregate(
            **{f"f{i}": f.aggregate() for i, f in enumerate(group)}
        )
        values.update({f.key: found[f"f{i}"] or 0 for i, f in enumerate(group)})
    return values


# The column by which a fact's rows name their library (as `fact(period, library)` filters
# them): a page of many libraries counts all of them in one grouped statement per fact.
BY_LIBRARY: dict[Callable, str] = {
    facts.loans: "library",
    facts.holds_placed: "pickup_library",
    facts.holds_satisfied: "pickup_library",
    facts.transfers_sent: "from_library",
    facts.transfers_received: "received_library",
    facts.holdings: "home",
    facts.items_added: "home",
    facts.items_bought: "home",
    facts.items_withdrawn: "home",
    facts.registered: "home_library",
    facts.new_registrations: "home_library",
}


def compute_each(
    figures: list[Figure], period: Period, libraries: list[Library], summaries_first: bool = True
) -> dict[int, dict[str, float]]:
    """`compute` for each of `libraries` (by id), the same values: one statement per fact
    grouped by library where its rows name it (``BY_LIBRARY``) or the summaries cover the
    period, else one per fact and library (renewals, the MD's deposits, shared sessions)."""
    values: dict[int, dict[str, float]] = {library.pk: {} for library in libraries}
    for fact, group in _by_fact(figures).items():
        found = summaries.compute_each(group, fact, period) if summaries_first else None
        if found is None and fact in BY_LIBRARY:
            column = BY_LIBRARY[fact]
            rows = (
                fact(period, None)
                .order_by()
                .values(column)
                .annotate(**{f"f{i}": f.aggregate() for i, f in enumerate(group)})
            )
            found = {
                row[column]: {f.key: row[f"f{i}"] or 0 for i, f in enumerate(group)} for row in rows
            }
        if found is None:  # summaries do not cover the period: none of the libraries
            for library in libraries:
                values[library.pk].update(compute(group, period, library, False))
            continue
        for library in libraries:
            counted = found.get(library.pk, {})
            values[library.pk].update({f.key: counted.get(f.key, 0) for f in group})
    return values
