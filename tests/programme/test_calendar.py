"""The network calendar: clashes (same audience, same day, libraries close by the rules' distance),
gaps (a library silent for months, an audience nobody serves), a library's season, and sessions
outside opening hours (warned, kept)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.models import Library, OpeningHours, Role
from maillon.programme import calendar, changes, services
from maillon.programme.models import Audience, CalendarRules, Session
from maillon.programme.services import ProgrammeError
from tests.programme.conftest import SOON, at

# Parthenay and Secondigny are 13 km apart; Niort is 45 km from both.
PARTHENAY = (Decimal("46.648600"), Decimal("-0.247800"))
SECONDIGNY = (Decimal("46.609900"), Decimal("-0.414200"))
NIORT = (Decimal("46.323200"), Decimal("-0.464300"))


def place(library: Library, where) -> Library:
    library.latitude, library.longitude = where
    library.save()
    return library


@pytest.fixture
def made(staff, kinds):
    coordinator = staff[Role.COORDINATOR]

    def make(library, title, day=SOON, audience=Audience.CHILDREN, hours=(10, 11), publish=True):
        event = services.create_event(
            coordinator, library, kind=kinds["story-time"], title=title, audience=audience
        )
        services.add_sessions(coordinator, event, [(at(day, hours[0]), at(day, hours[1]))])
        return services.publish(coordinator, event) if publish else event

    return make


def month_sessions(day=SOON):
    return list(calendar.sessions_between(day.replace(day=1), day.replace(day=28)))


def titles(clashes):
    return [sorted(s.event.title for s in c.sessions) for c in clashes]


def test_close_libraries_same_audience_same_day_clash(network, made):
    place(network["a"], PARTHENAY)
    place(network["b"], SECONDIGNY)
    place(network["head"], NIORT)
    made(network["a"], "Conte A")
    made(network["b"], "Conte B", hours=(15, 16))
    made(network["head"], "Conte Niort")  # too far
    made(network["b"], "Atelier ados", audience=Audience.TEENS)  # another audience
    made(network["b"], "Conte du lendemain", day=SOON + dt.timedelta(days=1))
    rules = CalendarRules(clash_km=15, gap_months=3)
    found = calendar.clashes(calendar.sessions_between(SOON, SOON), rules)
    assert titles(found) == [["Conte A", "Conte B"]]
    assert found[0].day == SOON and found[0].audience == Audience.CHILDREN
    assert calendar.clashes(calendar.sessions_between(SOON, SOON), CalendarRules(clash_km=10)) == []
    wide = calendar.clashes(calendar.sessions_between(SOON, SOON), CalendarRules(clash_km=50))
    assert titles(wide) == [["Conte A", "Conte B", "Conte Niort"]]


def test_without_coordinates_the_same_commune_is_close(network, made):
    network["b"].commune = network["a"].commune
    network["b"].save()
    made(network["a"], "Conte A")
    made(network["b"], "Conte B")
    made(network["head"], "Conte ailleurs")
    found = calendar.clashes(calendar.sessions_between(SOON, SOON), CalendarRules())
    assert titles(found) == [["Conte A", "Conte B"]]


def test_a_cancelled_event_no_longer_clashes(network, made, staff):
    made(network["a"], "Conte A")
    second = made(network["a"], "Conte B", hours=(14, 15))  # the same library is close
    assert len(calendar.clashes(calendar.sessions_between(SOON, SOON), CalendarRules())) == 1
    changes.cancel_event(staff[Role.COORDINATOR], second)
    assert calendar.clashes(calendar.sessions_between(SOON, SOON), CalendarRules()) == []


def test_gaps_and_audiences_nobody_serves(network, made):
    start = SOON
    for month in range(0, 12, 2):
        made(network["a"], f"Conte {month}", day=start + dt.timedelta(days=30 * month))
    made(network["b"], "Seul conte", day=start + dt.timedelta(days=200))
    gaps = calendar.library_gaps(start, start + dt.timedelta(days=364), CalendarRules(gap_months=3))
    by_library = {}
    for gap in gaps:
        by_library.setdefault(gap.library.code, []).append(gap)
    assert "AAA" not in by_library  # an event every two months
    assert [(g.start, g.end) for g in by_library["BBB"]] == [
        (start, start + dt.timedelta(days=199)),
        (start + dt.timedelta(days=201), start + dt.timedelta(days=364)),
    ]
    assert "MD" not in by_library  # the departmental library serves libraries, not readers
    assert [g.days for g in by_library["HEAD"]] == [365]
    unserved = calendar.unserved_audiences(month_sessions())
    assert str(Audience.TEENS.label) in unserved
    assert str(Audience.CHILDREN.label) not in unserved


def test_outside_opening_hours_is_warned_and_kept(network, staff, kinds, client_fr):
    library = network["a"]
    OpeningHours.objects.create(
        library=library, weekday=SOON.isoweekday(), opens=dt.time(10), closes=dt.time(18)
    )
    library = Library.objects.prefetch_related("opening_hours", "closures").get(pk=library.pk)
    assert not calendar.outside_hours(library, at(SOON, 10), at(SOON, 11))
    assert calendar.outside_hours(library, at(SOON, 18), at(SOON, 20))
    assert calendar.outside_hours(
        library, at(SOON + dt.timedelta(days=1), 10), at(SOON + dt.timedelta(days=1), 11)
    )
    event = services.create_event(
        staff[Role.LIBRARIAN], library, kind=kinds["screening"], title="Ciné"
    )
    client_fr.force_login(staff[Role.LIBRARIAN])
    response = client_fr.post(
        reverse("programme:event", args=[event.pk]),
        {"day": SOON.isoformat(), "starts": "20:00", "ends": "22:00", "weeks": 1},
        follow=True,
    )
    page = response.content.decode()
    assert "En dehors des horaires d’ouverture de la Bibliothèque AAA" in page
    assert Session.objects.filter(event=event).count() == 1


def test_calendar_pages(network, made, client_fr, staff):
    place(network["a"], PARTHENAY)
    place(network["b"], SECONDIGNY)
    made(network["a"], "Conte A")
    made(network["b"], "Conte B")
    made(network["b"], "Brouillon ados", audience=Audience.TEENS, publish=False)
    # A librarian reads the network's programme (a volunteer only her library's: see
    # test_volunteer_access.py).
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("programme:calendar")
    page = client_fr.get(url, {"mois": SOON.strftime("%Y-%m")}).content.decode()
    assert "Conte A" in page and "Brouillon ados" in page and "conflit" in page
    listed = client_fr.get(url, {"mois": SOON.strftime("%Y-%m"), "vue": "liste", "public": "teens"})
    text = listed.content.decode()
    assert "Brouillon ados" in text and "Conte A</a> (" not in text
    assert client_fr.get(url, {"mois": "n'importe quoi"}).status_code == 200
    season = client_fr.get(reverse("programme:season", args=["BBB"]), {"du": SOON.isoformat()})
    assert "Conte B" in season.content.decode()
    assert client_fr.get(reverse("programme:calendar_rules")).status_code == 403
    gaps = client_fr.get(reverse("programme:calendar_gaps"), {"depuis": SOON.strftime("%Y-%m")})
    assert "Bibliothèque HEAD" in gaps.content.decode() and "rien du" in gaps.content.decode()


def test_only_the_coordinator_sets_the_rules(staff, client_fr):
    with pytest.raises(Exception) as denied:
        services.set_calendar_rules(staff[Role.LIBRARIAN], clash_km=5, gap_months=2)
    assert denied.type.__name__ == "PermissionDenied"
    with pytest.raises(ProgrammeError) as refused:
        services.set_calendar_rules(staff[Role.COORDINATOR], clash_km=500, gap_months=2)
    assert refused.value.field == "clash_km" and "200 km" in refused.value.message
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(
        reverse("programme:calendar_rules"), {"clash_km": 8, "gap_months": 2}, follow=True
    )
    assert response.status_code == 200
    assert (CalendarRules.current().clash_km, CalendarRules.current().gap_months) == (8, 2)
    entry = AuditEntry.objects.get(action="calendar_rules_changed")
    assert entry.details["changes"]["clash_km"] == [15, 8]


def test_a_busy_day_shows_eight_dates_and_the_rest_in_the_list(network, made, client_fr, staff):
    for n in range(10):
        made(network["a"], f"Lecture {n}", audience=Audience.ALL, hours=(8 + n, 9 + n))
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("programme:calendar")
    grid = client_fr.get(url, {"mois": SOON.strftime("%Y-%m")}).content.decode()
    assert grid.count(">Lecture ") == 8 and "2 de plus" in grid
    listed = client_fr.get(url, {"mois": SOON.strftime("%Y-%m"), "vue": "liste"}).content.decode()
    assert listed.count(">Lecture ") == 10 and f'id="j-{SOON.isoformat()}"' in listed
