"""A record's datestamp moves when what harvesters see of it changes — the record, a copy
added, edited, moved to another home (one by one or by the bulk moves of lots), withdrawn or
back — and not when a copy is lent, returned or travels. A merged-away record stays, listed as
deleted, forever (deletedRecord "persistent")."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from maillon.catalogue import items as item_service
from maillon.catalogue import services as catalogue
from maillon.catalogue.models import ItemStatus, Record
from maillon.circulation.loans import checkin, checkout
from maillon.oai.protocol import datestamp
from tests.circulation_fixtures import TODAY

from .conftest import get

OAI = "{http://www.openarchives.org/OAI/2.0/}"
LONG_AGO = timezone.now() - dt.timedelta(days=30)


def changed_since(client, since: dt.datetime, **params) -> dict[str, ET.Element]:
    """The headers ListIdentifiers gives from ``since``, by identifier."""
    root = ET.fromstring(
        get(
            client,
            verb="ListIdentifiers",
            metadataPrefix="marc21",
            **{"from": datestamp(since)},
            **params,
        )
    )
    error = root.find(f"{OAI}error")
    if error is not None:
        assert error.get("code") == "noRecordsMatch"
        return {}
    return {h.find(f"{OAI}identifier").text: h for h in root.iter(f"{OAI}header")}


@pytest.fixture
def shelf(network, make_record, make_item):
    """Two records with a copy each at AAA, dated long ago."""
    first, second = make_record("Germinal"), make_record("Nana")
    copies = {first.pk: make_item(first), second.pk: make_item(second)}
    Record.objects.update(updated_at=LONG_AGO)
    return first, second, copies


def since() -> dt.datetime:
    return LONG_AGO + dt.timedelta(days=1)


def test_nothing_changed_nothing_listed(client, shelf):
    assert changed_since(client, since()) == {}


def test_adding_and_editing_a_copy_move_the_datestamp(client, shelf, desk, network, types):
    first, second, copies = shelf
    catalogue.add_item(
        desk["a"], first, barcode="NEW0001", home=network["a"], item_type=types["LIVRE"]
    )
    assert set(changed_since(client, since())) == {f"oai:maillon:{first.pk}"}
    Record.objects.update(updated_at=LONG_AGO)
    catalogue.update_item(desk["a"], copies[second.pk], call_number="R ZOL")
    assert set(changed_since(client, since())) == {f"oai:maillon:{second.pk}"}


def test_withdrawal_and_home_change_move_it_loans_do_not(client, shelf, desk, network, make_patron):
    first, second, copies = shelf
    patron = make_patron()
    checkout(desk["a"], network["a"], patron, copies[first.pk], today=TODAY)
    checkin(
        desk["b"], network["b"], copies[first.pk].barcode, today=TODAY
    )  # travels home: not shown
    assert changed_since(client, since()) == {}

    item_service.withdraw(desk["a"], copies[second.pk], reason="worn", destination="discarded")
    headers = changed_since(client, since())
    assert set(headers) == {f"oai:maillon:{second.pk}"}
    # Its only copy is gone: still listed (not deleted), in no library's set any more.
    header = headers[f"oai:maillon:{second.pk}"]
    assert header.get("status") is None and header.findall(f"{OAI}setSpec") == []

    Record.objects.update(updated_at=LONG_AGO)
    item_service.change_home(desk["head"], copies[first.pk].pk, network["b"])
    headers = changed_since(client, since())
    assert set(headers) == {f"oai:maillon:{first.pk}"}
    specs = {s.text for s in headers[f"oai:maillon:{first.pk}"].findall(f"{OAI}setSpec")}
    assert specs == {"library:BBB"}


def test_bulk_moves_date_only_records_whose_homes_change(shelf, network):
    first, second, copies = shelf
    moving = [item_service.lock(copies[first.pk].pk)]
    item_service.move_items(moving, ItemStatus.IN_TRANSIT, network["b"], home=network["b"])
    staying = [item_service.lock(copies[second.pk].pk)]
    item_service.move_items(staying, ItemStatus.IN_TRANSIT, network["b"])
    dates = dict(Record.objects.values_list("pk", "updated_at"))
    assert dates[first.pk] > since() and dates[second.pk] == LONG_AGO


def test_merged_record_is_a_persistent_tombstone(client, shelf):
    first, second, _copies = shelf
    # Merging moves the copies to the survivor and marks the duplicate (a tombstone row).
    Record.objects.filter(pk=second.pk).update(merged_into=first, updated_at=timezone.now())
    headers = changed_since(client, since())
    assert headers[f"oai:maillon:{second.pk}"].get("status") == "deleted"
    root = ET.fromstring(
        get(
            client,
            verb="GetRecord",
            metadataPrefix="unimarc",
            identifier=f"oai:maillon:{second.pk}",
        )
    )
    assert root.find(f".//{OAI}header").get("status") == "deleted"
    assert root.find(f".//{OAI}metadata") is None
    identify = ET.fromstring(get(client, verb="Identify"))
    assert identify.find(f".//{OAI}deletedRecord").text == "persistent"
    # A selective harvest by library does not list it: it has no copies any more.
    assert f"oai:maillon:{second.pk}" not in changed_since(client, since(), set="library")


def test_until_is_inclusive_to_the_second(client, shelf):
    first, _second, _copies = shelf
    stamp = Record.objects.get(pk=first.pk).updated_at
    root = ET.fromstring(
        get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=datestamp(stamp))
    )
    identifiers = {i.text for i in root.iter(f"{OAI}identifier")}
    assert f"oai:maillon:{first.pk}" in identifiers
    day = stamp.astimezone(dt.UTC).date().isoformat()
    root = ET.fromstring(
        get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": day, "until": day})
    )
    assert f"oai:maillon:{first.pk}" in {i.text for i in root.iter(f"{OAI}identifier")}
