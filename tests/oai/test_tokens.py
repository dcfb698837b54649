"""Resumption tokens carry the harvest's position themselves: a new server process takes them
as they are, and a record changed in the middle of a harvest is not lost."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import timezone

from maillon.catalogue.models import Record

from .conftest import get

OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture
def five(db, monkeypatch):
    monkeypatch.setattr("maillon.oai.repository.PAGE_SIZE", 2)
    return [
        Record.objects.create(title=f"Titre {n}", sort_title=f"titre {n}", marc=b"")
        for n in range(5)
    ]


def page(client, **params):
    root = ET.fromstring(get(client, **params))
    token = root.find(f".//{OAI}resumptionToken")
    ids = [i.text for i in root.iter(f"{OAI}identifier")]
    return ids, token


def test_cursor_size_and_the_empty_last_token(client, five):
    ids, token = page(client, verb="ListRecords", metadataPrefix="oai_dc")
    seen = list(ids)
    cursors = [token.get("cursor")]
    assert token.get("completeListSize") == "5" and token.get("expirationDate")
    while token is not None and token.text:
        ids, token = page(client, verb="ListRecords", resumptionToken=token.text)
        seen += ids
        cursors.append(token.get("cursor"))
        assert token.get("completeListSize") == "5"
    assert cursors == ["0", "2", "4"]
    assert token.text is None and token.get("expirationDate") is None  # the empty token
    assert seen == [f"oai:maillon:{r.pk}" for r in five]


def test_a_list_of_one_page_has_no_token(client, five):
    ids, token = page(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="library")
    assert ids == [] and token is None  # noRecordsMatch: no copies in this test
    Record.objects.exclude(pk=five[0].pk).update(updated_at=timezone.now().replace(year=2001))
    ids, token = page(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2001-12-31")
    assert len(ids) == 2 and token.get("completeListSize") == "4"  # two pages
    ids, token = page(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2002-01-01"}
    )
    assert ids == [f"oai:maillon:{five[0].pk}"] and token is None


def test_a_record_changed_during_the_harvest_is_still_harvested(client, five):
    started = timezone.now()
    ids, token = page(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    Record.objects.filter(pk=five[0].pk).update(title="Titre refait", updated_at=timezone.now())
    seen = list(ids)
    while token is not None and token.text:
        ids, token = page(client, verb="ListIdentifiers", resumptionToken=token.text)
        seen += ids
    assert len(seen) == 5  # the harvest ends
    # The next incremental harvest, from the start of this one, fetches the changed record.
    from maillon.oai.protocol import datestamp

    ids, _token = page(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": datestamp(started)}
    )
    assert f"oai:maillon:{five[0].pk}" in ids


def test_a_token_survives_a_restart(client, five):
    """Another Python process, started afresh with the same settings, reads the token."""
    _ids, token = page(client, verb="ListRecords", metadataPrefix="marc21")
    code = (
        "import django, json, sys; django.setup();"
        "from maillon.oai.protocol import read_token;"
        "s = read_token(sys.argv[1], 'ListRecords');"
        "print(json.dumps([s.prefix, s.after, s.cursor, s.total]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillon.settings",
        "MAILLON_SECRET_KEY": settings.SECRET_KEY,
    }
    done = subprocess.run(
        [sys.executable, "-c", code, token.text],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == ["marc21", five[1].pk, 2, 5]
