"""The demo shows the path from a reading committee to the network's purchases: the
committee's two picks are on the open selection list, put there by the committee's service
(one record each, the committee named in the note, audited), once however often the demo
runs; the meeting's page and the list's page say so."""

import datetime as dt

from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.demo import build_network
from maillon.programme.demo import COMMITTEE_TITLE, build_programme, propose_picks
from maillon.programme.models import Meeting
from maillon.purchasing.demo import LIST_NAME, build_purchasing
from maillon.purchasing.models import SelectionList, SelectionTitle

TODAY = dt.date(2026, 11, 25)


def test_the_committee_s_picks_are_on_the_purchasing_list(
    demo_ground, settings, tmp_path, client_fr
):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path
    demo_ground()
    build_programme(TODAY)
    build_purchasing(TODAY)
    assert propose_picks(TODAY) == 2

    chosen = SelectionList.objects.get(name=LIST_NAME)
    picked = SelectionTitle.objects.filter(selection=chosen, note__contains=COMMITTEE_TITLE)
    assert sorted(t.record.title for t in picked) == ["La Dernière Tournée", "Le Cœur des haies"]
    meeting = Meeting.objects.get(title=COMMITTEE_TITLE)
    assert sorted(meeting.books.filter(record__isnull=False).values_list("title", flat=True)) == [
        "La Dernière Tournée",
        "Le Cœur des haies",
    ]
    entries = AuditEntry.objects.filter(action="committee_pick_proposed")
    assert entries.count() == 2 and {e.user.username for e in entries} == {"menigoute"}

    # Once: a second run leaves the list as it is.
    assert propose_picks(TODAY) == 0
    assert picked.count() == 2

    client_fr.login(username="menigoute", password="maillon-demo")
    page = client_fr.get(reverse("programme:meeting", args=[meeting.pk])).content.decode()
    assert page.count(f"sur la liste « {LIST_NAME} »") == 2
    page = client_fr.get(reverse("purchasing:selection", args=[chosen.pk])).content.decode()
    assert "Le Cœur des haies" in page and "La Dernière Tournée" in page


def test_no_open_list_no_pick(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    build_network("maillon-demo", TODAY)
    build_programme(TODAY)
    assert propose_picks(TODAY) == 0
