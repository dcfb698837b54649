"""A booking is in the files of the library that booked it and of the owner that lends it: a
volunteer of a third library sees the resource's calendar (who has it, when) but neither the
booking's page nor its loans on to the library's partners."""

import pytest
from django.urls import reverse

from maillon.bookings import services, subloans
from maillon.network.models import Partner, PartnerKind, Role

from .conftest import book, days


@pytest.fixture
def lent_on(people, network, expo):
    """Library B's booking of the MD's exhibition, lent on to B's retirement home."""
    booking = book(people["b"], network["b"], expo, 20, 49)
    services.approve(people["md"], booking)
    ehpad = Partner.objects.create(
        library=network["b"], name="EHPAD Les Genêts", kind=PartnerKind.RETIREMENT_HOME
    )
    subloans.lend_on(people["b"], booking, ehpad, days(25), days(30), "Salle Baudry")
    return booking


def test_a_volunteer_of_another_library_gets_a_french_refusal(client_fr, people, lent_on):
    client_fr.force_login(people["volunteer"])  # volunteer at library A
    response = client_fr.get(reverse("bookings:booking", args=[lent_on.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "un·e bénévole ne consulte que les dossiers de sa bibliothèque" in page
    assert "EHPAD Les Genêts" not in page and "Salle Baudry" not in page


@pytest.mark.parametrize("who", ["volunteer_b", "b", "a", "md", "coord"])
def test_the_library_the_owner_and_the_network_s_librarians_read_it(
    client_fr, people, lent_on, who
):
    client_fr.force_login(people[who])
    response = client_fr.get(reverse("bookings:booking", args=[lent_on.pk]))
    assert response.status_code == 200
    assert "EHPAD Les Genêts" in response.content.decode()


def test_the_owner_s_volunteer_reads_the_booking_of_its_resource(
    client_fr, people, network, kinds, make_staff
):
    """A member library lends its own kit: its desk delivers it and gets it back."""
    kit = services.create_resource(
        people["a"], kind=kinds["valise"], title="Valise des saisons", owner=network["a"]
    )
    booking = book(people["b"], network["b"], kit, 20, 30)
    client_fr.force_login(people["volunteer"])  # volunteer of the owner, library A
    assert client_fr.get(reverse("bookings:booking", args=[booking.pk])).status_code == 200
    other = make_staff("volhead", (network["head"], Role.VOLUNTEER))
    client_fr.force_login(other)
    assert client_fr.get(reverse("bookings:booking", args=[booking.pk])).status_code == 403


def test_the_resource_page_keeps_another_library_s_partners_to_itself(
    client_fr, people, lent_on, expo
):
    url = reverse("bookings:detail", args=[expo.pk])
    booking_url = reverse("bookings:booking", args=[lent_on.pk])
    client_fr.force_login(people["volunteer"])
    page = client_fr.get(url).content.decode()
    assert "Bibliothèque BBB" in page  # who has it, and when, is the network's calendar
    assert "EHPAD Les Genêts" not in page
    assert booking_url not in page
    client_fr.force_login(people["volunteer_b"])
    page = client_fr.get(url).content.decode()
    assert "prêté à EHPAD Les Genêts" in page and booking_url in page
