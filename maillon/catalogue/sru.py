"""Copy cataloguing: search an SRU 1.2 server (the BnF's by default) for UNIMARC records."""

from __future__ import annotations

import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from pymarc import Record as MarcRecord

from maillon.catalogue.marc.extract import extract
from maillon.catalogue.marc.reader import read_marc

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
        raise SruError(
            _("The catalogue service cannot be reached (%(error)s).") % {"error": exc}
        ) from exc


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
