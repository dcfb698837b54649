"""The documents a booking needs on file (a convention, an insurance certificate): which of
those its rule requires are missing or not valid over its dates, said in French."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from maillon.bookings.models import BookingRule, DocumentKind, LibraryDocument
from maillon.core.dates import day
from maillon.network.models import Library


def missing(
    rule: BookingRule, library: Library, start: dt.date, end: dt.date
) -> list[DocumentKind]:
    """The documents `rule` requires that `library` has not on file valid from start to end."""
    required = list(rule.documents.all()) if rule.pk else []
    if not required:
        return []
    valid = set(
        LibraryDocument.objects.filter(
            library=library,
            kind__in=required,
            valid_from__lte=start,
            valid_until__gte=end,
        ).values_list("kind_id", flat=True)
    )
    return [kind for kind in required if kind.pk not in valid]


def missing_message(
    kinds: list[DocumentKind], library: Library, start: dt.date, end: dt.date
) -> str:
    return _(
        "Missing %(at_library)s, valid from %(start)s to %(end)s: %(documents)s. The booking "
        "is confirmed once they are on file."
    ) % {
        "at_library": library.at_name,
        "start": day(start, with_year=True, weekday=False),
        "end": day(end, with_year=True, weekday=False),
        "documents": ", ".join(kind.name for kind in kinds),
    }
