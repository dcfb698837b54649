"""The staff home page: what needs doing today at the library one works at."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from maillon.core import usage
from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.models import Closure, Library
from maillon.network.permissions import Action, can


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing today at the library the person works at."""
    today = timezone.localdate()
    library = current_library(request)
    context: dict = {"today": today, "library": library}
    if library:
        library = Library.objects.prefetch_related("opening_hours", "closures").get(pk=library.pk)
        context.update(
            hours_today=library.hours_on(today),
            shuttle_today=library.is_shuttle_day(today) and not library.is_closed_on(today),
            next_shuttle=library.next_shuttle_day(today),
            closures=library.closures.filter(
                end__gte=today, start__lte=today + dt.timedelta(days=60)
            ),
        )
    if library:
        context["counts"] = [
            c for answer in usage.answers("today_counts", library, today) for c in answer
        ]
        context["panels"] = [p for p in usage.answers("home_panels", library, request) if p]
    if can(request.user, Action.ADMINISTER):
        context["network_counts"] = [
            c for answer in usage.answers("today_counts", None, today) for c in answer
        ]
        network = list(
            Library.objects.filter(is_active=True).prefetch_related("opening_hours", "closures")
        )
        context["network_today"] = [
            {
                "library": lib,
                "hours": lib.hours_on(today),
                "shuttle": lib.is_shuttle_day(today) and not lib.is_closed_on(today),
            }
            for lib in network
        ]
        context["network_closures"] = Closure.objects.filter(
            end__gte=today, start__lte=today + dt.timedelta(days=30)
        ).select_related("library")
    return render(request, "network/home.html", context)
