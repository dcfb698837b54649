"""Questions a lower app asks the apps above it, answered without importing them.

A lower app never imports a higher one (docs/design.md, "Layers"), yet the catalogue must know
whether circulation still refers to an item type before deleting it. The higher app registers
an answer in its AppConfig.ready(); the lower app reads every registered answer.

Questions asked today (the arguments each answer takes):
- ``item_type_uses`` (item_type, *, deleting: bool, known: list[str]) → list[str], the uses in
  words; ``known`` holds what the catalogue found itself (an answer may skip costly reads then).
- ``category_code_in_use`` (category) → bool: does anything keep the category's code?

Parts of a page (each answer returns safe HTML, rendered by the app that knows):
- ``item_panels`` (item, request) and ``record_panels`` (record, request): what the apps above
  the catalogue add to the staff item and record pages (circulation: loan, transfer, holds).

- ``home_panels`` (library, request) → safe HTML: what the apps above add to the staff home
  page of a library (the circulation plan: its next exchange).

- ``core_gap_actions`` (record, library, request) → safe HTML: what the apps above offer for
  a core title `library` lacks (acquisitions: "add to a selection list"), beside the hold.

- ``booking_panels`` (booking, request) → safe HTML: what the apps above bookings add to a
  booking's page (the programme: the event it serves, and the choice of one).

- ``today_counts`` (library or None, today) → [{"label", "count", "url"}]: the day's work in
  numbers for the staff home page, at one library or (None) in the whole network.

- ``shuttle_tools`` (first, last, today) → [{"day", "library", "side", "other", "title",
  "barcode", "crates", "booking", "url", "planned"}]: what the shuttle carries for bookings of
  animation resources between two days (libraries by id; side "on" or "off"; url: the
  booking's page; planned: the shuttle day it missed when carried over to a later run, else
  None), for the run sheets.

- ``transfer_received`` (*, actor, library, item, transfer, today) → CheckinResult or None:
  circulation received `transfer` at `library` (item locked, transfer closed, inside the
  transaction); the app that made the transfer (its reason) may decide what happens now (a
  claimed item changes hands; an item joins the workshop's queue) and return the desk's
  result. None: the item is routed like any arrival.

News it announces the same way (the answers act; what they return is ignored):
- ``item_changed_by_staff`` (item) → None: a staff action on the item page (lost, missing,
  damaged, repaired, found, withdrawn, reinstated) or the reception of an item on order changed
  its status, inside the action's transaction; circulation gives the record's waiting holds
  another copy, or this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

_answers: dict[str, list[Callable[..., Any]]] = {}


def register(question: str, answer: Callable[..., Any]) -> None:
    """Add an answer to `question` (once: ready() may run more than once)."""
    registered = _answers.setdefault(question, [])
    if answer not in registered:
        registered.append(answer)


def announce(news: str, *args: Any, **kwargs: Any) -> None:
    """Tell every registered listener of `news`; what they return is ignored."""
    for _ in answers(news, *args, **kwargs):
        pass


def answers(question: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
    """Each registered answer in turn, computed only when read (any() stops at the first)."""
    for answer in _answers.get(question, ()):
        yield answer(*args, **kwargs)
