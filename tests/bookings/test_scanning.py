"""Resources have barcodes; the owner's desk scans one to send an approved booking's resource
out and to take it back, through the status services; wrong barcodes and states are said in
French and change nothing."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from maillon.bookings import labels, scanning, services
from maillon.bookings.models import Booking, BookingStatus, Resource

from .conftest import TODAY, book, days


@pytest.fixture
def approved(expo, people, network):
    booking = book(people["a"], network["a"], expo, 20, 50)
    return services.approve(people["md"], booking)


def test_each_resource_gets_its_own_barcode(expo, kit, expo2):
    codes = {r.barcode for r in (expo, kit, expo2)}
    assert len(codes) == 3 and all(c.startswith("OA") and len(c) == 10 for c in codes)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.filter(pk=kit.pk).update(barcode=expo.barcode)


def test_a_scan_delivers_then_takes_back(approved, people, network, expo):
    leaves = days(20) - dt.timedelta(days=3)
    done = scanning.scan(people["md"], network["md"], f" {expo.barcode.lower()} ", today=leaves)
    assert done.step == "delivered" and done.booking.status == BookingStatus.DELIVERED
    done = scanning.scan(people["md"], network["md"], expo.barcode, today=days(50))
    assert done.step == "returned" and done.booking.status == BookingStatus.RETURNED
    with pytest.raises(services.BookingError) as error:
        scanning.scan(people["md"], network["md"], expo.barcode, today=days(51))
    assert error.value.code == "nothing_to_deliver"


def test_wrong_barcode_desk_or_date_is_refused_in_french(approved, people, network, expo):
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        scanning.scan(people["md"], network["md"], "OA-nope", today=TODAY)
    assert error.value.code == "unknown_barcode" and "« OA-nope »" in error.value.message
    assert "Aucun outil" in error.value.message
    with pytest.raises(services.BookingError) as error:
        scanning.scan(people["a"], network["a"], expo.barcode, today=TODAY)
    assert error.value.code == "not_owner"
    with pytest.raises(services.BookingError) as error:
        scanning.scan(people["md"], network["md"], expo.barcode, today=TODAY)  # 20 days early
    assert error.value.code == "too_early"
    assert Booking.objects.get(pk=approved.pk).status == BookingStatus.APPROVED


def test_a_requested_booking_does_not_leave(expo, people, network):
    book(people["a"], network["a"], expo, 20, 50)
    with pytest.raises(services.BookingError) as error:
        scanning.scan(people["md"], network["md"], expo.barcode, today=days(19))
    assert error.value.code == "nothing_to_deliver"


def test_the_scan_page(client_fr, people, network, expo):
    start = timezone.localdate() + dt.timedelta(days=20)
    booking = services.request_booking(
        people["a"], network["a"], expo, start, start + dt.timedelta(days=20)
    )
    services.approve(people["md"], booking)
    client_fr.force_login(people["md"])
    page = client_fr.get(reverse("bookings:scan"))
    assert page.status_code == 200 and 'name="barcode"' in page.content.decode()
    page = client_fr.post(reverse("bookings:scan"), {"barcode": "???"}, follow=True)
    assert "Aucun outil" in page.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.APPROVED
    Booking.objects.filter(pk=booking.pk).update(start=timezone.localdate())
    page = client_fr.post(reverse("bookings:scan"), {"barcode": expo.barcode}, follow=True)
    assert "Livré" in page.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DELIVERED
    client_fr.force_login(people["volunteer_b"])  # another library's desk: not its resource
    page = client_fr.post(reverse("bookings:scan"), {"barcode": expo.barcode}, follow=True)
    assert "scannez-le à l’accueil de son propriétaire" in page.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DELIVERED


def test_crate_labels_for_the_owner(client_fr, people, expo):
    client_fr.force_login(people["md"])
    page = client_fr.get(reverse("bookings:detail", args=[expo.pk])).content.decode()
    assert expo.barcode in page and reverse("bookings:labels", args=[expo.pk]) in page
    pdf = client_fr.get(reverse("bookings:labels", args=[expo.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with translation.override("fr"):
        html = labels.html(expo)
    assert html.count("<svg") == 3 and "Caisse 3 sur 3" in html  # one label per crate
    client_fr.force_login(people["b"])
    assert client_fr.get(reverse("bookings:labels", args=[expo.pk])).status_code == 403
