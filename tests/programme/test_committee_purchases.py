"""A reading committee's picks go one click onto a purchasing selection list (through
purchasing's own service: open list, once per list), and a meeting's minutes are attached as a
PDF, ODT or DOCX file, checked by content, with French errors."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import Record
from maillon.network.models import Role
from maillon.programme import committee, meetings
from maillon.programme.models import MeetingKind
from maillon.programme.services import ProgrammeError
from maillon.purchasing import selection
from maillon.purchasing.models import SelectionTitle
from tests.programme.conftest import SOON, at


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def committee_meeting(staff, network):
    return meetings.create_meeting(
        staff[Role.LIBRARIAN],
        network["a"],
        kind=MeetingKind.READING_COMMITTEE,
        title="Comité de lecture jeunesse",
        starts_at=at(SOON, 14),
        ends_at=at(SOON, 17),
    )


@pytest.fixture
def open_list(staff):
    today = timezone.localdate()
    return selection.create_list(
        staff[Role.COORDINATOR], "Rentrée jeunesse", today + dt.timedelta(days=30), today=today
    )


def pick(staff, meeting, **extra):
    return meetings.add_book(
        staff[Role.LIBRARIAN],
        meeting,
        title=extra.pop("title", "Le Loup qui voulait changer de couleur"),
        verdict=extra.pop("verdict", "pick"),
        **extra,
    )


def test_a_pick_goes_onto_the_list_once(staff, committee_meeting, open_list):
    book = pick(staff, committee_meeting, author="Orianne Lallemand", isbn="978-2-7338-1893-0")
    title = committee.propose_pick(staff[Role.LIBRARIAN], book, open_list)
    book.refresh_from_db()
    # Unknown to the catalogue: a short record from the book, as purchasing makes by hand.
    assert book.record is not None and title.record == book.record
    assert book.record.title == "Le Loup qui voulait changer de couleur"
    assert "Comité de lecture jeunesse" in title.note
    assert AuditEntry.objects.filter(action="committee_pick_proposed").count() == 1
    with pytest.raises(ProgrammeError) as twice:
        committee.propose_pick(staff[Role.LIBRARIAN], book, open_list)
    assert twice.value.code == "already_proposed" and "déjà sur cette liste" in twice.value.message
    assert SelectionTitle.objects.filter(selection=open_list).count() == 1
    assert Record.objects.filter(title=book.title).count() == 1


def test_a_pick_known_to_the_catalogue_uses_its_record(staff, committee_meeting, open_list):
    known = Record.objects.create(title="Mon ami Paco", isbn="9782211230995")
    book = pick(staff, committee_meeting, title="Mon ami Paco", isbn="9782211230995")
    assert book.record == known
    assert committee.propose_pick(staff[Role.LIBRARIAN], book, open_list).record == known


def test_refusals(staff, committee_meeting, open_list):
    book = pick(staff, committee_meeting, verdict="recommended", title="Bof")
    with pytest.raises(ProgrammeError) as not_pick:
        committee.propose_pick(staff[Role.LIBRARIAN], book, open_list)
    assert not_pick.value.code == "not_pick"
    chosen = pick(staff, committee_meeting)
    with pytest.raises(PermissionDenied):
        committee.propose_pick(staff[Role.VOLUNTEER], chosen, open_list)
    selection.close_list(staff[Role.COORDINATOR], open_list)
    with pytest.raises(ProgrammeError) as closed:
        committee.propose_pick(staff[Role.LIBRARIAN], chosen, open_list)
    assert closed.value.code == "list_closed"
    assert not SelectionTitle.objects.exists()
    chosen.refresh_from_db()
    assert chosen.record is None  # nothing half done: no record made for a refused title


def test_one_click_from_the_meeting_and_the_picks_page(
    client_fr, staff, committee_meeting, open_list
):
    book = pick(staff, committee_meeting)
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get(reverse("programme:meeting", args=[committee_meeting.pk]))
    assert "Proposer à l’achat" in page.content.decode()
    back = reverse("programme:picks")
    response = client_fr.post(
        reverse("programme:pick_to_list", args=[book.pk]), {"list": open_list.pk, "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    page = client_fr.get(back).content.decode()
    assert "sur la liste « Rentrée jeunesse »" in page
    client_fr.force_login(staff[Role.VOLUNTEER])
    page = client_fr.get(back).content.decode()
    assert "Proposer à l’achat" not in page


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("cr.pdf", b"%PDF-1.7 compte rendu"), ("cr.odt", odt()), ("CR.DOCX", docx())],
)
def test_minutes_attached_as_a_file(staff, committee_meeting, name, content):
    meeting = committee.attach_minutes(
        staff[Role.LIBRARIAN], committee_meeting, SimpleUploadedFile(name, content)
    )
    with meeting.minutes_file.open("rb") as kept:
        assert kept.read() == content
    assert AuditEntry.objects.filter(action="meeting_minutes_file").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("cr.pdf", b"MZ not a pdf", "minutes_file_format"),
        ("cr.odt", docx(), "minutes_file_format"),
        ("cr.docx", b"PK\x03\x04broken", "minutes_file_format"),
        ("cr.exe", b"%PDF-1.7", "minutes_file_format"),
        ("cr.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "minutes_file_too_big"),
    ],
)
def test_what_is_not_minutes_is_refused(staff, committee_meeting, name, content, code):
    with pytest.raises(ProgrammeError) as error:
        committee.attach_minutes(
            staff[Role.LIBRARIAN], committee_meeting, SimpleUploadedFile(name, content)
        )
    assert error.value.code == code
    committee_meeting.refresh_from_db()
    assert not committee_meeting.minutes_file


def test_the_page_attaches_and_serves_the_minutes(client_fr, staff, committee_meeting):
    url = reverse("programme:minutes_file_upload", args=[committee_meeting.pk])
    client_fr.force_login(staff[Role.VOLUNTEER])
    assert (
        client_fr.post(url, {"minutes_file": SimpleUploadedFile("a.pdf", b"%PDF-1")}).status_code
        == 403
    )
    client_fr.force_login(staff[Role.LIBRARIAN])
    response = client_fr.post(url, {"minutes_file": SimpleUploadedFile("a.txt", b"x")}, follow=True)
    assert "Envoyez le compte rendu en PDF, ODT ou DOCX." in response.content.decode()
    client_fr.post(url, {"minutes_file": SimpleUploadedFile("cr.pdf", b"%PDF-1.7 ok")})
    page = client_fr.get(reverse("programme:meeting", args=[committee_meeting.pk]))
    assert "Le compte rendu en fichier" in page.content.decode()
    served = client_fr.get(reverse("programme:minutes_file", args=[committee_meeting.pk]))
    assert b"".join(served.streaming_content) == b"%PDF-1.7 ok"
