"""Calendars of bookings beyond one resource's month: "pick the dates first", a library's
year, the owners' year with occupancy, and a library's iCalendar feed (a signed address that
calendar programs fetch without signing in)."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from maillon.bookings import availability
from maillon.bookings.forms import PeriodForm
from maillon.bookings.models import HOLDING, Booking, BookingStatus, Resource
from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, libraries_for, require

FEED_SALT = "maillon.bookings.ical"


def _year(request: HttpRequest) -> int:
    try:
        return max(2000, min(2100, int(request.GET.get("annee", ""))))
    except ValueError:
        return timezone.localdate().year


@staff_required
def available(request: HttpRequest) -> HttpResponse:
    """Pick the dates first, then see every resource free on them."""
    form = PeriodForm(request.GET or None)
    free: list[availability.Free] = []
    others = 0
    if form.is_valid():
        free, others = availability.free_for(
            form.cleaned_data["start"], form.cleaned_data["end"], timezone.localdate()
        )
    return render(
        request,
        "bookings/available.html",
        {"form": form, "free": free, "others": others, "searched": form.is_valid()},
    )


@staff_required
def library_year(request: HttpRequest) -> HttpResponse:
    """What the user's library has booked over a year, and when each resource arrives."""
    library = current_library(request)
    year = _year(request)
    bookings: list[Booking] = []
    if library is not None:
        require(request.user, Action.VIEW, library)
        bookings = list(
            Booking.objects.filter(
                library=library,
                status__in=HOLDING,
                start__lte=dt.date(year, 12, 31),
                end__gte=dt.date(year, 1, 1),
            )
            .select_related("resource__kind", "resource__owner")
            .order_by("start", "pk")
        )
    feed = (
        request.build_absolute_uri(
            reverse("bookings:ical", args=[signing.dumps(library.pk, salt=FEED_SALT)])
        )
        if library is not None
        else None
    )
    return render(
        request,
        "bookings/library_year.html",
        {"library": library, "year": year, "bookings": bookings, "feed": feed},
    )


@staff_required
def owners_year(request: HttpRequest) -> HttpResponse:
    """Every resource of the owners the user works for (all of them for the network's
    coordinator) with its occupancy month by month over a year."""
    year = _year(request)
    owners = libraries_for(request.user, Action.MANAGE)
    resources = list(
        Resource.objects.filter(owner__in=owners)
        .select_related("kind", "owner")
        .order_by("kind__name", "title")
    )
    rates = availability.occupancy(resources, year)
    rows = [(resource, *rates[resource.pk]) for resource in resources]
    return render(
        request,
        "bookings/owners_year.html",
        {
            "year": year,
            "rows": rows,
            "months": [dt.date(year, m, 1) for m in range(1, 13)],
        },
    )


def ical(request: HttpRequest, token: str) -> HttpResponse:
    """A library's bookings as an iCalendar feed; the signed token is the only key."""
    try:
        library_id = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        raise Http404 from None
    library = Library.objects.filter(pk=library_id).first()
    if library is None:
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Réservations d’outils d’animation//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Bookings %(of_library)s") % {"of_library": library.of_name})
    rows = (
        Booking.objects.filter(library=library, status__in=HOLDING)
        .select_related("resource__owner")
        .order_by("start")
    )
    host = request.get_host().split(":")[0]
    for booking in rows:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("summary", booking.resource.title)
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end + dt.timedelta(days=1))  # the end of an all-day event
        event.add("dtstamp", booking.requested_at)
        event.add(
            "description",
            _("Lent by %(owner)s · %(status)s")
            % {"owner": booking.resource.owner.name, "status": booking.get_status_display()},
        )
        if booking.status == BookingStatus.REQUESTED:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
