"""Partners' conventions, class visits (a series through the school year, never public), head
counts by age band, and the figures the annual survey asks for, per library and network."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillon.network.models import Closure, Partner, PartnerKind, Role
from maillon.programme import changes, figures, partners, registrations, services
from maillon.programme.models import Audience, ClassVisit, Convention
from maillon.programme.services import ProgrammeError
from tests.programme.conftest import SOON, at

PAST = timezone.localdate() - dt.timedelta(days=20)


@pytest.fixture
def school(network):
    return Partner.objects.create(
        library=network["a"], name="École Jules-Ferry", kind=PartnerKind.SCHOOL
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def visits(staff, library, school, day=SOON, **extra):
    return partners.schedule_class_visits(
        staff[Role.LIBRARIAN],
        library,
        school,
        class_name=extra.pop("class_name", "CE1"),
        teacher="Mme Girard",
        pupils=extra.pop("pupils", 24),
        starts_at=at(day, 9, 30),
        ends_at=at(day, 10, 30),
        **extra,
    )


def test_conventions(staff, school, client_fr):
    pdf = SimpleUploadedFile("convention.pdf", b"%PDF-1.4 signed", "application/pdf")
    convention = partners.add_convention(
        staff[Role.LIBRARIAN],
        school,
        title="Accueil des classes",
        starts_on=SOON,
        ends_on=SOON + dt.timedelta(days=300),
        document=pdf,
    )
    assert convention.in_force(SOON) and not convention.in_force(SOON - dt.timedelta(days=1))
    with pytest.raises(ProgrammeError) as wrong:
        partners.add_convention(
            staff[Role.LIBRARIAN],
            school,
            title="X",
            starts_on=SOON,
            ends_on=SOON,
            document=SimpleUploadedFile("virus.exe", b"MZ"),
        )
    assert wrong.value.field == "document"
    with pytest.raises(ProgrammeError) as backwards:
        partners.add_convention(
            staff[Role.LIBRARIAN], school, title="X", starts_on=SOON, ends_on=SOON - dt.timedelta(1)
        )
    assert "se termine avant" in backwards.value.message
    with pytest.raises(PermissionDenied):
        partners.add_convention(
            staff[Role.VOLUNTEER], school, title="X", starts_on=SOON, ends_on=SOON
        )
    assert Convention.objects.count() == 1
    client_fr.force_login(staff[Role.VOLUNTEER])
    download = client_fr.get(reverse("programme:convention_document", args=[convention.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    page = client_fr.get(reverse("programme:partner", args=[school.pk])).content.decode()
    assert "Accueil des classes" in page


def test_a_series_of_class_visits_through_the_year(staff, network, school, client_fr):
    Closure.objects.create(
        library=network["a"], start=SOON + dt.timedelta(weeks=2), end=SOON + dt.timedelta(weeks=2)
    )
    made = visits(staff, network["a"], school, every_weeks=2, until=SOON + dt.timedelta(weeks=8))
    days = [timezone.localtime(v.starts_at).date() for v in made]
    assert days == [SOON + dt.timedelta(weeks=w) for w in (0, 4, 6, 8)]  # week 2 is closed
    assert len({v.series for v in made}) == 1 and made[0].series is not None
    agenda = client_fr.get(reverse("opac:agenda"), {"du": SOON.isoformat()}).content.decode()
    assert "CE1" not in agenda and "Jules-Ferry" not in agenda  # no public page
    elsewhere = Partner.objects.create(library=network["a"], name="EHPAD", kind="retirement_home")
    with pytest.raises(ProgrammeError) as not_school:
        visits(staff, network["a"], elsewhere)
    assert not_school.value.code == "not_a_school"
    with pytest.raises(ProgrammeError) as nobody:
        visits(staff, network["a"], school, pupils=0)
    assert nobody.value.field == "pupils"
    with pytest.raises(ProgrammeError) as too_long:
        visits(staff, network["a"], school, every_weeks=1, until=SOON + dt.timedelta(days=500))
    assert too_long.value.code == "until_too_far"


def test_a_room_holds_a_class_or_an_event(staff, network, school, kinds, room):
    visits(staff, network["a"], school, room=room)
    event = services.create_event(
        staff[Role.LIBRARIAN], network["a"], kind=kinds["story-time"], title="Conte"
    )
    with pytest.raises(ProgrammeError) as taken:
        services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 10), at(SOON, 11))], room)
    assert taken.value.code == "room_taken" and "CE1" in taken.value.message
    services.add_sessions(staff[Role.LIBRARIAN], event, [(at(SOON, 14), at(SOON, 15))], room)
    with pytest.raises(ProgrammeError) as busy:
        partners.schedule_class_visits(
            staff[Role.LIBRARIAN],
            network["a"],
            school,
            class_name="CP",
            teacher="M. Roy",
            pupils=20,
            starts_at=at(SOON, 14, 30),
            ends_at=at(SOON, 15, 30),
            room=room,
        )
    assert busy.value.code == "room_taken" and "Conte" in busy.value.message


def test_headcounts_count_each_session_once(staff, network, kinds):
    librarian = staff[Role.LIBRARIAN]
    event = services.create_event(librarian, network["a"], kind=kinds["story-time"], title="Conte")
    past, future = services.add_sessions(
        librarian, event, [(at(PAST, 10), at(PAST, 11)), (at(SOON, 10), at(SOON, 11))]
    )
    with pytest.raises(ProgrammeError) as early:
        partners.record_headcount(librarian, future, {"age_0_5": 3})
    assert early.value.code == "session_to_come"
    with pytest.raises(ProgrammeError):
        partners.record_headcount(librarian, past, {"adults": -2})
    partners.record_headcount(librarian, past, {"age_0_5": 8, "adults": 6})
    count = partners.record_headcount(librarian, past, {"age_0_5": 9, "adults": 6})
    assert count.total == 15 and type(count).objects.count() == 1
    with pytest.raises(PermissionDenied):
        partners.record_headcount(staff[Role.VOLUNTEER], past, {"adults": 1})


def test_figures_per_library_and_network(staff, network, kinds, school, client_fr):
    coordinator = staff[Role.COORDINATOR]

    def event(library, title, spans, status="publish", **fields):
        made = services.create_event(
            coordinator, library, kind=kinds["story-time"], title=title, **fields
        )
        services.add_sessions(coordinator, made, spans)
        if status != "draft":
            services.publish(coordinator, made)
        return made

    story = event(
        network["a"],
        "Conte",
        [(at(PAST, 10), at(PAST, 11, 30))],
        audience=Audience.CHILDREN,
        capacity=10,
        registration_required=True,
        other_libraries=[network["b"]],
    )
    story.partners.set([school])
    # Registered before the date (the service refuses past events), then the date came.
    story.sessions.update(starts_at=at(SOON, 10), ends_at=at(SOON, 11, 30))
    family = registrations.register(story, name="Martin", email="m@example.org", places=3)
    registrations.register(story, name="Petit", email="p@example.org", places=2)
    story.sessions.update(starts_at=at(PAST, 10), ends_at=at(PAST, 11, 30))
    registrations.record_attendance(coordinator, story, {family.pk})
    film = event(network["b"], "Film", [(at(PAST, 20), at(PAST, 22))], audience=Audience.ADULTS)
    partners.record_headcount(coordinator, film.sessions.get(), {"adults": 30, "seniors": 12})
    event(network["b"], "Expo", [(at(PAST, 10), at(PAST + dt.timedelta(days=15), 18))])
    event(network["a"], "Brouillon", [(at(PAST, 15), at(PAST, 16))], status="draft")
    gone = event(network["a"], "Annulé", [(at(SOON, 15), at(SOON, 16))])
    changes.cancel_event(coordinator, gone)
    gone.sessions.update(starts_at=at(PAST, 15), ends_at=at(PAST, 16))
    visit = visits(staff, network["a"], school, day=PAST)[0]
    partners.record_visit(staff[Role.LIBRARIAN], visit, pupils_came=21)
    visits(staff, network["a"], school, day=PAST + dt.timedelta(days=1), class_name="CE1")
    visits(staff, network["a"], school, day=PAST + dt.timedelta(days=2), class_name="CP", pupils=18)
    start, end = PAST - dt.timedelta(days=5), PAST + dt.timedelta(days=5)

    a = figures.for_period(network["a"], start, end)
    assert (a.events, a.sessions, a.hours) == (1, 1, 1.5)
    assert (a.registered, a.present, a.counted, a.attendance) == (5, 3, 0, 3)
    assert (a.class_visits, a.classes, a.pupils, a.partners) == (3, 2, 21 + 24 + 18, 1)
    b = figures.for_period(network["b"], start, end)
    assert b.events == 3 and b.sessions == 3  # the shared story time, the film, the exhibition
    assert b.hours == 1.5 + 2  # the exhibition's fortnight is not counted in hours
    assert b.counted == 42 and b.counted_by_band["seniors"] == 12 and b.class_visits == 0
    whole = figures.for_period(None, start, end)
    assert (whole.events, whole.sessions, whole.attendance, whole.pupils) == (3, 3, 45, 63)
    assert sorted(whole.by_audience.values()) == [1, 1, 1]
    assert figures.for_period(None, end + dt.timedelta(1), end + dt.timedelta(2)).events == 0
    client_fr.force_login(staff[Role.LIBRARIAN])
    url = reverse("programme:figures")
    page = client_fr.get(url, {"du": start.isoformat(), "au": end.isoformat()}).content.decode()
    assert "Bibliothèque AAA" in page and "Réseau" in page
    csv = client_fr.get(url, {"du": start.isoformat(), "au": end.isoformat(), "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[-1].startswith("Réseau;3;3;")
    assert ClassVisit.objects.count() == 3
