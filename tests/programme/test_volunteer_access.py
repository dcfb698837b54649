"""A volunteer reads her own library's programme data only (events and their registrations,
the calendar, seasons, partners, class visits, figures): the project's rule that a volunteer
cannot reach another library's data, stricter than the network-wide reading the permission
table gives every role. Librarians still read the network's programme."""

import pytest
from django.urls import reverse

from maillon.network.models import Partner, PartnerKind, Role
from maillon.programme import access, services
from maillon.programme.models import Audience
from tests.programme.conftest import SOON, at


@pytest.fixture
def events(staff, network, kinds):
    coordinator = staff[Role.COORDINATOR]
    made = {}
    for code, title in (("a", "Conte chez nous"), ("b", "Conte chez les voisins")):
        event = services.create_event(
            coordinator,
            network[code],
            kind=kinds["story-time"],
            title=title,
            audience=Audience.CHILDREN,
        )
        services.add_sessions(coordinator, event, [(at(SOON, 10), at(SOON, 11))])
        made[code] = services.publish(coordinator, event)
    return made


def test_the_volunteer_reads_her_library_only(client_fr, staff, network, events):
    volunteer = staff[Role.VOLUNTEER]
    assert list(access.viewable(volunteer)) == [network["a"]]
    client_fr.force_login(volunteer)
    page = client_fr.get(reverse("programme:list")).content.decode()
    assert "Conte chez nous" in page and "Conte chez les voisins" not in page
    assert client_fr.get(reverse("programme:event", args=[events["a"].pk])).status_code == 200
    assert client_fr.get(reverse("programme:event", args=[events["b"].pk])).status_code == 403
    month = {"mois": SOON.strftime("%Y-%m")}
    page = client_fr.get(reverse("programme:calendar"), month).content.decode()
    assert "Conte chez nous" in page and "Conte chez les voisins" not in page
    assert client_fr.get(reverse("programme:season", args=["BBB"])).status_code == 403
    assert client_fr.get(reverse("programme:season", args=["AAA"])).status_code == 200
    figures = client_fr.get(reverse("programme:figures")).content.decode()
    assert "Bibliothèque BBB" not in figures


def test_nor_another_library_s_partners(client_fr, staff, network):
    theirs = Partner.objects.create(
        library=network["b"], name="EHPAD du Bourg", kind=PartnerKind.RETIREMENT_HOME
    )
    ours = Partner.objects.create(library=network["a"], name="École", kind=PartnerKind.SCHOOL)
    client_fr.force_login(staff[Role.VOLUNTEER])
    assert client_fr.get(reverse("programme:partner", args=[theirs.pk])).status_code == 403
    assert client_fr.get(reverse("programme:partner", args=[ours.pk])).status_code == 200
    page = client_fr.get(reverse("programme:class_visits"), {"bibliotheque": "BBB"})
    assert "Bibliothèque BBB" not in page.content.decode()


def test_librarians_and_the_md_still_read_the_network(client_fr, staff, network, events):
    for role in (Role.LIBRARIAN, Role.MD_STAFF, Role.COORDINATOR):
        client_fr.force_login(staff[role])
        page = client_fr.get(reverse("programme:list")).content.decode()
        assert "Conte chez les voisins" in page, role
        assert client_fr.get(reverse("programme:event", args=[events["b"].pk])).status_code == 200


def test_a_volunteer_who_is_also_a_librarian_elsewhere_reads_the_network(
    make_staff, network, events
):
    both = make_staff("both", (network["a"], Role.VOLUNTEER), (network["b"], Role.LIBRARIAN))
    assert set(access.viewable(both)) >= {network["a"], network["b"], network["head"]}
