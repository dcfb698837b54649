"""The record schemas an SRU client may ask for, written by the OAI-PMH provider's writers
(maillon.oai.metadata): the same records with the same copies (852 in MARC21, 995 in
UNIMARC; none withdrawn, lost or missing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Record
from maillon.oai import repository
from maillon.oai.metadata import FORMATS, XSI, Copy, dublin_core

SRW_DC = "info:srw/schema/1/dc-schema"
DC_OPEN = (
    f'<srw_dc:dc xmlns:srw_dc="{SRW_DC}" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    f' xmlns:xsi="{XSI}" xsi:schemaLocation="{SRW_DC} http://www.loc.gov/standards/sru/'
    'recordSchemas/dc-schema.xsd">'
)


@dataclass(frozen=True)
class Schema:
    name: str  # as explain lists it and records carry it
    identifier: str  # its URI
    location: str  # its XSD
    title: Promise
    write: Callable[[Record, list[Copy]], str]
    aliases: tuple[str, ...] = ()


SCHEMAS = (
    Schema(
        "marcxml",
        "info:srw/schema/1/marcxml-v1.1",
        FORMATS["marc21"].schema,
        _("MARC21 (MARCXML), with the copies in 852"),
        FORMATS["marc21"].write,
        ("marc21", "marc21xml", "http://www.loc.gov/marc21/slim"),
    ),
    Schema(
        "unimarcXchange",
        FORMATS["unimarc"].namespace,
        FORMATS["unimarc"].schema,
        _("UNIMARC (marcxchange), with the copies in 995"),
        FORMATS["unimarc"].write,
        ("unimarc", "unimarcxml", "marcxchange"),
    ),
    Schema(
        "dc",
        "info:srw/schema/1/dc-v1.1",
        "http://www.loc.gov/standards/sru/recordSchemas/dc-schema.xsd",
        _("Simple Dublin Core"),
        lambda record, copies: dublin_core(record, copies, ("srw_dc:dc", DC_OPEN)),
        ("dublincore", "oai_dc", "info:srw/schema/1/dc-schema"),
    ),
)
DEFAULT = SCHEMAS[0]
_BY_NAME = {
    name.lower(): schema
    for schema in SCHEMAS
    for name in (schema.name, schema.identifier, *schema.aliases)
}


def schema(name: str) -> Schema | None:
    """The schema a request names (its name, URI or a usual other name; any case)."""
    return _BY_NAME.get(name.strip().lower()) if name else DEFAULT


def records(ids: list[int], chosen: Schema) -> list[tuple[int, str]]:
    """Each record's id and its XML in ``chosen``, in the order of ``ids``."""
    found = Record.objects.only(*repository.RECORD_FIELDS).in_bulk(ids)
    copies = repository.copies_of(ids)
    return [(pk, chosen.write(found[pk], copies.get(pk, []))) for pk in ids if pk in found]
