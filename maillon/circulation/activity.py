"""A patron's circulation activity as the audit log tells it: loans, returns, renewals, holds.

Only entries still linked to the patron: anonymisation (privacy.py) removes the link with the
loan history, so the page shows no more than the loans do.
"""

from __future__ import annotations

from maillon.audit.display import Line, lines
from maillon.audit.models import AuditEntry
from maillon.catalogue.models import Item
from maillon.circulation.models import Hold
from maillon.patrons.models import Patron


def activity_of(patron: Patron, limit: int = 50) -> list[Line]:
    """The latest `limit` entries about `patron`, newest first. A line's ``item`` is the item it
    concerned (with its record), and ``record`` the document (of that item, or of a hold)."""
    entries = list(
        AuditEntry.objects.filter(patron_id=patron.pk).select_related("user", "library")[:limit]
    )

    def ids(object_type: str) -> set[int]:
        return {e.object_id for e in entries if e.object_type == object_type and e.object_id}

    items = Item.objects.select_related("record").in_bulk(ids("item"))
    holds = Hold.objects.select_related("record").in_bulk(ids("hold"))
    found = lines(entries)
    for line in found:
        kind, pk = line.entry.object_type, line.entry.object_id
        line.item = items.get(pk) if kind == "item" else None
        hold = holds.get(pk) if kind == "hold" else None
        line.record = line.item.record if line.item else (hold.record if hold else None)
    return found
