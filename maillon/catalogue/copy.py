"""Copy cataloguing's second half: a record found by SRU (sru.py) taken into the catalogue,
by the staff page and by the services that order from an ISBN (purchasing)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from maillon.catalogue.importer import ImportReport, import_marc
from maillon.catalogue.marc.extract import extract
from maillon.catalogue.marc.writer import write_iso2709
from maillon.catalogue.models import Record, RecordIdentifier
from maillon.catalogue.records import identifier_values
from maillon.catalogue.sru import Candidate
from maillon.network.models import Library


def record_for(candidate: Candidate) -> Record | None:
    """The catalogue's record for a candidate: by one of its identifiers, else its title key."""
    data = extract(candidate.record, "unimarc")
    known = (
        RecordIdentifier.objects.filter(value__in=identifier_values(data))
        .select_related("record")
        .first()
    )
    if known:
        record = known.record
        return Record.objects.get(pk=record.merged_into_id) if record.merged_into_id else record
    return Record.objects.filter(match_key=data.title_key, merged_into=None).first()


def import_candidate(
    candidate: Candidate, library: Library, user
) -> tuple[Record | None, ImportReport]:
    """Import the candidate as any MARC file is imported (merged with a record it matches),
    for `library` (MANAGE there); returns the record (None if rejected) and the report."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sru-{getattr(user, 'pk', 0)}.mrc"
    with open(path, "wb") as out:
        write_iso2709([candidate.record], out, "unimarc")
    report = import_marc(
        path,
        library,
        user=user,
        file_name=f"SRU {candidate.title}"[:300],
        reject_dir=Path(settings.VAR_DIR) / "rejets",
    )
    return record_for(candidate), report
