"""Dashboards: the tables beside the charts hold the hand-counted figures; a librarian sees
their library only; a bad period is refused in French; each panel exports."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maillon.network.models import Role
from maillon.programme.models import Audience as EventAudience
from maillon.programme.models import Event, EventKind, EventStatus, Registration, Session
from maillon.stats.dashboards import PANELS, SECTIONS
from maillon.stats.facts import Period
from maillon.stats.report import build

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def _panels(response):
    return {p.key: p for p in response.context["panels"]}


def _every_panel(client, query):
    """The panels of every page of the dashboard."""
    found = {}
    for section in SECTIONS:
        response = client.get(reverse("stats:dashboard"), {**query, "section": section})
        assert response.status_code == 200
        found.update(_panels(response))
    return found


def _rows(panel):
    return {row[0]: row[1:] for row in panel.rows}


@pytest.fixture
def events(network):
    kind = EventKind.objects.create(code="conte", name="Heure du conte")
    at = timezone.make_aware(dt.datetime(2025, 3, 12, 10))
    visit = Event.objects.create(
        title="Classe de CE1",
        kind=kind,
        library=network["a"],
        status=EventStatus.PUBLISHED,
        audience=EventAudience.SCHOOLS,
    )
    tale = Event.objects.create(
        title="Contes", kind=kind, library=network["a"], status=EventStatus.PUBLISHED
    )
    cancelled = Event.objects.create(
        title="Annulé", kind=kind, library=network["a"], status=EventStatus.CANCELLED
    )
    hour = dt.timedelta(hours=1)
    Session.objects.create(event=visit, starts_at=at, ends_at=at + hour)
    first = Session.objects.create(event=tale, starts_at=at, ends_at=at + hour)
    later = at + dt.timedelta(days=30)
    Session.objects.create(event=tale, starts_at=later, ends_at=later + hour)
    Session.objects.create(event=cancelled, starts_at=at, ends_at=at + hour)
    for places, attended, session in ((3, True, first), (2, False, first), (4, True, None)):
        Registration.objects.create(
            event=tale,
            session=session,
            name="X",
            places=places,
            status="confirmed",
            attended=attended,
        )


def test_events_and_attendance_in_the_report(events, network):
    values = build(2025, network["a"]).values
    assert values["sessions"] == 3  # two of the tale, one class visit; the cancelled one not
    assert values["sessions.schools"] == 1
    assert values["attendance"] == 7  # 3 who came to the first session, 4 for the whole event
    assert build(2025, network["b"]).values["sessions"] == 0


def test_the_coordinators_dashboard_holds_the_hand_counts(client, staff, activity, events):
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(reverse("stats:dashboard"), YEAR)  # the first page: loans
    assert set(_panels(response)) == set(SECTIONS["loans"][1])
    panels = _every_panel(client, YEAR)
    assert set(panels) == set(PANELS)
    assert panels["loans_library"].title == "Prêts par bibliothèque"  # titles in French too
    months = _rows(panels["loans_month"])
    assert months["01/2025"] == [2, 0] and months["04/2025"] == [2, 0]
    assert months["12/2025"] == [0, 1]  # the loan of December 2024, a year before
    assert _rows(panels["loans_library"])["Bibliothèque AAA"] == [4]
    assert _rows(panels["loans_library"])["Bibliothèque BBB"] == [3]
    communes = _rows(panels["active_commune"])
    assert communes["Parthenay"] == [2] and communes["Secondigny"] == [1]
    assert _rows(panels["turnover"])["Bibliothèque BBB"] == [1.5]
    # Books: 5 loans in 2025 (A1 three times, B1, M1), 5 held at 31/12 (A1, A2, A5, B1, M1;
    # A4 withdrawn); the video A3 lent once, held; B2 the same.
    by_kind = _rows(panels["turnover_medium"])
    assert by_kind == {"texte imprimé": [1.0], "vidéo": [1.0], "périodique": [1.0]}
    # No evening counted: the collection's age is counted at the end of the period.
    assert panels["collection_age"].title.endswith("au soir du 31 décembre 2025")
    assert sum(row[1] for row in panels["collection_age"].rows) == 7  # 8 items, A4 withdrawn
    # P2's hold at BBB: placed on 12 April, A1 ready there 13 days later by the shuttle.
    assert _rows(panels["holds"])["Bibliothèque BBB"] == [13.0, 1, 1, 1]
    assert _rows(panels["holds"])["Bibliothèque AAA"] == [0, 0, 0, 0]
    assert _rows(panels["hold_lenders"])["Bibliothèque AAA"] == [1, 0, 100.0]
    # BBB's 3 loans: B1, B2, and A1 received for P2's hold.
    assert _rows(panels["hold_lenders"])["Bibliothèque BBB"] == [0, 1, 66.7]
    assert _rows(panels["shuttle_month"])["04/2025"] == [1]
    shuttle = panels["shuttle"]
    names = shuttle.header[1:-1]
    sent = dict(zip(names, _rows(shuttle)["Bibliothèque AAA"][:-1], strict=True))
    assert sent == {"Bibliothèque AAA": 0, "Bibliothèque BBB": 1}
    received = dict(zip(names, _rows(shuttle)["total reçu"][:-1], strict=True))
    assert received == {"Bibliothèque AAA": 0, "Bibliothèque BBB": 1}
    assert _rows(panels["events"])["03/2025"] == [2, 7]
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    svg = panels["loans_month"].svg()
    assert svg.startswith("<svg") and "<script" not in svg


def test_a_librarian_sees_their_library_only(client, staff, activity):
    client.force_login(staff[Role.LIBRARIAN])  # at AAA
    response = client.get(reverse("stats:dashboard"), YEAR)
    assert _rows(_panels(response)["loans_library"]) == {"Bibliothèque AAA": [4]}
    refused = client.get(reverse("stats:dashboard"), {**YEAR, "library": "BBB"})
    assert refused.status_code == 200 and refused.context["panels"] == []
    assert "BBB" not in [code for code, _name in refused.context["form"].fields["library"].choices]


def test_an_unknown_page_of_the_dashboard_is_not_found(client, staff):
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(reverse("stats:dashboard"), {**YEAR, "section": "nope"})
    assert response.status_code == 404


def test_a_bad_period_is_refused_in_french(client_fr, staff):
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.get(
        reverse("stats:dashboard"), {"start": "2025-05-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200 and response.context["panels"] == []
    assert "La période doit commencer avant de finir." in response.content.decode()


def test_a_panel_exports_its_table(client, staff, activity):
    client.force_login(staff[Role.COORDINATOR])
    response = client.get(
        reverse("stats:dashboard"), {**YEAR, "panel": "loans_library", "format": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert "Bibliothèque AAA;4" in text


def test_the_period_of_a_year_ago_keeps_the_29th_of_february():
    from maillon.stats.dashboards import _earlier

    assert _earlier(Period(dt.date(2024, 2, 29), dt.date(2024, 3, 1))).start == dt.date(2023, 2, 28)


def test_active_borrowers_are_counted_per_calendar_year(client, staff, activity):
    client.force_login(staff[Role.COORDINATOR])
    spring = client.get(reverse("stats:dashboard"), {"start": "2025-02-15", "end": "2025-03-01"})
    communes = _panels(spring)["active_commune"]
    assert communes.header[1:] == ["2025"]  # the whole year, whatever days the period covers
    assert _rows(communes)["Parthenay"] == [2] and _rows(communes)["Secondigny"] == [1]
    both = client.get(reverse("stats:dashboard"), {"start": "2024-12-01", "end": "2025-12-31"})
    communes = _panels(both)["active_commune"]
    assert communes.header[1:] == ["2024", "2025"]
    assert _rows(communes)["Parthenay"][1] == 2
    assert sum(row[1] for row in communes.rows) == 1  # the borrower of December 2024
