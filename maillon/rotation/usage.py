"""What circulation plans add to the pages of lower apps (see maillon.core.usage)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from maillon.core import usage
from maillon.network.models import Library
from maillon.rotation import services


def home_panel(library: Library, request: HttpRequest) -> str:
    """The library's next exchange in each published plan: what to pack for whom, what comes."""
    coming = services.next_exchange(library, timezone.localdate())
    if not coming:
        return ""
    return render_to_string(
        "rotation/home_panel.html",
        {"coming": coming, "library": library},
        request=request,
    )


def register() -> None:
    usage.register("home_panels", home_panel)
