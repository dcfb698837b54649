"""MARC exports for download: who may export what, and the file as a stream of byte chunks
(a whole catalogue never sits in memory)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from maillon.catalogue.marc import iso2709, marcxml
from maillon.catalogue.marc.flavour import Flavour
from maillon.catalogue.marc.iso2709 import MarcError
from maillon.catalogue.marc.writer import utf8_fields, utf8_leader
from maillon.catalogue.records import export_records
from maillon.network.models import Library, Role
from maillon.network.permissions import roles_of

log = logging.getLogger(__name__)

# Roles that work for the whole network may export the whole catalogue; everyone else exports
# the holdings of the libraries they are attached to.
NETWORK_ROLES: frozenset[str] = frozenset({Role.COORDINATOR, Role.MD_STAFF})
FLUSH_RECORDS = 200  # records per chunk sent to the client


def may_export_network(user) -> bool:
    return bool(user.is_superuser or NETWORK_ROLES & set(roles_of(user).values()))


def exportable_libraries(user) -> QuerySet[Library]:
    """The libraries whose holdings `user` may export."""
    if may_export_network(user):
        return Library.objects.order_by("name")
    return Library.objects.filter(pk__in=roles_of(user).keys()).order_by("name")


def file_name(library: Library | None, flavour: Flavour, fmt: str) -> str:
    scope = library.code.lower() if library else "reseau"
    extension = "xml" if fmt == "marcxml" else "mrc"
    return f"maillon-{scope}-{flavour}-{timezone.localdate():%Y%m%d}.{extension}"


def stream(
    library: Library | None,
    flavour: Flavour,
    fmt: str,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The export file, a few hundred records per chunk. A record too long for ISO 2709
    (over 99,999 bytes) is left out and logged: the download cannot stop halfway to say so,
    and MARCXML has no such limit."""
    if fmt == "marcxml":
        yield marcxml.HEADER
    parts: list[bytes] = []
    for record in export_records(library=library, flavour=flavour, progress=progress):
        fields = utf8_fields(record, flavour)
        leader = utf8_leader(record, flavour)
        if fmt == "marcxml":
            parts.append(marcxml.record_xml(fields, leader).encode("utf-8"))
        else:
            try:
                parts.append(iso2709.encode(fields, leader[9], leader[20:24]))
            except MarcError as exc:
                number = [f.data for f in record.get_fields("001")]
                log.warning("export: record %s left out: %s", number, exc)
                continue
        if len(parts) >= FLUSH_RECORDS:
            yield b"".join(parts)
            parts = []
    if parts:
        yield b"".join(parts)
    if fmt == "marcxml":
        yield marcxml.FOOTER
