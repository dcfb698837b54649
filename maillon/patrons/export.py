"""The patron list of a library as CSV for spreadsheets set to French conventions."""

import csv
import datetime as dt
import re
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from maillon.network.models import Library
from maillon.patrons.models import Patron, PatronBlock

# A byte-order mark makes spreadsheet software read UTF-8 instead of the legacy code page;
# the semicolon is what they expect where the comma is the decimal separator.
BOM = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection);
# an international phone number ("+33 5 49…") is left alone.
_FORMULA_START = tuple("=+-@\t\r")
_PHONE = re.compile(r"\+[0-9 .]+")


class _Line:
    """A file-like object whose write() hands back the line the csv module formatted."""

    def write(self, value: str) -> str:
        return value


def _safe(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _PHONE.fullmatch(value):
        return "'" + value
    return value


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def patron_rows(library: Library, today: dt.date) -> Iterator[list[str]]:
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
            _date(p.birth_date),
            p.age_band(today),
            p.category.name,
            p.partner.name if p.partner else "",
            p.responsible_person,
            p.email,
            p.phone,
            p.address,
            p.postcode,
            p.city,
            _date(p.registered_on),
            _date(p.expires_on),
            _yes(p.is_expired_on(today)),
            _yes(p.blocked),
            _yes(p.email_notices),
            _yes(p.newsletters),
        ]


def _lines(library: Library, today: dt.date) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM
    for row in patron_rows(library, today):
        yield writer.writerow([_safe(cell) for cell in row])


def patrons_csv_response(library: Library, today: dt.date) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _lines(library, today)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"usagers-{library.code}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
