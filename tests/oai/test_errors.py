"""Every bad request gets the protocol's error code, in French, and the <request> element
echoes the arguments except after badVerb and badArgument (OAI-PMH §3.6)."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.core import signing

from maillon.catalogue.models import Record
from maillon.oai.protocol import TOKEN_LIFETIME

from .conftest import get

OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture
def record(db):
    return Record.objects.create(title="Les Misérables", sort_title="les miserables", marc=b"")


def error_of(client, **params) -> tuple[str, str, dict]:
    root = ET.fromstring(get(client, HTTP_ACCEPT_LANGUAGE="fr", **params))
    errors = root.findall(f"{OAI}error")
    assert len(errors) == 1, ET.tostring(root)
    assert root.find(f"{OAI}ListRecords") is None
    return errors[0].get("code"), errors[0].text or "", root.find(f"{OAI}request").attrib


def first_token(client) -> str:
    root = ET.fromstring(get(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    return root.find(f".//{OAI}resumptionToken").text


@pytest.mark.parametrize(
    "params",
    [{}, {"verb": "Harvest"}, {"verb": "identify"}, {"verb": ["Identify", "ListSets"]}],
)
def test_bad_verb(client, record, params):
    code, message, echoed = error_of(client, **params)
    assert code == "badVerb" and echoed == {}
    assert "verbe" in message.lower()


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "marc21"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hier"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-01-01T10:00:00"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-01-01",
            "until": "2024-01-02T00:00:00Z",
        },
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-03-01",
            "until": "2024-02-01",
        },
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "library:NOWHERE"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "shelf"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "set": "library"},
    ],
)
def test_bad_argument(client, record, params):
    code, message, echoed = error_of(client, **params)
    assert code == "badArgument" and echoed == {}
    assert message


def test_a_token_comes_alone(client, record):
    code, _message, _echoed = error_of(
        client, verb="ListRecords", metadataPrefix="oai_dc", resumptionToken="x"
    )
    assert code == "badArgument"


def test_bad_resumption_tokens(client, db, monkeypatch):
    for n in range(3):
        Record.objects.create(title=f"Titre {n}", sort_title=f"titre {n}", marc=b"")
    monkeypatch.setattr("maillon.oai.protocol.PAGE_SIZE", 1)
    monkeypatch.setattr("maillon.oai.repository.PAGE_SIZE", 1)
    token = first_token(client)
    cases = {
        "garbage": "pas-un-jeton",
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "empty": "",
    }
    for name, value in cases.items():
        code, _message, echoed = error_of(client, verb="ListIdentifiers", resumptionToken=value)
        assert code == "badResumptionToken", name
        assert echoed == {"verb": "ListIdentifiers", "resumptionToken": value}
    code, message, _echoed = error_of(client, verb="ListRecords", resumptionToken=token)
    assert code == "badResumptionToken" and "verbe" in message
    code, _message, _echoed = error_of(client, verb="ListSets", resumptionToken=token)
    assert code == "badResumptionToken"


def test_an_expired_token_is_refused_cleanly(client, db, monkeypatch):
    for n in range(3):
        Record.objects.create(title=f"Titre {n}", sort_title=f"titre {n}", marc=b"")
    monkeypatch.setattr("maillon.oai.repository.PAGE_SIZE", 1)
    issued = time.time() - TOKEN_LIFETIME.total_seconds() - 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(issued))
    )
    token = first_token(client)
    monkeypatch.undo()
    code, message, _echoed = error_of(client, verb="ListIdentifiers", resumptionToken=token)
    assert code == "badResumptionToken" and "expiré" in message


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_cannot_disseminate_format(client, record, verb):
    code, message, echoed = error_of(client, verb=verb, metadataPrefix="mods")
    assert code == "cannotDisseminateFormat" and "mods" in message
    assert echoed == {"verb": verb, "metadataPrefix": "mods"}


def test_get_record_errors(client, record):
    identifier = f"oai:maillon:{record.pk}"
    code, _m, _e = error_of(client, verb="GetRecord", identifier=identifier, metadataPrefix="dc")
    assert code == "cannotDisseminateFormat"
    for wrong in ("oai:maillon:999999", "oai:ailleurs:1", f"{record.pk}", "oai:maillon:-1", ""):
        code, message, _e = error_of(
            client, verb="GetRecord", identifier=wrong, metadataPrefix="oai_dc"
        )
        assert code == "idDoesNotExist", wrong
    code, _m, _e = error_of(client, verb="ListMetadataFormats", identifier="oai:maillon:999999")
    assert code == "idDoesNotExist"


def test_no_records_match(client, record):
    for params in (
        {"from": "2999-01-01"},
        {"until": "1999-12-31T23:59:59Z"},
        {"set": "collection"},  # the record has no copy
    ):
        code, message, _echoed = error_of(
            client, verb="ListRecords", metadataPrefix="oai_dc", **params
        )
        assert code == "noRecordsMatch" and message, params


def test_post_is_answered_like_get(client, record):
    response = client.post(
        "/oai",
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"oai:maillon:{record.pk}"},
    )
    body = b"".join(response.streaming_content).decode()
    assert "Les Misérables" in body
