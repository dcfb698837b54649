"""The patrons who asked "put me on hold when it arrives": their holds are placed as soon as
the record has copies to hold (on order counts: patrons may hold copies not delivered yet)."""

from __future__ import annotations

from collections.abc import Iterable

from maillon.audit.services import record as audit
from maillon.circulation import holds
from maillon.circulation.errors import CirculationError
from maillon.purchasing.models import Suggestion


def place_waiting_holds(record_ids: Iterable[int]) -> int:
    """Place the holds accepted suggestions asked for on these records; returns how many.
    A hold the rules refuse (card expired, already held…) is left for the desk to see."""
    placed = 0
    waiting = Suggestion.objects.select_related("patron", "library", "record").filter(
        record_id__in=list(record_ids),
        state=Suggestion.State.ACCEPTED,
        wants_hold=True,
        hold_placed=False,
        patron__isnull=False,
    )
    for suggestion in waiting:
        if suggestion.patron is None or suggestion.record is None:  # narrowed by the filter
            continue
        try:
            holds.place_own_hold(suggestion.patron, suggestion.record, suggestion.library)
        except CirculationError:
            continue
        Suggestion.objects.filter(pk=suggestion.pk).update(hold_placed=True)
        audit(
            "suggestion_hold_placed",
            suggestion,
            actor=suggestion.patron,
            library=suggestion.library,
            patron=suggestion.patron,
        )
        placed += 1
    return placed
