"""Deposits in the demo: the MD lends each member library and reading point a deposit, chosen
at one exchange session in the past (members at level 3, reading points at level 4, whose
items are due back soon); one item lost at Secondigny, one request waiting."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item, ItemStatus
from maillon.deposits import services
from maillon.deposits.models import Deposit, DepositEntry, DepositLevel, ExchangeSession
from maillon.network.models import Library, LibraryKind

LEVELS: dict[str, str] = {LibraryKind.MEMBER: "B3", LibraryKind.READING_POINT: "B4"}
PER_LIBRARY = 12
SESSION_DAYS_AGO = 170


def build_deposits(today: dt.date) -> dict[str, int]:
    md = Library.objects.filter(kind=LibraryKind.DEPARTMENTAL).first()
    md_staff = get_user_model().objects.filter(username="md").first()
    levels = {lvl.code: lvl for lvl in DepositLevel.objects.all()}
    if md is None or md_staff is None or Deposit.objects.exists() or not levels:
        return {}
    libraries = list(Library.objects.filter(kind__in=list(LEVELS), is_active=True).order_by("code"))
    free = list(
        Item.objects.filter(owner=md, home=md, current=md, status=ItemStatus.AVAILABLE)
        .order_by("pk")
        .values_list("barcode", flat=True)
    )
    made = {"deposits": 0, "lent": 0}
    day = today - dt.timedelta(days=SESSION_DAYS_AGO)
    for n, library in enumerate(libraries):
        level = levels.get(LEVELS[library.kind])
        if level is None:
            continue
        deposit = services.open_deposit(
            md_staff, md, library, level, today - dt.timedelta(days=400)
        )
        session = services.open_session(md_staff, deposit, day, ExchangeSession.Kind.BIBLIOBUS)
        chosen = free[n :: len(libraries)][:PER_LIBRARY]  # dealt in turn: each gets some
        made["lent"] += len(services.lend(md_staff, session, chosen).done)
        services.close_session(md_staff, session)
        made["deposits"] += 1
    lost = DepositEntry.objects.filter(deposit__library__code="SEC").select_related("item").first()
    secondigny = get_user_model().objects.filter(username="secondigny").first()
    if lost is not None and secondigny is not None:
        item_service.mark_lost(secondigny, lost.item, note="Non rendu par un lecteur")
        made["lost"] = 1
    asked = Deposit.objects.filter(library__code="SEC").first()
    if asked is not None and secondigny is not None:
        services.ask(secondigny, asked, "Albums sur la mer pour la classe de CP (une dizaine)")
    made["history"] = _history()
    return made


def _history() -> int:
    """The deposits were open before their last exchange (opened 400 days ago, lent at an
    exchange 170 days ago): the documents lent then were lent at the opening already and kept
    at that exchange, so last year's annual report counts the MD's documents at 31/12. Written
    as rows, as a migration would bring a library's history from its former system."""
    made = 0
    for deposit in Deposit.objects.filter(closed_on__isnull=True):
        current = list(
            DepositEntry.objects.filter(
                deposit=deposit, returned_on__isnull=True, lent_on__gt=deposit.opened_on
            )
        )
        taken = ExchangeSession.objects.filter(library=deposit.library, day=deposit.opened_on)
        if not current or taken.exists():
            continue
        opening = ExchangeSession.objects.create(
            deposit=deposit,
            library=deposit.library,
            day=deposit.opened_on,
            kind=ExchangeSession.Kind.BIBLIOBUS,
            closed_at=timezone.make_aware(dt.datetime.combine(deposit.opened_on, dt.time(12))),
        )
        DepositEntry.objects.bulk_create(
            DepositEntry(
                deposit=deposit,
                item_id=entry.item_id,
                lent_in=opening,
                lent_on=deposit.opened_on,
                due_on=entry.lent_on,
                returned_in_id=entry.lent_in_id,
                returned_on=entry.lent_on,
            )
            for entry in current
        )
        made += len(current)
    return made
