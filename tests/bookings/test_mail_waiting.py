"""E-mails: a request goes to the owner, the decision to the library (in French); the waiting
list: a library in line for taken dates is told, first in line first, when a cancellation or a
refusal frees them."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillon.bookings import services, waiting
from maillon.bookings.models import Waiting
from tests.mail import wait_for_mail

from .conftest import TODAY, book, days


@pytest.fixture(autouse=True)
def _addresses(network):
    for key in ("a", "b", "head", "md"):
        network[key].email = f"{key}@example.org"
        network[key].save()


def sent(capture, call):
    with capture(execute=True):
        result = call()
    wait_for_mail()
    return result


def test_request_to_the_owner_decision_to_the_library(
    expo, kit, people, network, django_capture_on_commit_callbacks
):
    booking = sent(
        django_capture_on_commit_callbacks, lambda: book(people["a"], network["a"], expo, 20, 50)
    )
    assert [m.to for m in mail.outbox] == [["md@example.org"]]
    assert mail.outbox[0].subject == f"Demande de réservation : {expo.title}"
    assert "Bibliothèque AAA demande à réserver" in mail.outbox[0].body
    assert "dimanche 21 mars 2027" in mail.outbox[0].body
    sent(django_capture_on_commit_callbacks, lambda: services.approve(people["md"], booking))
    assert mail.outbox[1].to == ["a@example.org", "libr@example.org"]
    assert mail.outbox[1].subject == f"Réservation confirmée : {expo.title}"
    other = book(people["b"], network["b"], kit, 20, 50)
    sent(
        django_capture_on_commit_callbacks,
        lambda: services.refuse(people["md"], other, "En restauration"),
    )
    assert mail.outbox[-1].subject == f"Réservation refusée : {kit.title}"
    assert "Motif : En restauration" in mail.outbox[-1].body


def test_the_first_in_line_is_told_when_dates_free_up(
    expo, people, network, make_staff, django_capture_on_commit_callbacks
):
    booking = book(people["a"], network["a"], expo, 20, 50)
    first = waiting.wait_for(people["b"], network["b"], expo, days(25), days(45), today=TODAY)
    second = waiting.wait_for(
        people["coord"], network["head"], expo, days(30), days(40), today=TODAY
    )
    assert (waiting.position(first), waiting.position(second)) == (1, 2)
    mail.outbox.clear()
    sent(django_capture_on_commit_callbacks, lambda: services.cancel(people["a"], booking))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Waiting.Status.OFFERED and second.status == Waiting.Status.WAITING
    assert len(mail.outbox) == 1 and "b@example.org" in mail.outbox[0].to
    assert mail.outbox[0].subject == f"Dates libres : {expo.title}"
    assert "26 mars 2027" in mail.outbox[0].body


def test_dates_still_taken_are_not_offered(expo, expo2, people, network):
    booking = book(people["a"], network["a"], expo, 20, 50)
    book(people["coord"], network["head"], expo, 60, 80)
    late = waiting.wait_for(people["b"], network["b"], expo, days(55), days(70), today=TODAY)
    services.cancel(people["a"], booking)
    late.refresh_from_db()
    assert late.status == Waiting.Status.WAITING  # the head library still has days 60–80


def test_waiting_refusals(expo, people, network):
    with pytest.raises(services.BookingError) as error:
        waiting.wait_for(people["b"], network["b"], expo, days(20), days(50), today=TODAY)
    assert error.value.code == "dates_free"
    book(people["a"], network["a"], expo, 20, 50)
    waiting.wait_for(people["b"], network["b"], expo, days(20), days(50), today=TODAY)
    with pytest.raises(services.BookingError) as error:
        waiting.wait_for(people["b"], network["b"], expo, days(30), days(40), today=TODAY)
    assert error.value.code == "already_waiting"
    assert Waiting.objects.count() == 1


def test_the_form_offers_to_wait_for_taken_dates(client_fr, expo, people, network):
    start = timezone.localdate() + dt.timedelta(days=20)
    end = start + dt.timedelta(days=20)
    services.request_booking(people["a"], network["a"], expo, start, end)
    client_fr.force_login(people["b"])
    asked = {"library": network["b"].pk, "start": start, "end": end, "keep": "on"}
    page = client_fr.post(reverse("bookings:detail", args=[expo.pk]), asked).content.decode()
    assert "Me prévenir si ces dates se libèrent" in page
    response = client_fr.post(reverse("bookings:wait", args=[expo.pk]), asked)
    assert response.status_code == 302
    entry = Waiting.objects.get()
    assert (entry.library, entry.start, entry.end) == (network["b"], start, end)
    page = client_fr.get(reverse("bookings:mine")).content.decode()
    assert "n° 1 sur la liste d’attente" in page
    client_fr.post(reverse("bookings:unwait", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == Waiting.Status.WITHDRAWN
