"""Patrons' personal data across libraries: found by card anywhere, by name only where the role
needs it, and every read from another library traced."""

from django.test import Client
from django.urls import reverse

from maillon.api.models import ApiToken
from maillon.audit.models import AuditEntry


def _reads(patron):
    return AuditEntry.objects.filter(action="patron_read", object_id=patron.pk)


def test_a_volunteer_finds_names_at_home_and_cards_anywhere(client_fr, network, desk, make_patron):
    ours = make_patron(network["a"], surname="Lefèvre", first_name="Anne")
    theirs = make_patron(network["b"], surname="Lefebvre", first_name="Paul")
    client_fr.force_login(desk["volunteer"])
    page = client_fr.get(reverse("patrons:search"), {"q": "lef"}).content.decode()
    assert "Anne" in page and "Paul" not in page
    assert "par sa carte" in page  # the page says how to find the others
    opened = client_fr.get(reverse("patrons:search"), {"q": theirs.card_number})
    assert opened.url == reverse("patrons:detail", args=[theirs.pk])

    assert client_fr.get(opened.url).status_code == 200
    entry = _reads(theirs).get()
    assert entry.user == desk["volunteer"] and entry.details == {
        "via": "page",
        "home_library": network["b"].pk,
    }
    client_fr.get(reverse("patrons:detail", args=[ours.pk]))
    assert not _reads(ours).exists()  # at home: the library's own business


def test_librarians_and_the_coordinator_search_the_network(client, network, desk, make_patron):
    make_patron(network["b"], surname="Lefebvre", first_name="Paul")
    for user in (desk["a"], desk["head"]):
        client.force_login(user)
        assert "Paul" in client.get(reverse("patrons:search"), {"q": "lefebvre"}).content.decode()


def test_an_api_read_from_another_library_is_traced(network, desk, make_patron):
    theirs = make_patron(network["b"], surname="Roy")
    key = ApiToken.issue(desk["volunteer"], "borne AAA")[1]
    response = Client(headers={"Authorization": f"Bearer {key}"}).get(
        f"/api/v1/patrons/{theirs.card_number}"
    )
    assert response.status_code == 200
    entry = _reads(theirs).get()
    assert entry.details["via"] == "api" and entry.actor_kind == "api_token"
    assert entry.patron_id == theirs.pk
