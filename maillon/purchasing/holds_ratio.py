"""The holds-ratio alert: records whose waiting holds pass N per holdable copy, N set per item
type (HoldsRatio rows), copies on order counted as copies. In the network, or at one library:
the holds to be picked up there against the copies whose home it is.

A record's N is that of the item type most of its holdable copies have in the network (on a
tie, the lowest N: the alert comes sooner); a record with no copy left takes the default row's.
Three grouped queries whatever the size of the catalogue: only records with a waiting hold are
looked at (maillon bench --only purchasing).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.catalogue.models import HOLDABLE_STATUSES, Item, ItemStatus, ItemType, Record
from maillon.circulation.models import Hold
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require
from maillon.purchasing.models import HoldsRatio
from maillon.purchasing.network import CHUNK, WAITING
from maillon.purchasing.services import PurchasingError

DEFAULT_RATIO = 4  # when even the default row was deleted


@dataclass
class Alert:
    record: Record
    holds: int
    copies: int  # holdable copies, those on order included
    on_order: int
    threshold: int  # N: holds per copy at most

    @property
    def ratio(self) -> float | None:
        return self.holds / self.copies if self.copies else None

    @property
    def to_buy(self) -> int:
        """Copies to add so that the holds come down to N per copy."""
        return max(math.ceil(self.holds / self.threshold) - self.copies, 1)

    @property
    def pressure(self) -> Fraction:
        """Holds per copy over the threshold (a title with no copy: its holds, ranked first)."""
        if not self.copies:
            return Fraction(10**6 + self.holds)
        return Fraction(self.holds, self.copies * self.threshold)


def thresholds() -> tuple[dict[int, int], int]:
    """N per item type id, and the default N."""
    per_type: dict[int, int] = {}
    default = DEFAULT_RATIO
    for item_type_id, n in HoldsRatio.objects.values_list("item_type_id", "holds_per_copy"):
        if item_type_id is None:
            default = n
        else:
            per_type[item_type_id] = n
    return per_type, default


def alerts(library: Library | int | None = None, *, record_ids: list[int] | None = None):
    """The alerts in the network (library None) or at one library, the worst first."""
    library_id = getattr(library, "pk", library)
    holds_qs = Hold.objects.filter(status__in=WAITING)
    if library_id is not None:
        holds_qs = holds_qs.filter(pickup_library_id=library_id)
    if record_ids is not None:
        holds_qs = holds_qs.filter(record_id__in=record_ids)
    holds = dict(holds_qs.values_list("record_id").annotate(n=Count("pk")).order_by())
    per_type, default = thresholds()
    # record → item type → copies in the network; record → (copies, on order) counted here
    types: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    here: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    ids = sorted(holds)
    for start in range(0, len(ids), CHUNK):
        for record_id, item_type_id, home_id, status, n in (
            Item.objects.filter(record_id__in=ids[start : start + CHUNK])
            .filter(status__in=HOLDABLE_STATUSES)
            .values_list("record_id", "item_type_id", "home_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            types[record_id][item_type_id] += n
            if library_id is None or home_id == library_id:
                here[record_id][0] += n
                if status == ItemStatus.ON_ORDER:
                    here[record_id][1] += n
    flagged: list[tuple[int, int, int, int, int]] = []
    for record_id, n_holds in holds.items():
        counted = types.get(record_id)
        threshold = default
        if counted:  # the most common type's N; on a tie the lowest
            threshold = min((-n, per_type.get(t, default)) for t, n in counted.items())[1]
        copies, on_order = here.get(record_id, (0, 0))
        if n_holds > threshold * copies:
            flagged.append((record_id, n_holds, copies, on_order, threshold))
    records = Record.objects.in_bulk([row[0] for row in flagged])
    found = [Alert(records[row[0]], *row[1:]) for row in flagged]
    found.sort(key=lambda a: (-a.pressure, -a.holds, a.record.sort_title))
    return found


def alert_for(record: Record, library: Library | int | None = None) -> Alert | None:
    found = alerts(library, record_ids=[record.pk])
    return found[0] if found else None


# The thresholds, as data the coordinator changes ----------------------------------------------


def ratio_rows() -> list[tuple[ItemType | None, int | None]]:
    """(item type, its own N or None) for every type, the default row first."""
    per_type, default = thresholds()
    return [(None, default)] + [(t, per_type.get(t.pk)) for t in ItemType.objects.order_by("name")]


def _check(value: object) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise PurchasingError(
            "ratio_invalid",
            _("A threshold is a whole number of holds per copy, from 1 to 100: “%(value)s”.")
            % {"value": text},
            kind=Kind.INVALID,
        )
    return int(text)


def save_ratios(actor, default: object, per_type: Mapping[int, object]) -> None:
    """The network's thresholds (the coordinator): the default N, and N per item type (empty:
    the type takes the default). Code: ratio_invalid, nothing changed then."""
    require(actor, Action.ADMINISTER)
    default_n = _check(default)
    if default_n is None:
        raise PurchasingError(
            "ratio_invalid", _("Give the default threshold (holds per copy)."), kind=Kind.INVALID
        )
    checked = {type_id: _check(value) for type_id, value in per_type.items()}
    with transaction.atomic():
        HoldsRatio.objects.update_or_create(item_type=None, defaults={"holds_per_copy": default_n})
        for type_id, n in checked.items():
            if n is None:
                HoldsRatio.objects.filter(item_type_id=type_id).delete()
            else:
                HoldsRatio.objects.update_or_create(
                    item_type_id=type_id, defaults={"holds_per_copy": n}
                )
        codes = dict(ItemType.objects.values_list("pk", "code"))
        shown = [f"*:{default_n}"] + [
            f"{codes.get(t, t)}:{n}" for t, n in checked.items() if n is not None
        ]
        audit("holds_ratios_changed", actor=actor, details={"holds_ratio": " ".join(shown)})
