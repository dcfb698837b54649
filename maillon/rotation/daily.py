"""The circulation plans' daily work (`maillon rotation-daily`): the exchange dates of published
plans that are due open by themselves, each library's lots sent through the rotation service.

Due: a move of an exchange not run yet whose sending day (the grid's, or the planned date) is
today or in the last `grid.WINDOW_DAYS` days (a worker down for a day catches up; an exchange
left aside for longer stays for the coordinator). Running twice changes nothing: a lot already
on its way, or there, is left alone (services.run_exchange). A dry run only reads.

The daily run acts as the automatic account (`AUTOMATIC`): no password, it cannot sign in, and
the audit log names the system as the actor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from maillon.audit.services import SYSTEM
from maillon.lots.models import Lot
from maillon.network.models import Library
from maillon.rotation import grid, services
from maillon.rotation.models import Cell, Exchange, Plan

AUTOMATIC = "maillon-automatique"


def automatic_actor():
    """The account the daily work acts as (made on first use)."""
    user, created = get_user_model().objects.get_or_create(
        username=AUTOMATIC,
        defaults={"first_name": "Maillon", "is_superuser": True, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.audit_actor = SYSTEM
    return user


@dataclass
class Move:
    lot: str
    to: Library
    verdict: str  # services.SEND, services.ALREADY or the reason it is left alone


@dataclass
class Due:
    """One library's sending on one exchange date of a plan."""

    plan: Plan
    number: int
    day: dt.date
    library: Library
    moves: list[Move] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def to_send(self) -> list[Move]:
        return [m for m in self.moves if m.verdict == services.SEND]


def due(today: dt.date) -> list[Due]:
    """What is due on `today`, read now (nothing changes)."""
    since = today - dt.timedelta(days=grid.WINDOW_DAYS)
    window = dt.timedelta(days=2 * grid.WINDOW_DAYS)  # a move's day is near its planned date
    pending = {
        (e.plan_id, e.number): e
        for e in Exchange.objects.filter(
            plan__published_at__isnull=False,
            run_at__isnull=True,
            planned__range=(since - window, today + window),
        )
    }
    if not pending:
        return []
    cells = [
        cell
        for cell in Cell.objects.filter(
            plan_id__in={plan_id for plan_id, _n in pending},
            number__gte=1,
            from_library__isnull=False,
        )
        .select_related("plan", "library", "from_library")
        .order_by("plan__start", "plan_id", "number", "from_library__name", "lot_id")
        if (cell.plan_id, cell.number) in pending
        and since <= (cell.day or pending[cell.plan_id, cell.number].planned) <= today
    ]
    lots = {
        lot.pk: lot
        for lot in Lot.objects.filter(pk__in={c.lot_id for c in cells}).select_related(
            "station", "destination"
        )
    }
    found = []
    for (_plan, number, _library), group in groupby(
        cells, key=lambda c: (c.plan_id, c.number, c.from_library_id)
    ):
        moves = list(group)
        first = moves[0]
        assert first.from_library is not None
        entry = Due(
            plan=first.plan,
            number=number,
            day=min(c.day or pending[c.plan_id, number].planned for c in moves),
            library=first.from_library,
        )
        for cell in moves:
            lot = lots[cell.lot_id]
            entry.moves.append(
                Move(f"{lot.code} {lot.name}", cell.library, services.verdict(cell, lot))
            )
        found.append(entry)
    return found


def run(today: dt.date, *, dry_run: bool = False) -> list[Due]:
    """Send what is due on `today` (or, with `dry_run`, only say what would be sent)."""
    found = due(today)
    if dry_run or not found:
        return found
    actor = automatic_actor()
    for entry in found:
        result = services.run_exchange(actor, entry.plan, entry.number, entry.library)
        entry.sent, entry.refused = result.sent, result.refused
    return found


def lines(found: list[Due], *, dry_run: bool) -> list[str]:
    """What was (or would be) done, in French, one line per lot."""
    out = []
    for entry in found:
        head = _("%(plan)s, exchange %(n)s (%(day)s), %(library)s") % {
            "plan": entry.plan.name,
            "n": entry.number,
            "day": services.day_text(entry.day),
            "library": entry.library.name,
        }
        for move in entry.moves:
            if move.verdict == services.ALREADY:
                text = _("%(lot)s: already sent to %(library)s") % {
                    "lot": move.lot,
                    "library": move.to.name,
                }
            elif move.verdict == services.SEND:
                if dry_run:
                    text = _("%(lot)s: would be sent to %(library)s")
                elif move.lot in entry.sent:
                    text = _("%(lot)s: sent to %(library)s")
                else:
                    continue  # refused when sending: said below
                text = text % {"lot": move.lot, "library": move.to.name}
            elif dry_run:
                text = move.verdict
            else:
                continue  # said with the refusals below
            out.append(f"{head} — {text}")
        out += [f"{head} — {reason}" for reason in entry.refused]
    return out
