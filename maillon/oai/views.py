"""The OAI-PMH endpoint (/oai, public): one request, one XML document, streamed.

Each verb's handler checks everything first and reads its page (at most ``PAGE_SIZE``
records), so a protocol error is answered as such; the records are then written one by one
into the streamed response, and the server's memory stays that of one page whatever the
catalogue's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from maillon.oai import repository, sets
from maillon.oai.metadata import FORMATS, XSI, Copy, Format, attr, text
from maillon.oai.protocol import (
    TOKEN_LIFETIME,
    OaiError,
    OaiRequest,
    Selection,
    counted,
    datestamp,
    make_token,
    parse,
)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
FLUSH = 20  # records per chunk written to the client
# Errors after which the <request> element repeats no argument (§3.6).
_UNECHOED = frozenset({"badVerb", "badArgument"})
Body = Iterator[str]


@csrf_exempt  # harvesters may POST (§3.1.1.2); nothing here changes anything
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> StreamingHttpResponse:
    query = request.GET if request.method == "GET" else request.POST
    base_url = request.build_absolute_uri(request.path)
    params = dict(query.lists())
    # Checked by parse() unless the error is one of _UNECHOED: one value each.
    echoed = {name: values[0] for name, values in params.items()}
    try:
        oai_request = parse(params)
        body = HANDLERS[oai_request.verb](oai_request, base_url)
    except OaiError as error:
        if error.code in _UNECHOED:
            echoed = {}
        body = iter([f'<error code="{error.code}">{text(error.message)}</error>'])
    response = StreamingHttpResponse(
        _encoded(_document(echoed, base_url, body)), content_type="text/xml; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


def _document(echoed: dict[str, str], base_url: str, body: Body) -> Body:
    attributes = "".join(f' {name}="{attr(value)}"' for name, value in echoed.items())
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{OAI_NS}'
        f' http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
        f"<responseDate>{datestamp(timezone.now())}</responseDate>"
        f"<request{attributes}>{text(base_url)}</request>"
    )
    yield from body
    yield "</OAI-PMH>\n"


def _encoded(parts: Body) -> Iterator[bytes]:
    for part in parts:
        yield part.encode("utf-8")


# --- verbs -----------------------------------------------------------------------------------


def identify(request: OaiRequest, base_url: str) -> Body:
    earliest = repository.earliest_datestamp() or timezone.now()
    email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "maillon@localhost"
    return iter(
        [
            "<Identify>"
            f"<repositoryName>{text(settings.MAILLON_OAI_NAME)}</repositoryName>"
            f"<baseURL>{text(base_url)}</baseURL>"
            "<protocolVersion>2.0</protocolVersion>"
            f"<adminEmail>{text(email)}</adminEmail>"
            f"<earliestDatestamp>{datestamp(earliest)}</earliestDatestamp>"
            "<deletedRecord>persistent</deletedRecord>"
            "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
            "</Identify>"
        ]
    )


def _format(prefix: str) -> Format:
    found = FORMATS.get(prefix)
    if found is None:
        raise OaiError(
            "cannotDisseminateFormat",
            _("Unknown metadata format: %(prefix)s (oai_dc, marc21 or unimarc).")
            % {"prefix": prefix[:40]},
        )
    return found


def list_metadata_formats(request: OaiRequest, base_url: str) -> Body:
    if "identifier" in request.arguments:  # every record is offered in every format
        repository.find(request.arguments["identifier"], ("id",))
    parts = ["<ListMetadataFormats>"]
    for fmt in FORMATS.values():
        parts.append(
            f"<metadataFormat><metadataPrefix>{fmt.prefix}</metadataPrefix>"
            f"<schema>{fmt.schema}</schema>"
            f"<metadataNamespace>{fmt.namespace}</metadataNamespace></metadataFormat>"
        )
    parts.append("</ListMetadataFormats>")
    return iter(["".join(parts)])


def list_sets(request: OaiRequest, base_url: str) -> Body:
    parts = ["<ListSets>"]
    for found in sets.sets():
        parts.append(
            f"<set><setSpec>{text(found.spec)}</setSpec><setName>{text(found.name)}</setName></set>"
        )
    parts.append("</ListSets>")
    return iter(["".join(parts)])


def _header(entry: repository.Listed, copies: list[Copy]) -> str:
    about = (
        f"<identifier>{repository.identifier(entry.record.pk)}</identifier>"
        f"<datestamp>{datestamp(entry.datestamp)}</datestamp>"
    )
    if entry.deleted:
        specs = "".join(f"<setSpec>{text(s)}</setSpec>" for s in entry.specs)
        return f'<header status="deleted">{about}{specs}</header>'
    return f"<header>{about}{_set_specs(tuple((c.home, c.collection) for c in copies))}</header>"


# A live header's setSpec elements by its copies' (home, collection) codes: few combinations in
# a catalogue, written once (the cache stops growing at _SPECS_MAX).
_SPECS: dict[tuple[tuple[str, str], ...], str] = {}
_SPECS_MAX = 10_000


def _set_specs(pairs: tuple[tuple[str, str], ...]) -> str:
    found = _SPECS.get(pairs)
    if found is None:
        found = "".join(f"<setSpec>{text(s)}</setSpec>" for s in sets.leaf_specs(pairs))
        if len(_SPECS) < _SPECS_MAX:
            _SPECS[pairs] = found
    return found


def _record(entry: repository.Listed, copies: list[Copy], fmt: Format) -> str:
    header = _header(entry, copies)
    if entry.deleted:
        return f"<record>{header}</record>"
    return f"<record>{header}<metadata>{fmt.write(entry.record, copies)}</metadata></record>"


def get_record(request: OaiRequest, base_url: str) -> Body:
    fmt = _format(request.arguments["metadataPrefix"])
    record = repository.find(request.arguments["identifier"])
    copies = repository.copies_of([record.pk]).get(record.pk, [])
    [entry] = repository.with_deleted_specs([repository.Listed(record)])
    return iter([f"<GetRecord>{_record(entry, copies, fmt)}</GetRecord>"])


def _token(request: OaiRequest, selection: Selection, last: int, sent: int, more: bool) -> str:
    """The page's resumptionToken element: none for a list of one page, an empty one on the
    last page of several."""
    if not more and selection.cursor == 0:
        return ""
    counts = f' completeListSize="{selection.total}" cursor="{selection.cursor}"'
    if not more:
        return f"<resumptionToken{counts}/>"
    token = make_token(request.verb, selection, after=last, cursor=selection.cursor + sent)
    expires = datestamp(timezone.now() + TOKEN_LIFETIME)
    return f'<resumptionToken expirationDate="{expires}"{counts}>{text(token)}</resumptionToken>'


def _list(request: OaiRequest, with_metadata: bool) -> Body:
    selection = request.selection
    assert selection is not None, "parse() gives list verbs their selection"
    fmt = _format(selection.prefix)
    if selection.total is None:  # first page: count the whole list once
        selection = counted(selection, repository.size(selection))
    fields = repository.RECORD_FIELDS if with_metadata else repository.HEADER_FIELDS
    entries, more = repository.page(selection, fields)
    if not entries:
        raise OaiError("noRecordsMatch", _("No record matches this request."))
    copies = repository.copies_of([e.record.pk for e in entries if not e.deleted])
    token = _token(request, selection, entries[-1].record.pk, len(entries), more)
    return _stream(request.verb, entries, copies, fmt if with_metadata else None, token)


def _stream(
    verb: str,
    entries: list[repository.Listed],
    copies: dict[int, list[Copy]],
    fmt: Format | None,
    token: str,
) -> Body:
    parts = [f"<{verb}>"]
    for entry in entries:
        own = copies.get(entry.record.pk, [])
        parts.append(_record(entry, own, fmt) if fmt else _header(entry, own))
        if len(parts) >= FLUSH:
            yield "".join(parts)
            parts = []
    parts.append(f"{token}</{verb}>")
    yield "".join(parts)


HANDLERS: dict[str, Callable[[OaiRequest, str], Body]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda request, _base: _list(request, with_metadata=False),
    "ListRecords": lambda request, _base: _list(request, with_metadata=True),
}
