"""The staff pages in French: the catalogue of resources, the calendar (booked, requested and
checking days in words), the booking form (errors on the form, nothing lost), a library's
bookings and the owner's requests with their buttons."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingStatus
from maillon.network.models import Role


def soon(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_filters_by_kind_and_owner(client_fr, people, expo, kit, kinds):
    client_fr.force_login(people["a"])
    page = text(client_fr.get(reverse("bookings:list")))
    assert "Outils d’animation" in page and expo.title in page and kit.title in page
    page = text(client_fr.get(reverse("bookings:list"), {"kind": kinds["valise"].pk}))
    assert kit.title in page and expo.title not in page
    assert "Nouvel outil" in page  # a librarian lends her own library's tools


def words(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def test_the_calendar_shows_booked_requested_and_checking_days(client_fr, people, network, expo):
    start = soon(20)
    end = start + dt.timedelta(days=9)
    booking = services.request_booking(people["a"], network["a"], expo, start, end)
    client_fr.force_login(people["b"])
    month = f"{start.year:04d}-{start.month:02d}"
    page = text(client_fr.get(reverse("bookings:detail", args=[expo.pk]), {"mois": month}))
    assert "demandée · Bibliothèque AAA" in words(page)
    services.approve(people["md"], booking)
    page = text(client_fr.get(reverse("bookings:detail", args=[expo.pk]), {"mois": month}))
    assert "réservé · Bibliothèque AAA" in words(page) and "day-booked" in page
    buffer_month = booking.blocked_until
    page = text(
        client_fr.get(
            reverse("bookings:detail", args=[expo.pk]),
            {"mois": f"{buffer_month.year:04d}-{buffer_month.month:02d}"},
        )
    )
    assert "vérification" in page and "day-buffer" in page
    assert "Mois précédent" in page and "Mois suivant" in page
    assert 'rel="next"' in page


def test_the_calendar_counts_the_days(people, network, expo):
    booking = services.request_booking(people["a"], network["a"], expo, soon(20), soon(29))
    services.approve(people["md"], booking)
    weeks = services.month_grid(expo, soon(20).year, soon(20).month)
    weeks += services.month_grid(expo, soon(40).year, soon(40).month)
    states: dict = {}
    for week in weeks:
        for cell in week:
            states[cell.date] = cell.state
    assert all(states[soon(n)] == "booked" for n in range(20, 30))
    assert all(states[soon(n)] == "buffer" for n in range(30, 37))
    assert states[soon(19)] == "free" and states[soon(37)] == "free"


def test_the_form_keeps_the_dates_and_says_the_rule_in_french(client_fr, people, network, expo):
    client_fr.force_login(people["a"])
    url = reverse("bookings:detail", args=[expo.pk])
    data = {"library": network["a"].pk, "start": soon(3).isoformat(), "end": soon(30).isoformat()}
    page = text(client_fr.post(url, data))
    assert "Il faut réserver au moins 15 jours à l’avance" in page
    assert f'value="{soon(3).isoformat()}"' in page and f'value="{soon(30).isoformat()}"' in page
    assert not Booking.objects.exists()
    data["start"] = soon(20).isoformat()
    data["keep"] = "on"  # these very dates, not the shuttle's (test_shuttle_dates)
    response = client_fr.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("bookings:mine")
    assert Booking.objects.get().status == BookingStatus.REQUESTED
    page = text(client_fr.get(reverse("bookings:mine")))
    assert expo.title in page and "Annuler la réservation" in page


def test_the_owner_decides_from_the_requests_page(client_fr, people, network, expo, kit):
    first = services.request_booking(people["a"], network["a"], expo, soon(20), soon(40))
    second = services.request_booking(people["b"], network["b"], kit, soon(20), soon(40))
    client_fr.force_login(people["md"])
    page = text(client_fr.get(reverse("bookings:decide")))
    assert "Accepter" in page and "Refuser" in page and "Bibliothèque BBB" in page
    client_fr.post(reverse("bookings:step", args=[first.pk, "accepter"]))
    client_fr.post(reverse("bookings:step", args=[second.pk, "refuser"]), {"reason": ""})
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED  # no reason, no refusal
    client_fr.post(reverse("bookings:step", args=[second.pk, "refuser"]), {"reason": "En prêt"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (BookingStatus.APPROVED, BookingStatus.REFUSED)
    page = text(client_fr.get(reverse("bookings:decide")))
    assert "Livré" in page


def test_a_volunteer_elsewhere_cannot_decide_or_cancel_by_post(client_fr, people, network, expo):
    booking = services.request_booking(people["a"], network["a"], expo, soon(20), soon(40))
    client_fr.force_login(people["volunteer_b"])
    for step in ("accepter", "annuler"):
        response = client_fr.post(reverse("bookings:step", args=[booking.pk, step]))
        assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_create_and_edit_a_resource(client_fr, people, network, kinds):
    client_fr.force_login(people["md"])
    data = {
        "kind": kinds["raconte-tapis"].pk,
        "title": "Raconte-tapis Roule galette",
        "owner": network["md"].pk,
        "contents": "1 tapis\n5 marionnettes",
        "crates": 1,
        "state": "good",
        "bookable": "on",
    }
    response = client_fr.post(reverse("bookings:new"), data)
    assert response.status_code == 302
    resource = network["md"].resources.get()
    page = text(client_fr.get(response["Location"]))
    assert "5 marionnettes" in page and "Modifier" in page
    data["title"] = ""
    page = text(client_fr.post(reverse("bookings:edit", args=[resource.pk]), data))
    assert "obligatoire" in page
    client_fr.force_login(people["b"])
    assert client_fr.get(reverse("bookings:edit", args=[resource.pk])).status_code == 403


@pytest.mark.parametrize("name", ["list", "mine", "decide", "new"])
def test_pages_render_for_the_coordinator(client_fr, people, expo, name):
    client_fr.force_login(people["coord"])
    assert client_fr.get(reverse(f"bookings:{name}")).status_code == 200


def test_the_owners_volunteer_delivers_but_does_not_decide(
    client_fr, people, network, kit, make_staff
):
    md_volunteer = make_staff("mdvol", (network["md"], Role.VOLUNTEER))
    waiting = services.request_booking(people["a"], network["a"], kit, soon(20), soon(40))
    client_fr.force_login(md_volunteer)
    page = text(client_fr.get(reverse("bookings:decide")))
    assert "Aucune demande en attente" in page
    services.approve(people["md"], waiting)
    page = text(client_fr.get(reverse("bookings:decide")))
    assert kit.title in page and "Livré" in page
    client_fr.post(reverse("bookings:step", args=[waiting.pk, "livrer"]))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.DELIVERED
