"""The annual report (rapport annuel SCRIB / Neoscrib) of one library or of the network.

Sections follow the 2015 notice: A identity, B places, C access, D collections, E uses (E1
users, E2 loans, then the network's services), F budget, then cultural action and staff. A
figure Maillon cannot know is None, shown "NC" (the survey's "non connu"), never a blank. The
network's report is computed over the network's rows, not added up from the libraries': a
patron who borrowed in three libraries is one active borrower of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.network.models import Library, OpeningHours, Role, StaffRole
from maillon.programme import figures as programme_figures
from maillon.stats.facts import Period
from maillon.stats.figures import FULL, VERY_ABRIDGED, Figure, all_figures, compute
from maillon.stats.models import FormByKind, SurveyForm

Value = int | float | str | None


@dataclass
class Line:
    label: str
    value: Value
    code: str = ""
    key: str = ""  # a figure's key: the rows behind it can be listed
    sub: bool = False  # a detail of the line above ("of which…")


@dataclass
class Section:
    code: str
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class AnnualReport:
    year: int
    library: Library | None
    form: str
    sections: list[Section]
    values: dict[str, float]

    @property
    def form_label(self) -> str:
        return str(SurveyForm(self.form).label)

    def lines(self) -> list[tuple[Section, Line]]:
        return [(section, line) for section in self.sections for line in section.lines]

    def figure(self, key: str) -> float | None:
        return self.values.get(key)


def form_for(library: Library | None) -> str:
    if library is None:
        return FULL
    found = FormByKind.objects.filter(library_kind=library.kind).values_list("form", flat=True)
    return found[0] if found else FULL


def _hours(library: Library) -> tuple[float, int]:
    spans = OpeningHours.objects.filter(library=library).values_list("weekday", "opens", "closes")
    minutes = sum((c.hour * 60 + c.minute) - (o.hour * 60 + o.minute) for _d, o, c in spans)
    return round(minutes / 60, 2), len({day for day, _o, _c in spans})


def _figure_lines(figures: list[Figure], values: dict[str, float], codes: set[str]) -> list[Line]:
    return [
        Line(str(f.label), values[f.key], f.code, f.key, sub=f.sub)
        for f in figures
        if f.section in codes
    ]


SECTIONS: list[tuple[str, Promise, set[str]]] = [
    ("D", gettext_lazy("D. Collections"), {"D"}),
    ("E1", gettext_lazy("E1. Users"), {"E1"}),
    ("E2", gettext_lazy("E2. Loans"), {"E2"}),
    ("E", gettext_lazy("E. The network's services: holds and shuttle"), {"network"}),
]


def build(
    year: int,
    library: Library | None,
    summaries_first: bool = True,
    every: list[Figure] | None = None,
    counted: dict[str, float] | None = None,
) -> AnnualReport:
    """The report of `library` (None: the network) for `year`; from the summary tables where
    they cover the year (``summaries_first``), else from the raw rows: the same figures.
    A page building several reports passes ``all_figures()`` read once (`every`) and the
    figures counted for all its libraries at once (`counted`, ``compute_each``)."""
    period = Period.year(year)
    form = form_for(library)
    figures = [f for f in every or all_figures() if form in f.forms]
    if counted is None:
        values = compute(figures, period, library, summaries_first)
    else:
        values = {f.key: counted[f.key] for f in figures}
    sections = [_identity(library, form), _places(library), _access(library)]
    for code, title, wanted in SECTIONS:
        sections.append(Section(code, str(title), _figure_lines(figures, values, wanted)))
    sections.append(
        Section(
            "F",
            _("F. Budget"),
            [Line(_("Acquisitions spending"), None, "F"), Line(_("Total spending"), None, "F")],
        )
    )
    sections.append(
        Section("H", _("Cultural action"), _action(figures, values, period, library, form))
    )
    sections.append(_staff(library))
    return AnnualReport(year, library, form, sections, values)


def _identity(library: Library | None, form: str) -> Section:
    if library is None:
        lines = [Line(_("Level"), _("network"), "A")]
    else:
        lines = [
            Line(_("Name"), library.name, "A"),
            Line(_("Commune"), library.commune, "A"),
            Line(_("Kind"), str(library.get_kind_display()), "A"),
        ]
    lines.append(Line(_("Form"), str(SurveyForm(form).label), "A"))
    return Section("A", _("A. Identity"), lines)


def _places(library: Library | None) -> Section:
    if library is None:
        count = Library.objects.filter(is_active=True).count()
        return Section("B", _("B. Places"), [Line(_("Places of the network"), count, "B")])
    address = " ".join(p for p in (library.address, library.postcode, library.commune) if p)
    return Section("B", _("B. Places"), [Line(_("Address"), address or None, "B")])


def _access(library: Library | None) -> Section:
    if library is None:
        return Section("C", _("C. Access"), [Line(_("Opening hours a week"), None, "C")])
    hours, days = _hours(library)
    return Section(
        "C",
        _("C. Access"),
        [
            Line(_("Opening hours a week"), hours if hours else None, "C"),
            Line(_("Days open a week"), days if days else None, "C"),
        ],
    )


def _action(
    figures: list[Figure],
    values: dict[str, float],
    period: Period,
    library: Library | None,
    form: str,
) -> list[Line]:
    """The programme's figures (``programme.figures.for_period``: its rules, read as they are),
    around the sessions, whose rows can be listed."""
    found = programme_figures.for_period(library, period.start, period.end)
    programme: list[tuple[str, str, float, bool, bool]] = [
        # key, label, value, a detail of the line above, shown in the very abridged form
        ("events", _("Cultural events held"), found.events, False, True),
        ("sessions.hours", _("Hours of sessions (shorter than a day)"), found.hours, True, False),
        ("attendance", _("Attendance (people who came)"), found.attendance, False, True),
        ("attendance.present", _("of which registered and present"), found.present, True, False),
        ("attendance.counted", _("of which counted at the door"), found.counted, True, False),
        ("class_visits", _("Class visits"), found.class_visits, False, True),
        ("class_visits.classes", _("distinct classes"), found.classes, True, False),
        ("class_visits.pupils", _("pupils who came"), found.pupils, True, False),
        ("partners", _("Partners involved in the year"), found.partners, False, True),
    ]
    lines = [Line(_("Cultural events held"), found.events, "H")]
    lines += _figure_lines(figures, values, {"H"})
    for key, label, value, sub, very in programme[1:]:
        if form != VERY_ABRIDGED or very:
            values[key] = value
            lines.append(Line(label, value, "H", sub=sub))
    values["events"] = found.events
    return lines


def _staff(library: Library | None) -> Section:
    roles = (
        StaffRole.objects.all() if library is None else StaffRole.objects.filter(library=library)
    )
    paid = roles.exclude(role=Role.VOLUNTEER).values("user").distinct().count()
    volunteers = roles.filter(role=Role.VOLUNTEER).values("user").distinct().count()
    return Section(
        "G",
        _("Staff"),
        [
            Line(_("Staff with a Maillon account"), paid, "G"),
            Line(_("Volunteers with a Maillon account"), volunteers, "G"),
            Line(_("Hours worked (full-time equivalent)"), None, "G"),
        ],
    )
