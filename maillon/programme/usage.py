"""What the programme adds to the pages of lower apps (see maillon.core.usage)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from maillon.core import usage
from maillon.network.models import Library
from maillon.programme import booked, meetings, today


def home_panel(library: Library, request: HttpRequest) -> str:
    """The person's meetings to come (invited or registered), whatever library they are at."""
    coming = meetings.upcoming_for(request.user, timezone.now())
    if not coming:
        return ""
    return render_to_string("programme/home_panel.html", {"coming": coming}, request=request)


def register() -> None:
    usage.register("home_panels", home_panel)
    usage.register("today_counts", today.today_counts)
    usage.register("booking_panels", booked.booking_panel)
