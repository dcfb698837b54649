"""OAI-PMH 2.0 requests: which arguments each verb takes, their values, the resumption tokens,
and the protocol's error codes (openarchives.org/OAI/openarchivesprotocol.html, §3.6 and §4).

Resumption tokens are signed, not stored: the harvest's position (the last record id sent),
its selection and its counts travel in the token, so a token survives a restart of every
server process and needs no cleaning. A token older than ``TOKEN_LIFETIME`` is refused with
badResumptionToken; its ``expirationDate`` says when.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

TOKEN_SALT = "maillon.oai.resumption"
TOKEN_LIFETIME = dt.timedelta(hours=settings.MAILLON_OAI_TOKEN_HOURS)
PAGE_SIZE = settings.MAILLON_OAI_PAGE_SIZE

# verb -> (required arguments, optional arguments); resumptionToken is exclusive (§3.5).
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OaiError(Exception):
    """One of the protocol's errors: ``code`` is the OAI-PMH error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Selection:
    """What a list request asks for, and where its harvest stands (after a token)."""

    prefix: str
    set_spec: str = ""
    start: dt.datetime | None = None  # datestamp >= start
    end: dt.datetime | None = None  # datestamp < end (``until`` is inclusive)
    after: int = 0  # last record id sent
    cursor: int = 0  # records sent before this page
    total: int | None = None  # completeListSize, counted on the first page
    start_arg: str = ""  # from and until as the harvester wrote them
    end_arg: str = ""


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    arguments: dict[str, str]  # as received, for the response's <request> element
    selection: Selection | None = None
    token: str = ""


def parse(params: Mapping[str, Sequence[str]]) -> OaiRequest:
    """The request from its query (``params``: each argument's values); raises OaiError."""
    verbs = params.get("verb") or []
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", _("Unknown, missing or repeated verb."))
    verb = verbs[0]
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError("badArgument", _("Unknown argument: %(name)s.") % {"name": name})
        if len(values) != 1:
            raise OaiError("badArgument", _("Repeated argument: %(name)s.") % {"name": name})
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", _("A resumption token comes without any other argument."))
        if verb == "ListSets":
            raise OaiError("badResumptionToken", _("This repository gives no token for sets."))
        return OaiRequest(verb, arguments, read_token(arguments["resumptionToken"], verb))
    missing = sorted(required - set(arguments))
    if missing:
        raise OaiError(
            "badArgument", _("Missing argument: %(names)s.") % {"names": ", ".join(missing)}
        )
    selection = None
    if verb in ("ListIdentifiers", "ListRecords"):
        selection = _selection(arguments)
    return OaiRequest(verb, arguments, selection)


def _selection(arguments: dict[str, str]) -> Selection:
    start_arg, end_arg = arguments.get("from", ""), arguments.get("until", "")
    start = parse_datestamp(start_arg, "from") if start_arg else None
    end = parse_datestamp(end_arg, "until") if end_arg else None
    if start_arg and end_arg and len(start_arg) != len(end_arg):
        raise OaiError("badArgument", _("from and until must have the same granularity."))
    if end is not None:  # inclusive: to the end of the day or second given
        end += dt.timedelta(days=1) if len(end_arg) == 10 else dt.timedelta(seconds=1)
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", _("from comes after until."))
    return Selection(
        prefix=arguments["metadataPrefix"],
        set_spec=arguments.get("set", ""),
        start=start,
        end=end,
        start_arg=start_arg,
        end_arg=end_arg,
    )


def parse_datestamp(value: str, name: str) -> dt.datetime:
    """A UTC date (YYYY-MM-DD) or second (YYYY-MM-DDThh:mm:ssZ); raises badArgument."""
    try:
        if _DAY.fullmatch(value):
            return dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
        if _SECOND.fullmatch(value):
            return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        _("%(name)s is not a date such as 2024-03-01 or 2024-03-01T08:00:00Z: %(value)s")
        % {"name": name, "value": value[:40]},
    )


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- resumption tokens -----------------------------------------------------------------------


def _stamp(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _moment(value: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def make_token(verb: str, selection: Selection, after: int, cursor: int) -> str:
    """The token of the page after record ``after``, ``cursor`` records into the list."""
    payload = [
        verb,
        selection.prefix,
        selection.set_spec,
        _stamp(selection.start),
        _stamp(selection.end),
        after,
        cursor,
        selection.total,
    ]
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(payload, compress=True)


def read_token(token: str, verb: str) -> Selection:
    try:
        payload = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(
            token, max_age=TOKEN_LIFETIME
        )
    except signing.SignatureExpired as exc:
        raise OaiError("badResumptionToken", _("This resumption token has expired.")) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise OaiError("badResumptionToken", _("Unknown resumption token.")) from exc
    try:
        token_verb, prefix, set_spec, start, end, after, cursor, total = payload
        selection = Selection(
            prefix=prefix,
            set_spec=set_spec,
            start=_moment(start),
            end=_moment(end),
            after=int(after),
            cursor=int(cursor),
            total=int(total),
        )
    except (TypeError, ValueError) as exc:  # signed by us: only an older layout gets here
        raise OaiError("badResumptionToken", _("Unknown resumption token.")) from exc
    if token_verb != verb:
        raise OaiError("badResumptionToken", _("This resumption token belongs to another verb."))
    return selection


def counted(selection: Selection, total: int) -> Selection:
    return replace(selection, total=total)
