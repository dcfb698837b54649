"""Meetings of the network's librarians: planned by the host library, staff invited by e-mail,
answers, attendance, minutes written in place, books read with their verdicts (the picks list),
a volunteer's training record, and the staff home page's "my meetings"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import Record
from maillon.network.models import Role
from maillon.programme import meetings
from maillon.programme.models import MeetingKind, Participant, Response
from maillon.programme.services import ProgrammeError
from tests.programme.conftest import SOON, at

PAST = SOON - dt.timedelta(days=30)


def plan(staff, network, kind=MeetingKind.TRAINING, day=SOON, **extra):
    return meetings.create_meeting(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=kind,
        title=extra.pop("title", "Lire à voix haute"),
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        **extra,
    )


def test_planning_and_inviting(staff, network, settings, django_capture_on_commit_callbacks):
    settings.MAILLON_PUBLIC_URL = "https://maillon.example.org"
    with pytest.raises(PermissionDenied):
        plan({Role.LIBRARIAN: staff[Role.VOLUNTEER]}, network)
    with pytest.raises(ProgrammeError) as backwards:
        meetings.create_meeting(
            staff[Role.LIBRARIAN],
            network["a"],
            kind="training",
            title="X",
            starts_at=at(SOON, 12),
            ends_at=at(SOON, 9),
        )
    assert backwards.value.field == "ends_at" and "se termine avant" in backwards.value.message
    meeting = plan(staff, network, trainer="Marie Lenoir", agenda="Choisir les albums.")
    invited = [staff[Role.VOLUNTEER], staff[Role.MD_STAFF]]
    with django_capture_on_commit_callbacks(execute=True):
        assert meetings.invite(staff[Role.LIBRARIAN], meeting, invited) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["mdstaff@example.org", "volunt@example.org"]
    body = mail.outbox[0].body
    assert "Vous êtes invité" in body and "formation" in body and "Choisir les albums." in body
    assert "https://maillon.example.org" + reverse("programme:meeting", args=[meeting.pk]) in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert meetings.invite(staff[Role.LIBRARIAN], meeting, invited) == 0  # once each
    assert mail.outbox == []
    outsider = get_user_model().objects.create_user("dupont", email="dupont@example.org")
    with pytest.raises(ProgrammeError) as refused:
        meetings.invite(staff[Role.LIBRARIAN], meeting, [outsider])
    assert refused.value.code == "not_staff"
    assert AuditEntry.objects.get(action="meeting_invited").details["invited"] == 2


def test_answers(staff, network):
    meeting = plan(staff, network)
    meetings.invite(staff[Role.LIBRARIAN], meeting, [staff[Role.VOLUNTEER]])
    place = meetings.answer(staff[Role.VOLUNTEER], meeting, True)
    assert place.response == Response.COMING
    assert meetings.answer(staff[Role.VOLUNTEER], meeting, False).response == Response.DECLINED
    # Meetings are open to the network's staff: the coordinator registers uninvited.
    assert meetings.answer(staff[Role.COORDINATOR], meeting, True).invited is False
    assert Participant.objects.filter(meeting=meeting).count() == 2
    over = plan(staff, network, day=PAST)
    with pytest.raises(ProgrammeError) as late:
        meetings.answer(staff[Role.VOLUNTEER], over, True)
    assert late.value.code == "meeting_over"


def test_a_volunteer_s_training_record(staff, network, make_staff, client_fr):
    training = plan(staff, network, day=PAST)
    second = plan(staff, network, day=PAST + dt.timedelta(days=1), hours=Decimal("1.5"))
    volunteer = staff[Role.VOLUNTEER]
    for meeting in (training, second):
        meetings.invite(staff[Role.LIBRARIAN], meeting, [volunteer, staff[Role.MD_STAFF]])
        meetings.record_attendance(staff[Role.LIBRARIAN], meeting, {volunteer.pk})
    assert [m.pk for m in meetings.trainings_of(volunteer)] == [second.pk, training.pk]
    assert meetings.trainings_of(staff[Role.MD_STAFF]) == []
    url = reverse("programme:training_record", args=[volunteer.pk])
    client_fr.force_login(volunteer)
    page = client_fr.get(url).content.decode()
    assert "Lire à voix haute" in page and "4,5" in page  # 3 h + 1.5 h
    client_fr.force_login(staff[Role.LIBRARIAN])  # the volunteer's library
    assert client_fr.get(url).status_code == 200
    elsewhere = make_staff("autre", (network["b"], Role.LIBRARIAN))
    client_fr.force_login(elsewhere)
    assert client_fr.get(url).status_code == 403
    client_fr.force_login(staff[Role.COORDINATOR])
    assert client_fr.get(url).status_code == 200


def test_the_meeting_page_links_only_the_training_records_the_reader_may_open(
    staff, network, make_staff, client_fr
):
    training = plan(staff, network, day=PAST)
    elsewhere = make_staff("autre", (network["b"], Role.LIBRARIAN))
    meetings.invite(staff[Role.LIBRARIAN], training, [staff[Role.VOLUNTEER], elsewhere])
    page = reverse("programme:meeting", args=[training.pk])
    theirs, mine = (
        reverse("programme:training_record", args=[person.pk])
        for person in (staff[Role.VOLUNTEER], elsewhere)
    )
    client_fr.force_login(elsewhere)  # a librarian of another library
    shown = client_fr.get(page).content.decode()
    assert mine in shown and theirs not in shown
    client_fr.force_login(staff[Role.LIBRARIAN])  # the volunteer's library
    shown = client_fr.get(page).content.decode()
    assert theirs in shown and mine not in shown


def test_minutes_and_books(staff, network, client_fr):
    committee = plan(staff, network, kind=MeetingKind.READING_COMMITTEE, title="Comité romans")
    record = Record.objects.create(title="Le Cœur des haies", isbn="9782070000012")
    meetings.invite(staff[Role.LIBRARIAN], committee, [staff[Role.VOLUNTEER]])
    pick = meetings.add_book(
        staff[Role.VOLUNTEER],
        committee,
        title="Le Cœur des haies",
        isbn="978-2-07-000001-2",
        verdict="pick",
    )
    assert pick.record == record and pick.presented_by == staff[Role.VOLUNTEER]
    meetings.add_book(staff[Role.LIBRARIAN], committee, title="Nuit de verre", verdict="mixed")
    with pytest.raises(ProgrammeError) as no_verdict:
        meetings.add_book(staff[Role.LIBRARIAN], committee, title="Sans avis", verdict="")
    assert no_verdict.value.code == "verdict_missing"
    with pytest.raises(PermissionDenied):  # neither invited nor of the host library
        meetings.add_book(staff[Role.MD_STAFF], committee, title="Autre", verdict="pick")
    training = plan(staff, network)
    with pytest.raises(ProgrammeError):
        meetings.add_book(staff[Role.LIBRARIAN], training, title="Livre", verdict="pick")
    assert [b.title for b in meetings.picks()] == ["Le Cœur des haies"]
    client_fr.force_login(staff[Role.VOLUNTEER])
    response = client_fr.post(
        reverse("programme:meeting_minutes", args=[committee.pk]), {"minutes": "Rien."}
    )
    assert response.status_code == 403
    client_fr.force_login(staff[Role.LIBRARIAN])
    client_fr.post(
        reverse("programme:meeting_minutes", args=[committee.pk]),
        {"minutes": "Deux coups de cœur retenus."},
    )
    committee.refresh_from_db()
    assert committee.minutes == "Deux coups de cœur retenus."
    assert committee.minutes_by == staff[Role.LIBRARIAN]
    page = client_fr.get(reverse("programme:meeting", args=[committee.pk])).content.decode()
    assert "Coup de cœur" in page or "coup de cœur" in page
    csv = client_fr.get(reverse("programme:picks"), {"format": "csv"})
    assert "Le Cœur des haies" in csv.content.decode("utf-8-sig")


def test_pages_and_home_panel(staff, network, client_fr):
    meeting = plan(staff, network, kind=MeetingKind.WORKING_GROUP, title="Charte d'accueil")
    client_fr.force_login(staff[Role.LIBRARIAN])
    response = client_fr.post(
        reverse("programme:meeting_invite", args=[meeting.pk]),
        {"users": [staff[Role.VOLUNTEER].pk]},
        follow=True,
    )
    assert "1 nouvelle" in response.content.decode()
    client_fr.force_login(staff[Role.VOLUNTEER])
    home = client_fr.get(reverse("home")).content.decode()
    assert "Mes rencontres" in home and "Charte d" in home
    assert "réponse attendue" in home
    client_fr.post(reverse("programme:meeting_answer", args=[meeting.pk]), {"coming": "1"})
    assert Participant.objects.get(user=staff[Role.VOLUNTEER]).response == Response.COMING
    client_fr.post(reverse("programme:meeting_answer", args=[meeting.pk]), {"coming": "0"})
    home = client_fr.get(reverse("home")).content.decode()
    assert "Mes rencontres" not in home  # declined: nothing to remind
    listing = client_fr.get(reverse("programme:meetings")).content.decode()
    assert "Charte d" in listing
    client_fr.force_login(staff[Role.LIBRARIAN])
    response = client_fr.post(
        reverse("programme:meeting_create"),
        {
            "kind": "training",
            "title": "Formation",
            "library": network["a"].pk,
            "day": SOON.isoformat(),
            "starts": "14:00",
            "ends": "10:00",
        },
    )
    assert "se termine avant" in response.content.decode()
    assert 'value="Formation"' in response.content.decode()
