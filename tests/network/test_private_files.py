"""A library's own files (its partners and their contacts) are read by its own staff and by the
network's librarians, MD staff and coordinator; a volunteer of another library reads none of
them, whatever the URL asks (maillon.network.permissions, Action.VIEW_PRIVATE)."""

import pytest
from django.urls import reverse

from maillon.network.models import Partner, PartnerKind, Role
from maillon.network.permissions import Action, can, libraries_for


@pytest.fixture
def partners(network) -> dict[str, Partner]:
    return {
        "a": Partner.objects.create(
            library=network["a"],
            name="École des Tilleuls",
            kind=PartnerKind.SCHOOL,
            contact_name="Mme Girard",
            phone="05 49 11 11 11",
        ),
        "b": Partner.objects.create(
            library=network["b"],
            name="EHPAD Les Genêts",
            kind=PartnerKind.RETIREMENT_HOME,
            contact_name="M. Baudry",
            email="baudry@example.org",
            phone="05 49 22 22 22",
        ),
    }


@pytest.mark.parametrize(
    ("role", "reads_b"),
    [
        (Role.VOLUNTEER, False),
        (Role.LIBRARIAN, True),
        (Role.MD_STAFF, True),
        (Role.COORDINATOR, True),
    ],
)
def test_who_reads_another_library_s_files(network, staff, role, reads_b):
    user = staff[role]
    assert can(user, Action.VIEW_PRIVATE, network["b"]) is reads_b
    # Everyone reads what the network shares about it.
    assert can(user, Action.VIEW, network["b"])
    assert (network["b"] in libraries_for(user, Action.VIEW_PRIVATE)) is reads_b


def test_a_volunteer_reads_the_files_of_her_own_library(network, staff):
    volunteer = staff[Role.VOLUNTEER]
    assert can(volunteer, Action.VIEW_PRIVATE, network["a"])
    assert list(libraries_for(volunteer, Action.VIEW_PRIVATE)) == [network["a"]]


def test_the_volunteer_s_partner_list_has_her_library_s_contacts_only(client_fr, staff, partners):
    client_fr.force_login(staff[Role.VOLUNTEER])
    page = client_fr.get(reverse("partner_list")).content.decode()
    assert "École des Tilleuls" in page and "Mme Girard" in page
    assert "EHPAD Les Genêts" not in page
    assert "Baudry" not in page and "05 49 22 22 22" not in page
    # The filter offers her library alone.
    assert "Bibliothèque BBB" not in page


def test_asking_for_another_library_s_partners_is_refused_in_french(client_fr, staff, partners):
    client_fr.force_login(staff[Role.VOLUNTEER])
    response = client_fr.get(reverse("partner_list"), {"bibliotheque": "BBB"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "un·e bénévole ne consulte que les dossiers de sa bibliothèque" in page
    assert "Baudry" not in page
    # Nor through the edit form.
    response = client_fr.get(reverse("partner_edit", args=[partners["b"].pk]))
    assert response.status_code == 403
    assert "Baudry" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.MD_STAFF, Role.COORDINATOR])
def test_the_network_s_librarians_read_every_partner(client_fr, staff, partners, role):
    client_fr.force_login(staff[role])
    page = client_fr.get(reverse("partner_list")).content.decode()
    assert "École des Tilleuls" in page and "M. Baudry" in page
    page = client_fr.get(reverse("partner_list"), {"bibliotheque": "BBB"}).content.decode()
    assert "M. Baudry" in page and "École des Tilleuls" not in page


def test_another_library_s_page_shows_its_partners_to_its_colleagues_only(
    client_fr, staff, network, partners
):
    client_fr.force_login(staff[Role.VOLUNTEER])
    theirs = client_fr.get(reverse("library_detail", args=["BBB"]))
    assert theirs.status_code == 200  # the page itself is the network's
    assert "EHPAD Les Genêts" not in theirs.content.decode()
    ours = client_fr.get(reverse("library_detail", args=["AAA"])).content.decode()
    assert "École des Tilleuls" in ours
    client_fr.force_login(staff[Role.LIBRARIAN])
    theirs = client_fr.get(reverse("library_detail", args=["BBB"])).content.decode()
    assert "EHPAD Les Genêts" in theirs


def test_the_volunteer_s_own_partners_are_not_links_to_a_form_she_may_not_open(
    client_fr, staff, partners
):
    client_fr.force_login(staff[Role.VOLUNTEER])
    page = client_fr.get(reverse("partner_list")).content.decode()
    assert reverse("partner_edit", args=[partners["a"].pk]) not in page
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get(reverse("partner_list")).content.decode()
    assert reverse("partner_edit", args=[partners["a"].pk]) in page
    assert reverse("partner_edit", args=[partners["b"].pk]) not in page
