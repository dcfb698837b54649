"""The patron list of a library for spreadsheets (CSV or xlsx)."""

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from maillon.core.exports import table_response
from maillon.network.models import Library
from maillon.patrons.models import Patron, PatronBlock


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def patron_rows(library: Library, today: dt.date) -> Iterator[list[object]]:
    yield [
        _("Card number"),
        _("Surname"),
        _("First name"),
        _("Birth date"),
        _("Age band"),
        _("Category"),
        _("Partner institution"),
        _("Responsible person"),
        _("E-mail"),
        _("Phone"),
        _("Address"),
        _("Postcode"),
        _("City"),
        _("Registered on"),
        _("Expires on"),
        _("Expired"),
        _("Blocked"),
        _("Notices by e-mail"),
        _("Newsletters"),
    ]
    active = PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
    patrons = (
        Patron.objects.filter(home_library=library)
        .select_related("category", "partner")
        .annotate(blocked=Exists(active))
        .order_by("search_name", "card_number")
    )
    for p in patrons.iterator(chunk_size=500):
        yield [
            p.card_number,
            p.surname,
            p.first_name,
            p.birth_date,
            p.age_band(today),
            p.category.name,
            p.partner.name if p.partner else "",
            p.responsible_person,
            p.email,
            p.phone,
            p.address,
            p.postcode,
            p.city,
            p.registered_on,
            p.expires_on,
            _yes(p.is_expired_on(today)),
            _yes(p.blocked),
            _yes(p.email_notices),
            _yes(p.newsletters),
        ]


def patrons_response(library: Library, today: dt.date, fmt: str = "csv") -> HttpResponseBase:
    """The whole list, streamed as CSV (it can hold tens of thousands of patrons) or as xlsx."""
    return table_response(
        fmt,
        f"usagers-{library.code}-{today.isoformat()}",
        patron_rows(library, today),
        title=_("Patrons"),
        streaming=True,
    )
