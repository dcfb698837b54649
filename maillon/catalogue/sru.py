"""Copy cataloguing: search an SRU 1.2 server (the BnF's by default) for UNIMARC records."""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pymarc import Record as MarcRecord

from maillon.catalogue.marc.extract import extract
from maillon.catalogue.marc.reader import read_marc

logger = logging.getLogger(__name__)

# What the form offers → the BnF's CQL index.
INDEXES = {
    "isbn": "bib.isbn",
    "title": "bib.title",
    "author": "bib.author",
    "anywhere": "bib.anywhere",
    "recordid": "bib.recordid",
}


class SruError(Exception):
    """The service could not be queried or answered nonsense; the message is for people."""


@dataclass
class Candidate:
    record: MarcRecord
    title: str
    authors: str
    publisher: str
    year: int | None
    isbn: str
    source_id: str


def cql(kind: str, value: str) -> str:
    if kind not in INDEXES:
        raise SruError(_("Unknown search kind."))
    cleaned = value.replace('"', " ").replace("\\", " ").strip()
    if not cleaned:
        raise SruError(_("Type something to search for."))
    operator = "any" if kind == "isbn" else "all"
    if kind == "isbn":
        cleaned = cleaned.replace("-", "").replace(" ", "")
    return f'{INDEXES[kind]} {operator} "{cleaned}"'


def fetch(query: str, maximum: int = 10) -> bytes:
    params = urllib.parse.urlencode(
        {
            "version": "1.2",
            "operation": "searchRetrieve",
            "query": query,
            "recordSchema": "unimarcXchange",
            "maximumRecords": str(maximum),
            "startRecord": "1",
        }
    )
    url = f"{settings.MAILLON_SRU_URL}?{params}"
    try:
        with urllib.request.urlopen(url, timeout=settings.MAILLON_SRU_TIMEOUT) as response:
            return response.read()
    except (OSError, ValueError) as exc:
        # The technical cause goes to the log; the cataloguer reads what to do about it.
        logger.warning("SRU request to %s failed: %r", settings.MAILLON_SRU_URL, exc)
        raise SruError(unreachable(exc)) from exc


def unreachable(exc: Exception) -> str:
    """Why the catalogue service gave nothing, in a sentence without Python's internals."""
    if isinstance(exc, urllib.error.HTTPError):
        return _(
            "The catalogue service answered with an error (HTTP %(status)s): try again later."
        ) % {"status": exc.code}
    reason = getattr(exc, "reason", exc)
    if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
        seconds = settings.MAILLON_SRU_TIMEOUT
        return ngettext(
            "The catalogue service did not answer within %(seconds)s second: try again later.",
            "The catalogue service did not answer within %(seconds)s seconds: try again later.",
            seconds,
        ) % {"seconds": seconds}
    return _(
        "The catalogue service cannot be reached: check this computer's Internet connection, "
        "or try again later."
    )


def search(kind: str, value: str, maximum: int = 10) -> list[Candidate]:
    return candidates(fetch(cql(kind, value), maximum))


def candidates(response: bytes) -> list[Candidate]:
    found = []
    for result in read_marc(response, fmt="marcxml"):
        if result.record is None:
            if result.error:
                raise SruError(
                    _("The service answered something unreadable: %(error)s")
                    % {"error": result.error}
                )
            continue
        data = extract(result.record, "unimarc")
        found.append(
            Candidate(
                record=result.record,
                title=data.display_title,
                authors=" ; ".join(a.name for a in data.authors[:3]),
                publisher=data.publisher,
                year=data.year,
                isbn=data.isbns[0] if data.isbns else "",
                source_id=next(
                    (s.split(":", 1)[1] for s in data.source_ids if s.startswith("bnf:")), ""
                ),
            )
        )
    return found
