"""The dates Maillon proposes for a booking, and the first dates that would work when some are
refused.

By the shuttle, the resource arrives at the library on a day the shuttle carries it from its
owner, and leaves on a day the shuttle takes it back, never on a closure: the exchange grid's
rule (`rotation.grid.travel_days`). Collected at the owner's, it is handed over and taken back
on the owner's collection days (the rule's), the owner being open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from maillon.bookings.models import HOLDING, Booking, BookingRule, Delivery, Resource, taking
from maillon.network.models import Library
from maillon.rotation import grid

# How far from the asked day a proposed day may be, and how far ahead the first free dates are
# looked for.
NEAR_DAYS = grid.WINDOW_DAYS
LOOK_AHEAD_DAYS = 366


@dataclass(frozen=True)
class Proposal:
    start: dt.date
    end: dt.date
    delivery: str  # a Delivery value


def _member(library: Library, days: list[int] | None = None) -> grid.Member:
    return grid.Member(
        id=library.pk,
        shuttle_days=frozenset(library.shuttle_days if days is None else days),
        closures=tuple((c.start, c.end) for c in library.closures.all()),
    )


def _nearest(days: list[dt.date], wanted: dt.date) -> dt.date | None:
    return min(days, key=lambda d: (abs((d - wanted).days), d), default=None)


class Planner:
    """The dates one library may have one resource on, read once (closures, bookings)."""

    def __init__(
        self, rule: BookingRule, resource: Resource, library: Library, today: dt.date
    ) -> None:
        self.rule, self.resource, self.library, self.today = rule, resource, library, today
        self.earliest = today + dt.timedelta(days=rule.lead_days)
        owner = resource.owner
        if rule.delivery == Delivery.COLLECTION:
            desk = _member(owner, rule.collection_days)
            self.source = self.target = desk if desk.shuttle_days else None
        elif owner.pk != library.pk and owner.shuttle_days and library.shuttle_days:
            self.source, self.target = _member(owner), _member(library)
        else:  # lent at its own desk, or a shuttle nobody described: any day will do
            self.source = self.target = None

    def _arrivals(self, wanted: dt.date) -> list[dt.date]:
        """Days near `wanted` the resource can arrive at the library."""
        source, target = self.source, self.target
        assert source is not None and target is not None
        if source is target:  # collected: any of the owner's collection days
            near = (wanted + dt.timedelta(days=n) for n in range(-NEAR_DAYS, NEAR_DAYS + 1))
            return [d for d in near if source.served(d)]
        return [arrives for _d, _leaves, arrives in grid.travel_days(source, target, wanted)]

    def _departures(self, wanted: dt.date) -> list[dt.date]:
        """Days near `wanted` the resource can leave the library for its owner."""
        source, target = self.source, self.target
        assert source is not None and target is not None
        if source is target:
            return self._arrivals(wanted)
        return [leaves for _d, leaves, _a in grid.travel_days(target, source, wanted)]

    def propose(self, start: dt.date, end: dt.date) -> Proposal | None:
        """The days nearest to start..end the delivery allows, within the rule's lead time and
        durations; None when no such days are near (or any day will do)."""
        if self.source is None:
            return None
        first = _nearest([d for d in self._arrivals(start) if d >= self.earliest], start)
        if first is None:
            return None
        shortest = first + dt.timedelta(days=self.rule.min_days - 1)
        longest = first + dt.timedelta(days=self.rule.max_days - 1)
        last = _nearest([d for d in self._departures(end) if shortest <= d <= longest], end)
        if last is None:
            return None
        return Proposal(first, last, self.rule.delivery)

    def first_free(self, start: dt.date, end: dt.date) -> Proposal | None:
        """The first dates from `start` on, as long as start..end, that the delivery allows and
        no booking of the resource takes (with both loans' checking days)."""
        length = dt.timedelta(days=(end - start).days)
        day = max(start, self.earliest)
        taken = [
            (b.start, b.taken_until(self.today))
            for b in Booking.objects.filter(
                taking(day, self.today), resource=self.resource, status__in=HOLDING
            )
        ]
        buffer = dt.timedelta(days=self.rule.buffer_days)
        horizon = day + dt.timedelta(days=LOOK_AHEAD_DAYS)
        while day <= horizon:
            if self.source is None:
                proposal: Proposal | None = Proposal(day, day + length, self.rule.delivery)
            else:
                proposal = self.propose(day, day + length)
            if proposal is not None and proposal.start >= day:
                until = proposal.end + buffer
                clash = [u for s, u in taken if s <= until and u >= proposal.start]
                if not clash:
                    return proposal
                day = max(clash) + dt.timedelta(days=1)
            else:
                day += dt.timedelta(days=1)
        return None
