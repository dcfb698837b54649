"""The record to buy: from the union catalogue, by ISBN (the catalogue, then the BnF by SRU,
as copy cataloguing does), or described by hand when the BnF does not know it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from maillon.catalogue import services as catalogue
from maillon.catalogue import sru
from maillon.catalogue.copy import import_candidate
from maillon.catalogue.marc.extract import Contributor
from maillon.catalogue.marc.writer import RecordFields
from maillon.catalogue.models import Record, RecordIdentifier
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.purchasing.services import PurchasingError


def valid_isbn(value: str) -> str:
    """ISBN-13 digits, or a clear refusal. Code: isbn_invalid."""
    value = (value or "").strip()
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(value)).replace("-", "")
    except InvalidChecksum:
        message = _("The ISBN %(isbn)s has a wrong check digit: check what was typed.")
    except InvalidLength:
        message = _("An ISBN has 10 or 13 digits: %(isbn)s is not one.")
    except ValidationError:
        message = _("%(isbn)s is not an ISBN.")
    raise PurchasingError(
        "isbn_invalid", message % {"isbn": value}, field="isbn", kind=Kind.INVALID
    )


def identifiers_of_scan(code: str) -> list[str]:
    """What a scanned ISBN or EAN barcode may be known as in the catalogue."""
    code = "".join((code or "").split()).replace("-", "")
    found = []
    if stdnum_isbn.is_valid(code):
        found.append(f"isbn:{stdnum_isbn.to_isbn13(code)}")
    if ean.is_valid(code):
        found.append(f"ean:{code}")
    return found


def in_catalogue(isbn13: str) -> Record | None:
    known = RecordIdentifier.objects.filter(value=f"isbn:{isbn13}").select_related("record").first()
    if known is None:
        return Record.objects.filter(isbn=isbn13, merged_into=None).first()
    record = known.record
    return Record.objects.get(pk=record.merged_into_id) if record.merged_into_id else record


def by_isbn(actor, library: Library, value: str) -> tuple[Record, bool]:
    """The record of an ISBN: the catalogue's, else imported from the BnF. Returns it and
    whether it came from the BnF. Codes: isbn_invalid, isbn_unknown (describe it by hand),
    bnf_unreachable."""
    isbn13 = valid_isbn(value)
    record = in_catalogue(isbn13)
    if record is not None:
        return record, False
    try:
        found = sru.search("isbn", isbn13, maximum=1)
    except sru.SruError as error:
        raise PurchasingError(
            "bnf_unreachable",
            _("%(reason)s Describe the title by hand meanwhile.") % {"reason": error},
            field="isbn",
            kind=Kind.BUSY,
        ) from error
    if found:
        record, _report = import_candidate(found[0], library, actor)
        if record is not None:
            return record, True
    raise PurchasingError(
        "isbn_unknown",
        _(
            "Neither the catalogue nor the BnF knows the ISBN %(isbn)s: describe the title by "
            "hand (title, author, publisher)."
        )
        % {"isbn": isbn13},
        field="isbn",
        kind=Kind.NOT_FOUND,
    )


def by_hand(
    actor, *, title: str, author: str = "", isbn: str = "", publisher: str = "", year=None
) -> Record:
    """A short record from what the order line says (the cataloguer completes it later).
    Codes: title_missing, isbn_invalid."""
    title = (title or "").strip()
    if not title:
        raise PurchasingError(
            "title_missing", _("Give the title."), field="title", kind=Kind.INVALID
        )
    isbns = [valid_isbn(isbn)] if (isbn or "").strip() else []
    if isbns and (known := in_catalogue(isbns[0])) is not None:
        return known
    return catalogue.create_record(
        actor,
        RecordFields(
            title=title[:500],
            authors=[Contributor(author.strip()[:200], "")] if author.strip() else [],
            publisher=publisher.strip()[:300],
            year=year,
            isbns=isbns,
        ),
    )
