"""A patron's circulation activity as the audit log tells it: loans, returns, renewals, holds.

Only entries still linked to the patron: anonymisation (privacy.py) removes the link with the
loan history, so the page shows no more than the loans do.
"""

from __future__ import annotations

from maillon.audit.display import Line, lines
from maillon.audit.models import AuditEntry
from maillon.catalogue.models import Item
from maillon.patrons.models import Patron


def activity_of(patron: Patron, limit: int = 50) -> list[Line]:
    """The latest `limit` entries about `patron`, newest first; each line's ``item`` is the
    item it concerned (with its record), if any."""
    entries = list(
        AuditEntry.objects.filter(patron_id=patron.pk).select_related("user", "library")[:limit]
    )
    item_ids = {e.object_id for e in entries if e.object_type == "item"}
    items = Item.objects.filter(pk__in=item_ids).select_related("record").in_bulk()
    found = lines(entries)
    for line in found:
        line.item = items.get(line.entry.object_id) if line.entry.object_type == "item" else None
    return found
