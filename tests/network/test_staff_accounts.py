from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from maillon.network.models import Role
from tests.conftest import PASSWORD


def test_coordinator_adds_a_volunteer_who_gets_a_link(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    response = client.post(
        reverse("staff_create"),
        {
            "username": "marie",
            "first_name": "Marie",
            "last_name": "Caillaud",
            "email": "marie@example.org",
            "library": network["b"].pk,
            "role": Role.VOLUNTEER,
        },
    )
    assert response.status_code == 302
    marie = get_user_model().objects.get(username="marie")
    assert not marie.has_usable_password()
    assert marie.staff_roles.get().library == network["b"]
    assert len(mail.outbox) == 1 and "marie" in mail.outbox[0].body
    assert "/pro/compte/nouveau-mot-de-passe/" in mail.outbox[0].body


def test_duplicate_username_keeps_the_form(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    response = client.post(
        reverse("staff_create"),
        {
            "username": "LIBR",
            "first_name": "Autre",
            "last_name": "Personne",
            "email": "autre@example.org",
            "library": network["b"].pk,
            "role": Role.VOLUNTEER,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "déjà pris" in body and 'value="Personne"' in body


def test_person_with_two_libraries_switches(client, network, make_staff):
    make_staff("double", (network["a"], Role.LIBRARIAN), (network["b"], Role.VOLUNTEER))
    client.login(username="double", password=PASSWORD)
    home = client.get(reverse("home")).content.decode()
    assert "Bibliothèque AAA" in home
    response = client.post(reverse("switch_library"), {"library": network["b"].pk, "next": "/pro/"})
    assert response.status_code == 302
    assert "Aujourd’hui à la Bibliothèque BBB" in client.get(reverse("home")).content.decode()


def test_cannot_switch_to_a_library_without_role(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    client.post(reverse("switch_library"), {"library": network["b"].pk})
    assert "Aujourd’hui à la Bibliothèque AAA" in client.get(reverse("home")).content.decode()


def test_coordinator_grants_and_revokes_a_role(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    volunteer = staff[Role.VOLUNTEER]
    client.post(
        reverse("staff_roles", args=[volunteer.pk]),
        {"library": network["b"].pk, "role": Role.LIBRARIAN},
    )
    assert volunteer.staff_roles.count() == 2
    role = volunteer.staff_roles.get(library=network["b"])
    client.post(reverse("staff_roles", args=[volunteer.pk]), {"revoke": role.pk})
    assert volunteer.staff_roles.count() == 1
