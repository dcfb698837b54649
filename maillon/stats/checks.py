"""The consistency checks the survey runs, run before its collection window opens: totals that
do not add up, jumps from one year to the next, impossible ratios, figures left unknown.

An error must be corrected (or explained) before the report is sent; a warning asks for a
look. A library whose report has no error is ready.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from maillon.network.models import Library
from maillon.stats.facts import Period
from maillon.stats.figures import FAMILIES, Figure, all_figures, compute
from maillon.stats.report import AnnualReport, form_for

ERROR, WARNING, NOTE = "error", "warning", "note"
# A change of more than half from one year to the next is worth a look, above small numbers.
JUMP_RATIO = 0.5
JUMP_FLOOR = 20
JUMPING = ("loans", "active", "registered", "holdings", "new", "sessions")
# What the checks read of the year before.
COMPARED = frozenset(JUMPING)
MAX_LOANS_PER_BORROWER = 150


@dataclass
class Check:
    level: str
    message: str
    key: str = ""


def run(report: AnnualReport, previous: AnnualReport | None) -> list[Check]:
    found = _totals(report) + _ratios(report)
    if previous is not None:
        found += _jumps(report, previous)
    found += _unknown(report)
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    return sorted(found, key=lambda c: order[c.level])


def year_before(
    year: int,
    library: Library | None,
    every: list[Figure] | None = None,
    counted: dict[str, float] | None = None,
) -> AnnualReport:
    """The figures of `year` that `run` compares the next year's report with, alone: a few
    aggregate queries instead of the whole report (its sections are left empty); `every` and
    `counted` as ``report.build`` takes them."""
    form = form_for(library)
    figures = [f for f in every or all_figures() if form in f.forms and f.key in COMPARED]
    if counted is None:
        values = compute(figures, Period.year(year), library)
    else:
        values = {f.key: counted[f.key] for f in figures}
    return AnnualReport(year, library, form, [], values)


def is_ready(checks: list[Check]) -> bool:
    return not any(c.level == ERROR for c in checks)


def _totals(report: AnnualReport) -> list[Check]:
    v = report.values
    found = []
    if "loans.other_medium" in v:
        parts = sum(v.get(f"loans.{code}", 0) for code in FAMILIES) + v["loans.other_medium"]
        if parts != v["loans"]:
            found.append(
                Check(
                    ERROR,
                    _(
                        "Loans by kind of document (%(parts)d) do not add up to the loans "
                        "(%(total)d)."
                    )
                    % {"parts": parts, "total": v["loans"]},
                    "loans",
                )
            )
    held = sum(v.get(f"holdings.{code}", 0) for code in FAMILIES)
    if held > v.get("holdings", 0):
        found.append(
            Check(
                ERROR,
                _("Documents by kind (%(parts)d) are more than the documents held (%(total)d).")
                % {"parts": held, "total": v.get("holdings", 0)},
                "holdings",
            )
        )
    return found


def _ratios(report: AnnualReport) -> list[Check]:
    v = report.values
    found = []
    active, loans = v.get("active", 0), v.get("loans", 0)
    if report.library is None and active > v.get("registered", 0):
        found.append(
            Check(
                ERROR,
                _("More active borrowers (%(active)d) than registered patrons (%(registered)d).")
                % {"active": active, "registered": v.get("registered", 0)},
                "active",
            )
        )
    if active and loans / active > MAX_LOANS_PER_BORROWER:
        found.append(
            Check(
                WARNING,
                _("%(ratio)d loans per active borrower: check the loans of collective cards.")
                % {"ratio": loans // active},
                "active",
            )
        )
    if loans and not v.get("holdings", 0) and not v.get("holdings_md", 0):
        found.append(
            Check(WARNING, _("Loans were made but no document is held at the end of the year."))
        )
    if v.get("loans.no_key"):
        found.append(
            Check(
                NOTE,
                _(
                    "%(n)d loans were anonymised before Maillon kept a pseudonym of the "
                    "borrower: their borrowers are not among the active borrowers."
                )
                % {"n": v["loans.no_key"]},
                "loans.no_key",
            )
        )
    return found


def _jumps(report: AnnualReport, previous: AnnualReport) -> list[Check]:
    found = []
    withdrawn = sum(report.values.get(f"withdrawn.{code}", 0) for code in FAMILIES)
    held = previous.values.get("holdings", 0) + sum(
        report.values.get(f"added.{code}", 0) for code in FAMILIES
    )
    if withdrawn > held:
        found.append(
            Check(
                ERROR,
                _(
                    "%(withdrawn)d documents withdrawn, more than the %(held)d held at the start "
                    "of the year and acquired since."
                )
                % {"withdrawn": withdrawn, "held": held},
                "holdings",
            )
        )
    for key in JUMPING:
        now, before = report.values.get(key), previous.values.get(key)
        if now is None or before is None or max(now, before) < JUMP_FLOOR:
            continue
        if before == 0 or abs(now - before) / before > JUMP_RATIO:
            label = next((line.label for _s, line in report.lines() if line.key == key), key)
            found.append(
                Check(
                    WARNING,
                    _("%(label)s: %(now)d against %(before)d the year before.")
                    % {"label": label, "now": now, "before": before},
                    key,
                )
            )
    return found


def _unknown(report: AnnualReport) -> list[Check]:
    return [
        Check(
            NOTE,
            _("%(section)s — %(label)s: not known to Maillon, to fill in by hand (NC).")
            % {"section": section.title, "label": line.label},
        )
        for section, line in report.lines()
        if line.value is None
    ]
