"""What deposits add to the pages of lower apps (see maillon.core.usage): the library's deposit
on its home page, and on an item's page the deposit it is in."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from maillon.catalogue.models import Item
from maillon.core import usage
from maillon.deposits import services
from maillon.network.models import Library


def home_panel(library: Library, request: HttpRequest) -> str:
    deposit = services.open_deposit_of(library)
    if deposit is None:
        return ""
    line = services.overview([deposit], timezone.localdate())[0]
    return render_to_string("deposits/home_panel.html", {"line": line}, request=request)


def item_panel(item: Item, request: HttpRequest) -> str:
    entry = services.entry_of(item)
    if entry is None:
        return ""
    return render_to_string("deposits/item_panel.html", {"entry": entry}, request=request)


def register() -> None:
    usage.register("home_panels", home_panel)
    usage.register("item_panels", item_panel)
