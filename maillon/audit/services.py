"""Writing the audit log (``record``), and its privacy: patron links dropped, old rows purged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone

from maillon.audit.labels import ACTIONS
from maillon.audit.models import ActorKind, AuditEntry
from maillon.core.prepared import insert
from maillon.network.models import Library


class Actor(NamedTuple):
    """Who acted, as the log keeps it. A user object may carry one as ``audit_actor`` (an API
    token's or a terminal's user), and so does a Patron."""

    kind: str
    user_id: int | None = None
    actor_id: int | None = None


SYSTEM = Actor(ActorKind.SYSTEM)


def actor_of(actor: Any) -> Actor:
    """The Actor for a request's user, a Patron, an Actor, or None (the system)."""
    if actor is None or isinstance(actor, Actor):
        return actor or SYSTEM
    given = getattr(actor, "audit_actor", None)
    if given is not None:
        return given
    if getattr(actor, "is_authenticated", False):
        return Actor(ActorKind.STAFF, user_id=actor.pk)
    return SYSTEM


def check_action(action: str) -> None:
    if action not in ACTIONS:
        raise LookupError(f"audit action {action!r} has no label: declare it in an actions module")


_batch: ContextVar[list[AuditEntry] | None] = ContextVar("maillon_audit_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside, ``record`` keeps its entries and writes them in one INSERT on leaving without
    an error (a lot's 200 arrivals, each recorded by the circulation service). Use it inside
    the transaction of the changes it records."""
    if _batch.get() is not None:  # already batching: the outer block writes
        yield
        return
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    if entries:
        AuditEntry.objects.bulk_create(entries)


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    library: Library | int | None = None,
    patron: Any = None,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """One entry of the log. Call it inside the transaction of the change it records, so that
    both are kept or neither; it is one INSERT. `patron` (a Patron or its id) is the person the
    action concerned; anonymisation removes it later. Details hold ids and codes, never names
    or card numbers: the entry outlives the privacy delays."""
    check_action(action)
    who = actor_of(actor)
    entry = AuditEntry(
        actor_kind=who.kind,
        user_id=who.user_id,
        actor_id=who.actor_id,
        library_id=getattr(library, "pk", library),
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        patron_id=getattr(patron, "pk", patron),
        details=details or {},
    )
    if at is not None:
        entry.at = at
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)
    else:
        insert(entry)  # entry.save(force_insert=True), its SQL written once
    return entry


def record_many(
    entries: Iterable[tuple[str, models.Model, dict[str, Any]]],
    *,
    actor: Any = None,
    library: Library | int | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Entries (action, object, details) of one actor at one library, in one INSERT: a
    service acting on many objects at once (a lot sent). Same rules as ``record``."""
    who = actor_of(actor)
    at = at or timezone.now()
    rows = []
    for action, obj, details in entries:
        check_action(action)
        rows.append(
            AuditEntry(
                at=at,
                actor_kind=who.kind,
                user_id=who.user_id,
                actor_id=who.actor_id,
                library_id=getattr(library, "pk", library),
                action=action,
                object_type=obj._meta.model_name or "",
                object_id=obj.pk,
                details=details,
            )
        )
    AuditEntry.objects.bulk_create(rows)


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """What happened to `obj`, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk)


def forget_patrons(before: dt.datetime, keep: Iterable[int] | models.QuerySet) -> int:
    """Drop the patron links (the patron concerned, or acting) of entries older than `before`,
    except for the patrons in `keep` (who chose to keep their history). Returns how many."""
    old = AuditEntry.objects.filter(at__lt=before)
    concerned = (
        old.filter(patron_id__isnull=False).exclude(patron_id__in=keep).update(patron_id=None)
    )
    acting = (
        old.filter(actor_kind=ActorKind.PATRON, actor_id__isnull=False)
        .exclude(actor_id__in=keep)
        .update(actor_id=None)
    )
    return concerned + acting


def purge(before: dt.datetime) -> int:
    """Delete the entries older than `before` (the retention period); returns how many."""
    deleted, _by_model = AuditEntry.objects.filter(at__lt=before).delete()
    return deleted


__all__ = ["SYSTEM", "Actor", "actor_of", "entries_for", "forget_patrons", "purge", "record"]
