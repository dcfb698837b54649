"""The procès-verbal de désherbage: the withdrawn items with counts per destination, citing the
council's standing délibération, as a PDF to sign and as a spreadsheet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maillon.catalogue.items import Destination, WithdrawalReason, choice_label
from maillon.weeding.models import Campaign, Candidate, Decision, Deliberation, Ioupi


@dataclass
class Report:
    campaign: Campaign
    withdrawn: list[Candidate]
    by_destination: list[tuple[str, int]]
    deliberation: Deliberation | None


def report(campaign: Campaign) -> Report:
    withdrawn = list(
        campaign.candidates.filter(decision=Decision.WITHDRAW, outcome="")
        .select_related("item__record")
        .order_by("item__call_number", "item__barcode")
    )
    counts = Counter(c.destination for c in withdrawn)
    return Report(
        campaign,
        withdrawn,
        [(choice_label(Destination.CHOICES, code), n) for code, n in sorted(counts.items())],
        Deliberation.objects.filter(library=campaign.library).first(),
    )


def reason_of(candidate: Candidate) -> str:
    if candidate.ioupi:
        return str(Ioupi(candidate.ioupi).label)
    reason = "unused" if "idle" in candidate.reasons else "outdated"
    return choice_label(WithdrawalReason.CHOICES, reason)


def rows(campaign: Campaign) -> list[list[object]]:
    """The list as a table: a header, then one row per withdrawn item."""
    out: list[list[object]] = [
        [
            _("Barcode"),
            _("Call number"),
            _("Title"),
            _("Author"),
            _("Year"),
            _("Reason"),
            _("Destination"),
        ]
    ]
    for c in report(campaign).withdrawn:
        record = c.item.record
        out.append(
            [
                c.item.barcode,
                c.item.call_number,
                record.title,
                record.main_author,
                record.year,
                reason_of(c),
                choice_label(Destination.CHOICES, c.destination),
            ]
        )
    return out


def pdf(campaign: Campaign) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PV is printed

    found = report(campaign)
    html = render_to_string(
        "weeding/pv.html",
        {
            "report": found,
            "campaign": campaign,
            "lines": [
                (c, reason_of(c), choice_label(Destination.CHOICES, c.destination))
                for c in found.withdrawn
            ],
        },
    )
    return HTML(string=html).write_pdf()
