"""The cultural programme's pages at a département's scale (issue 16: the public agenda and the
network calendar for a year of 5,000 events over 50 libraries, p95 ≤ 100 ms server time), run
inside a process whose database is a fresh benchmark one
(`python -m maillon.bench.worker programme SEED ROUNDS`).

The network is generated directly (50 libraries 60 km across, 5,000 events of one to three
weekly dates over the coming year, 5 % drafts and 3 % cancelled); the events are data for the
pages, not what is measured, so they are written in bulk. Server time: Django's test Client runs
the whole stack in this process. Baseline in the same run: the same reading without the page
(the agenda's query, the calendar's sessions, clashes and gaps).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from maillon.network.models import Library, LibraryKind, Role, StaffRole
from maillon.programme import calendar
from maillon.programme.agenda import public_sessions
from maillon.programme.models import (
    Audience,
    CalendarRules,
    Event,
    EventKind,
    EventStatus,
    Session,
)

from .report import load_average, p95, server_version

LIBRARIES = 50
EVENTS = 5000


def _figures(values: list[float]) -> dict:
    return {"runs": len(values), "median": statistics.median(values), "p95": p95(values)}


def build(seed: int, libraries_count: int = LIBRARIES, events_count: int = EVENTS) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(seed)
    libraries = Library.objects.bulk_create(
        Library(
            code=f"B{n:03d}",
            name=f"Médiathèque {n:03d}",
            kind=LibraryKind.HEAD if n == 0 else LibraryKind.MEMBER,
            commune=f"Commune {n:03d}",
            latitude=Decimal("46.3") + Decimal(rng.randint(0, 5400)) / 10000,
            longitude=Decimal("-0.6") + Decimal(rng.randint(0, 7800)) / 10000,
        )
        for n in range(libraries_count)
    )
    kinds = list(EventKind.objects.all())
    audiences = [a for a in Audience.values if a != Audience.PROFESSIONALS]
    start = timezone.localdate()
    zone = timezone.get_current_timezone()
    events = Event.objects.bulk_create(
        Event(
            title=f"Animation {n:05d}",
            description="Une animation de la saison.",
            kind=rng.choice(kinds),
            audience=rng.choice(audiences),
            library=rng.choice(libraries),
            status=rng.choices(
                [EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED], [92, 5, 3]
            )[0],
            capacity=20,
            registration_required=n % 4 == 0,
        )
        for n in range(events_count)
    )
    sessions = []
    for event in events:
        day = start + dt.timedelta(days=rng.randrange(365))
        begins = dt.datetime.combine(day, dt.time(rng.choice([10, 14, 16, 18])), tzinfo=zone)
        for week in range(rng.choice([1, 1, 2, 3])):
            at = begins + dt.timedelta(weeks=week)
            sessions.append(Session(event=event, starts_at=at, ends_at=at + dt.timedelta(hours=1)))
    Session.objects.bulk_create(sessions)
    coordinator = get_user_model().objects.create_user("bench-coordination")
    StaffRole.objects.create(user=coordinator, library=libraries[0], role=Role.COORDINATOR)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"libraries": libraries_count, "events": events_count, "sessions": len(sessions)}


def _timed(call) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if getattr(response, "status_code", 200) != 200:
        raise SystemExit(f"unexpected HTTP {response.status_code}")
    return elapsed


def run(seed: int, rounds: int, libraries: int = LIBRARIES, events: int = EVENTS) -> dict:
    built = build(seed, libraries, events)
    rng = random.Random(seed + 1)
    codes = list(Library.objects.values_list("code", flat=True))
    today = timezone.localdate()
    months = [(today.replace(day=1) + dt.timedelta(days=31 * n)).replace(day=1) for n in range(12)]
    public, staff = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    staff.force_login(get_user_model().objects.get(username="bench-coordination"))
    rules = CalendarRules.current()
    times: dict[str, list[float]] = {
        "agenda": [],
        "agenda_baseline": [],
        "calendar": [],
        "calendar_baseline": [],
    }
    for _round in range(rounds):
        for _n in range(10):
            query = rng.choice(
                [
                    {},
                    {"bibliotheque": rng.choice(codes)},
                    {"public": "children"},
                    {"du": (today + dt.timedelta(days=rng.randrange(300))).isoformat()},
                ]
            )
            times["agenda"].append(_timed(lambda q=query: public.get("/agenda/", q)))
            times["agenda_baseline"].append(
                _timed(
                    lambda q=query: list(
                        public_sessions(
                            library=q.get("bibliotheque", ""),
                            audience=q.get("public", ""),
                            day=dt.date.fromisoformat(q["du"]) if "du" in q else None,
                        )[:60]
                    )
                )
            )
            month = rng.choice(months)
            view = rng.choice(["mois", "liste"])
            extra = rng.choice([{}, {"bibliotheque": rng.choice(codes)}, {"public": "children"}])
            params = {"mois": month.strftime("%Y-%m"), "vue": view, **extra}
            times["calendar"].append(
                _timed(lambda p=params: staff.get("/pro/animations/calendrier/", p))
            )

            def reading(m=month) -> None:
                end = (m + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                found = list(calendar.sessions_between(m, end))
                calendar.clashes(found, rules)
                calendar.library_gaps(m, m.replace(year=m.year + 1) - dt.timedelta(days=1), rules)

            times["calendar_baseline"].append(_timed(reading))
    return {
        "vendor": connection.vendor,
        "server": server_version(),
        "load": load_average(),
        **built,
        **{name: _figures(values) for name, values in times.items()},
    }


def markdown(runs: dict[str, dict], machine_text: str) -> str:
    first = next(iter(runs.values()))
    rows = [
        "## Cultural programme: the public agenda and the network calendar",
        "",
        machine_text,
        "",
        f"{first['libraries']} libraries, {first['events']:,} events over the coming year "
        f"({first['sessions']:,} dates; 5 % drafts, 3 % cancelled). Server time through Django's "
        "test Client: `/agenda/` (no filter, a library, an audience or a start day drawn at "
        "random) and the staff's `/pro/animations/calendrier/` (a month of the year, grid or "
        "list, with or without a library or audience filter: clashes of the month and gaps "
        "over twelve months included). Baselines in the same run: the agenda's query alone, "
        "and the calendar's sessions, clashes and gaps without the page.",
        "",
        "| database | what | runs | median ms | p95 ms | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    labels = {
        "agenda": ("public agenda", "p95 ≤ 100 ms"),
        "agenda_baseline": ("agenda query alone", ""),
        "calendar": ("network calendar", "p95 ≤ 100 ms"),
        "calendar_baseline": ("calendar reading alone", ""),
    }
    for database, run in runs.items():
        for key, (label, target) in labels.items():
            f = run[key]
            rows.append(
                f"| {database} | {label} | {f['runs']} | {f['median']:.1f} | {f['p95']:.1f} "
                f"| {target} |"
            )
    loads = "; ".join(f"{database}: {run['load']}" for database, run in runs.items())
    rows += [
        "",
        f"Load average (1, 5, 15 min) when measuring: {loads}.",
        "",
        "Re-run: `maillon bench --only programme`",
    ]
    return "\n".join(rows)
