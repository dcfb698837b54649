"""The audit log as people read it: labels instead of codes, names and dates instead of ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from maillon.audit.labels import (
    BOOL,
    CHANGES,
    DATE,
    DATETIME,
    DETAILS,
    HIDDEN,
    LIBRARY,
    TEXT,
    label,
)
from maillon.audit.models import ActorKind, AuditEntry
from maillon.core.text import label_value
from maillon.network.models import Library


@dataclass
class Line:
    entry: AuditEntry
    label: str
    actor: str
    library: str
    details: list[tuple[str, str]] = field(default_factory=list)
    # What the entry is about, when a page loads it (see circulation.activity).
    item: Any = None
    record: Any = None

    @property
    def at(self) -> dt.datetime:
        return self.entry.at


def lines(entries: Iterable[AuditEntry]) -> list[Line]:
    """Readable lines for `entries` (fetch them with ``select_related("user", "library")``);
    the libraries named in details are read in one query."""
    entries = list(entries)
    library_ids = {
        value
        for e in entries
        for key, value in e.details.items()
        if key in DETAILS and DETAILS[key][1] == LIBRARY and isinstance(value, int)
    }
    names = dict(Library.objects.filter(pk__in=library_ids).values_list("pk", "name"))
    return [
        Line(
            entry=e,
            label=label(e.action),
            actor=actor_name(e),
            library=e.library.name if e.library_id and e.library else "",
            details=[
                pair
                for key, value in e.details.items()
                if (pair := _detail(key, value, names)) is not None
            ],
        )
        for e in entries
    ]


def actor_name(entry: AuditEntry) -> str:
    if entry.user_id and entry.user:
        name = entry.user.get_full_name() or entry.user.get_username()
        if entry.actor_kind == ActorKind.API_TOKEN:
            return _("%(name)s (API)") % {"name": name}
        if entry.actor_kind == ActorKind.TERMINAL:
            return _("%(name)s (self-service terminal)") % {"name": name}
        return name
    return {
        ActorKind.PATRON: _("the patron, online"),
        ActorKind.API_TOKEN: _("an API program"),
        ActorKind.TERMINAL: _("a self-service terminal"),
        ActorKind.SYSTEM: _("automatic"),
    }.get(entry.actor_kind, "")  # type: ignore[call-overload]


def _detail(key: str, value, libraries: dict[int, str]) -> tuple[str, str] | None:
    if key not in DETAILS or value in (None, "", []):
        return None  # ids of rows, internal keys: nothing a reader can use
    name, kind = DETAILS[key]
    if kind == HIDDEN:
        return None
    if callable(kind):
        text = kind(value)
    elif kind == LIBRARY:
        text = libraries.get(value, "—")
    elif kind == DATE:
        text = date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    elif kind == DATETIME:
        text = date_format(dt.datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
    elif kind == CHANGES:
        text = pgettext("separator between changes", "; ").join(
            label_value(
                DETAILS[field][0] if field in DETAILS else field,
                f"{_value(before)} → {_value(after)}",
            )
            for field, (before, after) in value.items()
        )
    elif kind == BOOL:
        text = _("yes") if value else _("no")
    elif kind == TEXT and isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return str(name), text


def _value(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def last_lines(objects: Iterable[Model]) -> dict[int, Line]:
    """The latest entry about each of `objects` (of one model), by id: "changed on … by …"."""
    objects = list(objects)
    if not objects:
        return {}
    latest: dict[int, AuditEntry] = {}
    entries = AuditEntry.objects.filter(
        object_type=objects[0]._meta.model_name, object_id__in=[o.pk for o in objects]
    ).select_related("user", "library")
    for entry in entries.order_by("object_id", "-at", "-pk"):
        if entry.object_id is not None:
            latest.setdefault(entry.object_id, entry)
    return {pk: line for pk, line in zip(latest, lines(latest.values()), strict=True)}
