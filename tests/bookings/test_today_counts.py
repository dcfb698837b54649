"""The staff home page's numbers for animation resources: what arrives at a library within the
week, what its owner sends out, and what is lent and not back."""

from django.utils import translation

from maillon.bookings import services, today
from maillon.network.models import Role

from .conftest import book, days


def counts(library, on):
    with translation.override("en"):
        return {line["label"]: line["count"] for line in today.today_counts(library, on)}


def test_arriving_leaving_and_not_back(expo, kit, people, network):
    soon = book(people["a"], network["a"], expo, 20, 50)
    later = book(people["a"], network["a"], kit, 40, 60)
    for booking in (soon, later):
        services.approve(people["md"], booking)
    # Five days before the exhibition starts: it arrives this week, the kit does not.
    assert counts(network["a"], days(15)) == {"animation resources arriving this week": 1}
    assert counts(network["md"], days(15)) == {
        "animation resources arriving this week": 0,
        "resources to send out this week": 1,
        "resources lent and not back": 0,
    }
    services.deliver(people["md"], soon)
    assert counts(network["md"], days(51))["resources lent and not back"] == 1
    assert counts(None, days(51))["resources lent and not back"] == 1
    services.mark_returned(people["md"], soon)
    # Nothing to send or wait for: an owner's lines leave the page.
    assert counts(network["md"], days(52)) == {"animation resources arriving this week": 0}


def test_the_home_page_shows_them_with_their_link(client_fr, expo, people, network, staff):
    client_fr.force_login(staff[Role.LIBRARIAN])
    page = client_fr.get("/pro/").content.decode()
    assert "ressources d’animation qui arrivent cette semaine" in page
    assert 'href="/pro/outils-animation/mes-reservations/"' in page
