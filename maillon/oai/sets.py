"""The repository's sets: one per library and one per collection (``library:G04``,
``collection:BASE``) under their parents ``library`` and ``collection``, and which records are
in each.

A record is in a library's set while it has a copy in the collection (not withdrawn, lost or
missing) whose home is that library, in a collection's set while such a copy belongs to the
collection (``memberships``: the one rule). Harvesters of a set must also learn when a record
leaves it — its last copy there withdrawn, sent home elsewhere, taken out of the collection —
while it stays live in the other sets and in the whole repository: the set's membership is
kept in ``SetMembership`` rows, one per record and set, closed (``left_at``) when the record
leaves and reopened when it comes back. ``refresh`` keeps them; it runs whenever the catalogue
dates a change of a record's holdings (``maillon.catalogue.records.holdings_changed``), in the
same transaction; a library's new code renames its set (``on_library_code_changed``), and a
collection's code cannot change once copies use it. ``rebuild`` fills them from the copies for
a whole catalogue (the migration that created them, ``maillon oai-sets`` after loading rows in
bulk).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.catalogue.bulk import insert_rows
from maillon.catalogue.models import GONE_STATUSES

# setSpec characters (unreserved URI characters); ":" separates the hierarchy's levels.
_SPEC_PART = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
LIBRARY, COLLECTION = "library", "collection"
CHUNK = 500  # records whose memberships are read and written together
REBUILD_CHUNK = 2000  # records per step of a rebuild (an id range)


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


def sets() -> list[OaiSet]:
    """The libraries' and the collections' sets, under "library" and "collection"."""
    from maillon.catalogue.models import Collection
    from maillon.network.models import Library

    found = [OaiSet(LIBRARY, _("Holdings by library"))]
    for code, name in Library.objects.order_by("code").values_list("code", "name"):
        if _SPEC_PART.fullmatch(code):
            found.append(OaiSet(f"{LIBRARY}:{code}", name))
    found.append(OaiSet(COLLECTION, _("Holdings by collection")))
    for code, name in Collection.objects.order_by("code").values_list("code", "name"):
        if _SPEC_PART.fullmatch(code):
            found.append(OaiSet(f"{COLLECTION}:{code}", name))
    return found


def check(spec: str) -> str:
    """``spec`` if the repository has this set; raises badArgument otherwise."""
    from maillon.catalogue.models import Collection
    from maillon.network.models import Library
    from maillon.oai.protocol import OaiError

    kind, _sep, code = spec.partition(":")
    if kind in (LIBRARY, COLLECTION) and not code:
        return spec
    if _SPEC_PART.fullmatch(code):
        model = Library if kind == LIBRARY else Collection if kind == COLLECTION else None
        if model is not None and model.objects.filter(code=code).exists():
            return spec
    raise OaiError("badArgument", _("This repository has no set %(set)s.") % {"set": spec[:100]})


# --- the rule ----------------------------------------------------------------------------------


def leaf_specs(copies: Iterable[tuple[str, str]]) -> list[str]:
    """The library and collection sets of a record whose copies in the collection have these
    (home library code, collection code or "") — what its header lists, the parents being
    implied by the protocol's hierarchy."""
    pairs = list(copies)
    libraries = sorted({home for home, _c in pairs if _SPEC_PART.fullmatch(home)})
    collections = sorted({c for _h, c in pairs if c and _SPEC_PART.fullmatch(c)})
    return [f"{LIBRARY}:{code}" for code in libraries] + [
        f"{COLLECTION}:{code}" for code in collections
    ]


def is_leaf(spec: str) -> bool:
    """Whether ``spec`` names a library's or a collection's set (not a parent)."""
    kind, _sep, code = spec.partition(":")
    return kind in (LIBRARY, COLLECTION) and bool(_SPEC_PART.fullmatch(code))


def memberships(copies: Iterable[tuple[str, str]]) -> set[str]:
    """Every set such a record is in: its leaf sets, "library" when it has a copy at all and
    "collection" when one belongs to a collection."""
    pairs = list(copies)
    found = set(leaf_specs(pairs))
    if pairs:
        found.add(LIBRARY)
    if any(collection for _home, collection in pairs):
        found.add(COLLECTION)
    return found


# --- keeping the rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Models:
    """The models the rows are read from and written to: the app's own, or a migration's."""

    Record: Any
    Item: Any
    SetMembership: Any


def _models() -> Models:
    from maillon.catalogue.models import Item, Record
    from maillon.oai.models import SetMembership

    return Models(Record, Item, SetMembership)


@dataclass
class Changes:
    """What a refresh or a rebuild changed: records read, memberships opened, reopened and
    closed."""

    records: int = 0
    joined: int = 0
    back: int = 0
    left: int = 0

    def add(self, other: Changes) -> None:
        self.records += other.records
        self.joined += other.joined
        self.back += other.back
        self.left += other.left


def refresh(record_ids: Iterable[int], at: dt.datetime | None = None) -> Changes:
    """Bring these records' memberships in line with their copies now: sets joined are
    opened (or reopened), sets left are closed at ``at`` (the records' new datestamp). Runs in
    the caller's transaction, which has locked the records' rows (``touch_records``' UPDATE),
    so two refreshes of one record follow each other."""
    ids = sorted(set(record_ids))
    at = at or timezone.now()
    models = _models()
    done = Changes()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        done.add(_sync(models, {"record_id__in": chunk}, chunk, at))
    return done


def rebuild(
    models: Models | None = None,
    at: dt.datetime | None = None,
    records: range | None = None,
    progress: Callable[[int], None] | None = None,
) -> Changes:
    """Bring the memberships of every record (of ``records``, a range of ids) in line with
    its copies, an id range at a time, each in a transaction that locks its records first. A
    catalogue whose rows were written without the services (the migration that made the
    table, a bulk load, a generated benchmark) gets its sets; one the services kept needs no
    change. ``progress`` is told of each step's records."""
    models = models or _models()
    at = at or timezone.now()
    if records is None:
        bounds = models.Record.objects.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return Changes()
        records = range(bounds["low"], bounds["high"] + 1)
    done = Changes()
    for low in range(records.start, records.stop, REBUILD_CHUNK):
        high = min(low + REBUILD_CHUNK, records.stop)
        with transaction.atomic():
            ids = list(
                models.Record.objects.select_for_update()
                .filter(pk__gte=low, pk__lt=high)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if ids:
                done.add(_sync(models, {"record_id__gte": low, "record_id__lt": high}, ids, at))
        if progress is not None:
            progress(len(ids))
    return done


def _sync(models: Models, rows: dict[str, Any], ids: Sequence[int], at: dt.datetime) -> Changes:
    """The memberships of records ``ids`` (the rows ``rows`` selects) made to agree with
    their copies."""
    copies: dict[int, list[tuple[str, str]]] = defaultdict(list)
    live = models.Item.objects.filter(**rows).exclude(status__in=GONE_STATUSES)
    for record_id, home, collection in live.values_list(
        "record_id", "home__code", "collection__code"
    ):
        copies[record_id].append((home, collection or ""))
    wanted = {pk: memberships(copies.get(pk, ())) for pk in ids}
    rows_now = models.SetMembership.objects.filter(**rows)
    have = {
        (record_id, spec): (pk, left_at)
        for pk, record_id, spec, left_at in rows_now.values_list(
            "pk", "record_id", "spec", "left_at"
        )
    }
    joining: list[tuple[int, str, dt.datetime]] = []
    back, leaving = [], []
    for record_id, specs in wanted.items():
        for spec in sorted(specs):
            row = have.get((record_id, spec))
            if row is None:
                joining.append((record_id, spec, at))
            elif row[1] is not None:
                back.append(row[0])
    for (record_id, spec), (pk, left_at) in have.items():
        if left_at is None and spec not in wanted.get(record_id, ()):
            leaving.append(pk)
    # Rows as tuples (a rebuild writes millions; model instances cost more than the insert).
    insert_rows(models.SetMembership, ["record", "spec", "joined_at"], joining)
    if back:
        models.SetMembership.objects.filter(pk__in=back).update(joined_at=at, left_at=None)
    if leaving:
        models.SetMembership.objects.filter(pk__in=leaving).update(left_at=at)
    return Changes(len(ids), len(joining), len(back), len(leaving))


def on_holdings_changed(sender, record_ids: Sequence[int], at: dt.datetime, **kwargs) -> None:
    refresh(record_ids, at)


def on_library_code_changed(sender, library, old_code: str, **kwargs) -> None:
    """The library's set takes its new code, with its history (members and departures), in
    one UPDATE: harvesters of the new setSpec get what the old one had, the old one is no set
    any more (badArgument). The records it holds are dated anew by the catalogue (their
    headers and holdings show the new code)."""
    from maillon.oai.models import SetMembership

    SetMembership.objects.filter(spec=f"{LIBRARY}:{old_code}").update(
        spec=f"{LIBRARY}:{library.code}"
    )
