"""SRU 1.2 (loc.gov/standards/sru): the request's parameters, and the explain and
searchRetrieve documents.

Every fault in a request is answered with its diagnostic inside the operation's document
(HTTP 200), as the protocol says: a searchRetrieve with zero records and the diagnostic, or an
explain with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from maillon.catalogue.search import fielded
from maillon.oai import repository
from maillon.oai.metadata import attr, text
from maillon.sru import cql, schemas, search
from maillon.sru.diagnostics import Diagnostic

SRW = "http://www.loc.gov/zing/srw/"
DIAG = "http://www.loc.gov/zing/srw/diagnostic/"
ZEEREX = "http://explain.z3950.org/dtd/2.0/"
VERSION = "1.2"
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
PARAMETERS = frozenset(
    {
        "operation",
        "version",
        "query",
        "startRecord",
        "maximumRecords",
        "recordPacking",
        "recordSchema",
        "resultSetTTL",
        "stylesheet",
        "sortKeys",
        "recordXPath",
    }
)
CONTEXT_SETS = (
    ("cql", "info:srw/cql-context-set/1/cql-v1.2"),
    ("dc", "info:srw/cql-context-set/1/dc-v1.1"),
    ("bath", "http://zing.z3950.org/cql/bath/2.0/"),
    ("rec", "info:srw/cql-context-set/2/rec-1.1"),
)


@dataclass
class Request:
    operation: str = "explain"
    arguments: dict[str, str] = field(default_factory=dict)  # as received, for the echo
    query: str = ""
    start: int = 1
    maximum: int = DEFAULT_RECORDS
    packing: str = "xml"
    schema: schemas.Schema = schemas.DEFAULT


def parse(params: Mapping[str, Sequence[str]]) -> Request:
    """The request; raises Diagnostic. ``x-`` parameters (extensions) are ignored."""
    arguments = {name: values[-1] for name, values in params.items() if values}
    request = Request(arguments=arguments)
    request.operation = arguments.get("operation", "explain")
    if request.operation not in ("explain", "searchRetrieve"):
        raise Diagnostic(4, request.operation[:40])
    version = arguments.get("version", VERSION)
    if version != VERSION:
        raise Diagnostic(5, VERSION)
    for name in arguments:
        if name not in PARAMETERS and not name.startswith("x-"):
            raise Diagnostic(8, name[:40])
    for name, code in (("stylesheet", 110), ("sortKeys", 80), ("recordXPath", 72)):
        if arguments.get(name):
            raise Diagnostic(code, name)
    request.packing = arguments.get("recordPacking") or "xml"
    if request.packing not in ("xml", "string"):
        raise Diagnostic(71, request.packing[:40])
    if request.operation == "explain":
        return request
    request.query = arguments.get("query", "")
    if not request.query.strip():
        raise Diagnostic(7, "query")
    request.start = _number(arguments, "startRecord", 1, low=1)
    request.maximum = _number(arguments, "maximumRecords", DEFAULT_RECORDS, low=0)
    if request.maximum > MAX_RECORDS:
        raise Diagnostic(
            6,
            _("maximumRecords: at most %(n)d records in one answer") % {"n": MAX_RECORDS},
        )
    chosen = schemas.schema(arguments.get("recordSchema", ""))
    if chosen is None:
        raise Diagnostic(66, arguments["recordSchema"][:80])
    request.schema = chosen
    return request


def _number(arguments: dict[str, str], name: str, default: int, low: int) -> int:
    raw = arguments.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < low:
        raise Diagnostic(6, name)
    return int(raw)


# --- documents -------------------------------------------------------------------------------


def _diagnostics(diagnostic: Diagnostic) -> str:
    details = (
        f"<diag:details>{text(diagnostic.details)}</diag:details>" if diagnostic.details else ""
    )
    return (
        f'<srw:diagnostics><diag:diagnostic xmlns:diag="{DIAG}">'
        f"<diag:uri>{diagnostic.uri}</diag:uri>{details}"
        f"<diag:message>{text(diagnostic.message)}</diag:message>"
        "</diag:diagnostic></srw:diagnostics>"
    )


def _document(root: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<srw:{root} xmlns:srw="{SRW}"><srw:version>{VERSION}</srw:version>'
        f"{body}</srw:{root}>\n"
    )


def _packed(xml: str, packing: str) -> str:
    return text(xml) if packing == "string" else xml


def search_retrieve(request: Request) -> str:
    """The searchRetrieve document; raises Diagnostic."""
    query = search.tree(cql.parse(request.query))
    found = fielded.find(query, request.start - 1, request.maximum)
    if found.total and request.start > found.total:
        raise Diagnostic(61, str(request.start))
    parts = [f"<srw:numberOfRecords>{found.total}</srw:numberOfRecords>"]
    written = schemas.records(found.ids, request.schema)
    if written:
        parts.append("<srw:records>")
        for position, (pk, xml) in enumerate(written, start=request.start):
            parts.append(
                f"<srw:record><srw:recordSchema>{request.schema.name}</srw:recordSchema>"
                f"<srw:recordPacking>{request.packing}</srw:recordPacking>"
                f"<srw:recordData>{_packed(xml, request.packing)}</srw:recordData>"
                f"<srw:recordIdentifier>{repository.identifier(pk)}</srw:recordIdentifier>"
                f"<srw:recordPosition>{position}</srw:recordPosition></srw:record>"
            )
        parts.append("</srw:records>")
    following = request.start + len(found.ids)
    if found.ids and following <= found.total:
        parts.append(f"<srw:nextRecordPosition>{following}</srw:nextRecordPosition>")
    parts.append(_echo(request))
    return _document("searchRetrieveResponse", "".join(parts))


def failed_search(request: Request, diagnostic: Diagnostic) -> str:
    body = "<srw:numberOfRecords>0</srw:numberOfRecords>"
    return _document("searchRetrieveResponse", body + _echo(request) + _diagnostics(diagnostic))


def _echo(request: Request) -> str:
    echoed = [f"<srw:version>{VERSION}</srw:version>"]
    for name in ("query", "startRecord", "maximumRecords", "recordPacking", "recordSchema"):
        if name in request.arguments:
            echoed.append(f"<srw:{name}>{text(request.arguments[name])}</srw:{name}>")
    return f"<srw:echoedSearchRetrieveRequest>{''.join(echoed)}</srw:echoedSearchRetrieveRequest>"


def explain(host: str, port: str, path: str, diagnostic: Diagnostic | None = None) -> str:
    """The explain document (ZeeRex 2.0): where the server is, its indexes, schemas and
    limits; with a diagnostic when the request was faulty."""
    sets = "".join(f'<set name="{name}" identifier="{uri}"/>' for name, uri in CONTEXT_SETS)
    indexes = "".join(
        f'<index search="true" scan="false" sort="false"><title lang="fr">{text(str(title))}'
        f'</title><map><name set="{name.partition(".")[0]}">{name.partition(".")[2]}</name>'
        "</map></index>"
        for name, title in search.ADVERTISED.items()
    )
    schema_list = "".join(
        f'<schema identifier="{s.identifier}" name="{s.name}" location="{attr(s.location)}"'
        f' retrieve="true" sort="false"><title lang="fr">{text(str(s.title))}</title></schema>'
        for s in schemas.SCHEMAS
    )
    relations = "".join(
        f'<supports type="relation">{text(r)}</supports>' for r in search.WORD_RELATIONS
    )
    description = _(
        "The union catalogue of the network's libraries, with each record's copies, for "
        "copy cataloguing."
    )
    record = (
        f'<explain xmlns="{ZEEREX}">'
        f'<serverInfo protocol="SRU" version="{VERSION}" transport="http">'
        f"<host>{text(host)}</host><port>{text(port)}</port>"
        f"<database>{text(path.strip('/'))}</database></serverInfo>"
        f'<databaseInfo><title lang="fr" primary="true">{text(settings.MAILLON_OAI_NAME)}'
        f'</title><description lang="fr">{text(description)}</description></databaseInfo>'
        f"<indexInfo>{sets}{indexes}</indexInfo>"
        f"<schemaInfo>{schema_list}</schemaInfo>"
        "<configInfo>"
        f'<default type="numberOfRecords">{DEFAULT_RECORDS}</default>'
        f'<setting type="maximumRecords">{MAX_RECORDS}</setting>'
        f"{relations}"
        '<supports type="maskingCharacter">*</supports>'
        "</configInfo></explain>"
    )
    body = (
        f"<srw:record><srw:recordSchema>{ZEEREX}</srw:recordSchema>"
        "<srw:recordPacking>xml</srw:recordPacking>"
        f"<srw:recordData>{record}</srw:recordData></srw:record>"
    )
    if diagnostic is not None:
        body += _diagnostics(diagnostic)
    return _document("explainResponse", body)


def answer(params: Mapping[str, Sequence[str]], host: str, port: str, path: str) -> str:
    """The document answering a request's parameters, diagnostics included."""
    try:
        request = parse(params)
    except Diagnostic as diagnostic:
        arguments = {name: values[-1] for name, values in params.items() if values}
        if arguments.get("operation") == "searchRetrieve":
            return failed_search(Request("searchRetrieve", arguments), diagnostic)
        return explain(host, port, path, diagnostic)
    if request.operation == "explain":
        return explain(host, port, path)
    try:
        return search_retrieve(request)
    except Diagnostic as diagnostic:
        return failed_search(request, diagnostic)
