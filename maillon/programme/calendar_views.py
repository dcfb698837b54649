"""The staff's network calendar (month and list), its rules, and a library's season."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from html import escape

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from maillon.core.dates import french
from maillon.core.decorators import staff_required
from maillon.network.models import Library
from maillon.network.permissions import Action, can, require
from maillon.programme import access, calendar, dates, services
from maillon.programme.models import (
    Audience,
    CalendarRules,
    EventKind,
    EventStatus,
    Programme,
    Session,
)

GAP_HORIZON_MONTHS = 12
DAY_LINES = 8  # a day of the grid shows this many dates, then "N more" (the list has all)
CLASHES_SHOWN = 40


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class RulesForm(forms.ModelForm):
    class Meta:
        model = CalendarRules
        fields = ["clash_km", "gap_months"]


@staff_required
def network_calendar(request: HttpRequest) -> HttpResponse:
    """A month of the network's programme, as a grid or a list, with its clashes and gaps."""
    month = calendar.month_from(request.GET.get("mois", ""))
    end = _add_months(month, 1) - dt.timedelta(days=1)
    view = "liste" if request.GET.get("vue") == "liste" else "mois"
    code = request.GET.get("bibliotheque", "")[:20]
    audience = request.GET.get("public", "")
    audience = audience if audience in Audience.values else ""
    kind = request.GET.get("type", "")[:40]
    programme = request.GET.get("programme", "")[:80]
    viewable = access.viewable(request.user)
    library = viewable.filter(code=code).first() if code else None
    sessions = calendar.shown(
        calendar.sessions_between(
            month,
            end,
            libraries=viewable,
            library=library.pk if library else None,
            audience=audience,
            kind=kind,
            programme=programme,
        )
    )
    rules = CalendarRules.current()
    # Clashes are judged on the whole network, whatever the filters hide.
    everyone = (
        sessions
        if not (library or audience or kind or programme)
        else calendar.shown(calendar.sessions_between(month, end, libraries=viewable))
    )
    clashes = calendar.clashes(everyone, rules)
    clashing = {s.pk for c in clashes for s in c.sessions}
    shown = {s.pk for s in sessions}
    clashes = [c for c in clashes if any(s.pk in shown for s in c.sessions)]
    zone = timezone.get_current_timezone()
    by_day: dict[dt.date, list[calendar.ShownSession]] = defaultdict(list)
    for session in sessions:
        by_day[calendar.local_day(session.starts_at, zone)].append(session)
    labels = _Labels()

    def lines(day_sessions: list[calendar.ShownSession]) -> SafeString:
        # Only the lines shown are written (the grid shows DAY_LINES a day), as one list's
        # items: hundreds of template nodes cost more than the rest of the page.
        return mark_safe(  # noqa: S308 — _line escapes
            "".join(f"<li>{_line(s, s.pk in clashing, labels)}</li>" for s in day_sessions)
        )

    return render(
        request,
        "programme/calendar.html",
        {
            "month": month,
            "previous": _add_months(month, -1),
            "following": _add_months(month, 1),
            "view": view,
            "weeks": [
                [
                    {
                        "day": d,
                        "lines": lines(by_day.get(d, [])[:DAY_LINES]) if view == "mois" else "",
                        "more": max(len(by_day.get(d, [])) - DAY_LINES, 0),
                        "in_month": d.month == month.month,
                    }
                    for d in week
                ]
                for week in calendar.month_weeks(month)
            ],
            "days": [(d, lines(s)) for d, s in sorted(by_day.items())] if view == "liste" else [],
            "clashes": clashes[:CLASHES_SHOWN],
            "clashes_more": max(len(clashes) - CLASHES_SHOWN, 0),
            "unserved": calendar.unserved_audiences(everyone),
            "rules": rules,
            "libraries": viewable.filter(is_active=True).order_by("name"),
            "audiences": Audience.choices,
            "kinds": EventKind.objects.all(),
            "programmes": Programme.objects.all(),
            "filters": {
                "bibliotheque": code,
                "public": audience,
                "type": kind,
                "programme": programme,
            },
            "can_set_rules": can(request.user, Action.ADMINISTER),
        },
    )


class _Labels:
    """The words of one page, translated once (get_FOO_display costs a lookup each time)."""

    def __init__(self) -> None:
        self.audience = {value: str(label) for value, label in Audience.choices}
        self.status = {value: str(label) for value, label in EventStatus.choices}
        self.clash = format_html(" — <strong>{}</strong>", _("clash"))
        self.library: dict[int, str] = {}  # library id → its name, escaped once
        self.zone = timezone.get_current_timezone()
        self.french = french()


def _line(session: calendar.ShownSession, clash: bool, labels: _Labels) -> SafeString:
    """One session as the calendar shows it, built here rather than by an included template
    or format_html: a month of a département's network has hundreds."""
    event = session.event
    status = "" if event.status == EventStatus.PUBLISHED else f" ({labels.status[event.status]})"
    if event.library_id not in labels.library:
        labels.library[event.library_id] = escape(event.library.name)
    start = session.starts_at.astimezone(labels.zone)
    hour = dates.hour(start) if not labels.french else dates.french_hour(start)
    return mark_safe(  # noqa: S308 — every value below is escaped or ours
        f'<span class="{"clash " if clash else ""}{escape(event.status)}">'
        f'<a href="{event.url}">{escape(event.title)}</a>'
        f" · {hour} · {labels.library[event.library_id]}"
        f" · {escape(labels.audience[event.audience])}"
        f"{escape(status)}{labels.clash if clash else ''}</span>"
    )


@staff_required
def calendar_gaps(request: HttpRequest) -> HttpResponse:
    """Twelve months from a month on: libraries without any event for the rules' months."""
    month = calendar.month_from(request.GET.get("depuis", ""))
    horizon = _add_months(month, GAP_HORIZON_MONTHS) - dt.timedelta(days=1)
    rules = CalendarRules.current()
    viewable = set(access.viewable(request.user).values_list("pk", flat=True))
    gaps = [g for g in calendar.library_gaps(month, horizon, rules) if g.library.pk in viewable]
    return render(
        request,
        "programme/calendar_gaps.html",
        {"month": month, "horizon": horizon, "gaps": gaps, "rules": rules},
    )


@staff_required
def calendar_rules(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    form = RulesForm(request.POST or None, instance=CalendarRules.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_calendar_rules(
                request.user,
                clash_km=form.cleaned_data["clash_km"],
                gap_months=form.cleaned_data["gap_months"],
            )
        except services.ProgrammeError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The calendar rules are saved."))
            return redirect("programme:calendar")
    return render(request, "programme/calendar_rules.html", {"form": form})


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return default


def _season(today: dt.date) -> tuple[dt.date, dt.date]:
    """The school year the day falls in: 1 September to 31 August."""
    year = today.year if today.month >= 9 else today.year - 1
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


@staff_required
def season(request: HttpRequest, code: str) -> HttpResponse:
    """A library's season: its events month by month, and what each audience got."""
    library = get_object_or_404(
        Library.objects.prefetch_related("opening_hours", "closures"), code=code
    )
    access.require_view(request.user, library)
    start, end = _season(timezone.localdate())
    start = _date(request.GET.get("du", ""), start)
    end = max(_date(request.GET.get("au", ""), end), start)
    audience = request.GET.get("public", "")
    audience = audience if audience in Audience.values else ""
    sessions = list(calendar.sessions_between(start, end, library=library.pk, audience=audience))
    months: dict[dt.date, list[Session]] = defaultdict(list)
    for session in sessions:
        session.outside = calendar.outside_hours(  # type: ignore[attr-defined]
            library, session.starts_at, session.ends_at
        )
        months[calendar.local_day(session.starts_at).replace(day=1)].append(session)
    live = [s for s in sessions if s.event.status != "cancelled"]
    per_audience = Counter(s.event.get_audience_display() for s in live)
    per_kind = Counter(s.event.kind.name for s in live)
    return render(
        request,
        "programme/season.html",
        {
            "library": library,
            "start": start,
            "end": end,
            "months": sorted(months.items()),
            "per_audience": sorted(per_audience.items()),
            "per_kind": sorted(per_kind.items()),
            "audiences": Audience.choices,
            "audience": audience,
            "libraries": access.viewable(request.user).filter(is_active=True),
        },
    )
