"""An approved booking delivered by the shuttle is on the run sheets: out from its owner on the
shuttle day up to its start, back from the library at its end, as its own kind of line (title,
barcode, crates counted in the run); delivered, only the way back remains; collected at the
owner's, never."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from maillon.bookings import services
from maillon.bookings.models import Booking, BookingRule, Delivery
from maillon.rotation import runsheet

from .conftest import book, days

# TODAY (conftest) is a Monday; every library of the test network is served Tuesday and Friday.
START, END = days(15), days(36)  # two Tuesdays


def _approved(people, network, resource):
    booking = services.approve(people["md"], book(people["a"], network["a"], resource, 20, 50))
    Booking.objects.filter(pk=booking.pk).update(start=START, end=END, blocked_until=END)
    return Booking.objects.get(pk=booking.pk)


def _stops(day, today):
    run = runsheet.run_of(day, today)
    assert run is not None
    return run, {stop.library.code: stop for stop in run.stops}


def test_out_and_back_on_the_shuttle_days(people, network, expo):
    booking = _approved(people, network, expo)
    today = days(10)
    run, stops = _stops(START, today)
    [out] = stops["MD"].on.tools
    assert (out.title, out.barcode, out.other, out.crates) == (
        expo.title,
        expo.barcode,
        network["a"],
        3,
    )
    assert [t.barcode for t in stops["AAA"].off.tools] == [expo.barcode]
    assert run.crates == 6 and stops["MD"].busy  # 3 crates loaded, 3 unloaded
    _run, stops = _stops(END, today)
    assert [t.other for t in stops["AAA"].on.tools] == [network["md"]]
    assert [t.other for t in stops["MD"].off.tools] == [network["a"]]
    services.deliver(people["md"], booking)
    _run, stops = _stops(START, today)
    assert not stops["MD"].on.tools and not stops["AAA"].off.tools
    _run, stops = _stops(END, today)
    assert stops["AAA"].on.tools and stops["MD"].off.tools


def test_late_return_goes_on_the_next_run(people, network, expo):
    services.deliver(people["md"], _approved(people, network, expo))
    today = END + dt.timedelta(days=1)  # Wednesday: the next run is Friday
    _run, stops = _stops(END + dt.timedelta(days=3), today)
    assert [t.barcode for t in stops["AAA"].on.tools] == [expo.barcode]


def test_collected_resources_stay_off_the_van(people, network, expo, kinds):
    _approved(people, network, expo)
    BookingRule.objects.update_or_create(
        kind=kinds["exposition"], owner=None, defaults={"delivery": Delivery.COLLECTION}
    )
    _run, stops = _stops(START, days(10))
    assert not stops["MD"].on.tools and not stops["AAA"].off.tools


def test_the_run_sheet_page_says_it(client_fr, people, network, expo):
    booking = _approved(people, network, expo)
    today = timezone.localdate()
    md = network["md"]
    day = today if md.is_shuttle_day(today) else md.next_shuttle_day(today)
    Booking.objects.filter(pk=booking.pk).update(start=day, end=day + dt.timedelta(days=21))
    client_fr.force_login(people["coord"])
    page = client_fr.get(reverse("rotation:run", args=[day.isoformat()])).content.decode()
    assert "Outil d’animation" in page and expo.barcode in page and "3 caisses" in page
    pdf = client_fr.get(reverse("rotation:run_pdf", args=[day.isoformat()]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_missed_shuttle_day_is_carried_over_with_a_warning(people, network, expo):
    """Approved but not delivered on its Tuesday: it goes on Friday's run, marked as carried
    over from Tuesday's, on both stops and once in the run's count."""
    _approved(people, network, expo)
    today = START + dt.timedelta(days=1)  # Wednesday: Tuesday's run has gone
    run, stops = _stops(START + dt.timedelta(days=3), today)
    [out] = stops["MD"].on.tools
    [arriving] = stops["AAA"].off.tools
    assert out.planned == START and arriving.planned == START
    assert [t.title for t in run.carried_over] == [expo.title]
    # On its own day, nothing is carried over.
    run, stops = _stops(START, days(10))
    assert stops["MD"].on.tools[0].planned is None and run.carried_over == []


def test_a_missed_return_is_carried_over_too(people, network, expo):
    services.deliver(people["md"], _approved(people, network, expo))
    run, stops = _stops(END + dt.timedelta(days=3), END + dt.timedelta(days=1))
    [back] = stops["AAA"].on.tools
    assert back.planned == END and len(run.carried_over) == 1
    # Before its day, the way back is planned as usual.
    _run, stops = _stops(END, days(10))
    assert stops["AAA"].on.tools[0].planned is None


def _missed(people, network, expo):
    """A booking whose shuttle day out of the MD was the last one before today (real dates:
    the pages read the clock)."""
    booking = services.approve(people["md"], book(people["a"], network["a"], expo, 20, 50))
    md, today = network["md"], timezone.localdate()
    missed = today - dt.timedelta(days=1)
    while not md.is_shuttle_day(missed):
        missed -= dt.timedelta(days=1)
    end = missed + dt.timedelta(days=21)
    Booking.objects.filter(pk=booking.pk).update(start=missed, end=end, blocked_until=end)
    return Booking.objects.get(pk=booking.pk), missed


def test_the_run_sheet_page_warns_of_it(client_fr, people, network, expo):
    from maillon.core.dates import day

    booking, missed = _missed(people, network, expo)
    today = timezone.localdate()
    md = network["md"]
    next_run = today if md.is_shuttle_day(today) else md.next_shuttle_day(today)
    client_fr.force_login(people["coord"])
    page = client_fr.get(reverse("rotation:run", args=[next_run.isoformat()])).content.decode()
    assert f"Reporté de la tournée du {day(missed)} : son jour de navette est passé." in page
    assert "1 outil d’animation est sur cette tournée parce que son jour de navette" in page
    assert reverse("bookings:booking", args=[booking.pk]) in page
    # A volunteer of a third library reads the sheet, not the booking behind the line.
    client_fr.force_login(people["volunteer_b"])
    page = client_fr.get(reverse("rotation:run", args=[next_run.isoformat()])).content.decode()
    assert "Reporté de la tournée du" in page
    assert reverse("bookings:booking", args=[booking.pk]) not in page
    runs = client_fr.get(reverse("rotation:runs")).content.decode()
    assert "1 reporté" in runs
    pdf = client_fr.get(reverse("rotation:run_pdf", args=[next_run.isoformat()]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_booking_page_warns_of_it(client_fr, people, network, expo):
    from maillon.core.dates import day

    booking, missed = _missed(people, network, expo)
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:booking", args=[booking.pk])).content.decode()
    assert f"Reporté : le jour de navette où il devait partir, {day(missed)}, est passé." in page
    assert "C’est après le premier jour de la réservation" in page
    # Delivered at last: nothing is carried over any more.
    services.deliver(people["md"], booking)
    page = client_fr.get(reverse("bookings:booking", args=[booking.pk])).content.decode()
    assert "Reporté" not in page
