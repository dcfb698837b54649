"""A real harvester (sickle, from PyPI) takes the whole demo catalogue from a running server,
page by page through the resumption tokens, and gets exactly the catalogue: every record once,
its title, its copies in 995 (UNIMARC) or 852 (MARC21), and the sets of its libraries."""

from collections import defaultdict

import pytest
from sickle import Sickle
from sickle.iterator import OAIResponseIterator

from maillon.catalogue.marc import read_marc
from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.network.models import Library

from .conftest import RECORDS

pytestmark = pytest.mark.django_db(transaction=True)


def _live_copies() -> dict[int, set[str]]:
    copies: dict[int, set[str]] = defaultdict(set)
    for record_id, barcode in Item.objects.exclude(status__in=GONE_STATUSES).values_list(
        "record_id", "barcode"
    ):
        copies[record_id].add(barcode)
    return copies


def _number(identifier: str) -> int:
    prefix, _sep, number = identifier.rpartition(":")
    assert prefix == "oai:maillon"
    return int(number)


def _marc(record):
    """The MARC record inside an OAI record, read by our own MARCXML reader."""
    [result] = list(read_marc(record.raw.encode(), fmt="marcxml"))
    assert result.record is not None, result.error
    return result.record


def test_full_harvest_in_three_formats(demo_catalogue, live_server):
    harvester = Sickle(f"{live_server.url}/oai", max_retries=0)
    titles = dict(Record.objects.values_list("pk", "title"))
    copies = _live_copies()
    assert len(titles) == RECORDS

    dc = {_number(r.header.identifier): r for r in harvester.ListRecords(metadataPrefix="oai_dc")}
    assert set(dc) == set(titles)
    for pk, record in dc.items():
        assert record.metadata["title"] == [titles[pk]]
        assert not record.deleted

    for prefix, tag, barcode_code in (("unimarc", "995", "f"), ("marc21", "852", "p")):
        seen = {}
        for record in harvester.ListRecords(metadataPrefix=prefix):
            marc = _marc(record)
            pk = _number(record.header.identifier)
            barcodes = {f.get(barcode_code) for f in marc.get_fields(tag)}
            seen[pk] = barcodes
            assert barcodes == copies.get(pk, set()), pk
        assert set(seen) == set(titles), prefix


def test_pages_and_tokens_as_a_harvester_sees_them(demo_catalogue, live_server):
    harvester = Sickle(f"{live_server.url}/oai", iterator=OAIResponseIterator, max_retries=0)
    tokens = []
    count = 0
    for response in harvester.ListIdentifiers(metadataPrefix="marc21"):
        ns = "{http://www.openarchives.org/OAI/2.0/}"
        count += len(response.xml.findall(f".//{ns}header"))
        token = response.xml.find(f".//{ns}resumptionToken")
        tokens.append((token.text or "", token.get("cursor"), token.get("completeListSize")))
    # Pages of 100: two tokens, then the empty token of the last page.
    assert [cursor for _t, cursor, _n in tokens] == ["0", "100", "200"]
    assert {size for _t, _c, size in tokens} == {str(RECORDS)}
    assert tokens[0][0] and tokens[1][0] and tokens[2][0] == ""
    assert count == RECORDS


def test_a_library_set_holds_the_records_with_a_copy_there(demo_catalogue, live_server):
    harvester = Sickle(f"{live_server.url}/oai", max_retries=0)
    specs = [s.setSpec for s in harvester.ListSets()]
    library = Library.objects.order_by("code").first()
    assert f"library:{library.code}" in specs and "collection:BASE" in specs
    expected = set(
        Item.objects.filter(home=library)
        .exclude(status__in=GONE_STATUSES)
        .values_list("record_id", flat=True)
    )
    got = {
        _number(h.identifier)
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set=f"library:{library.code}")
    }
    assert got == expected and expected
    for header in harvester.ListIdentifiers(metadataPrefix="oai_dc", set=f"library:{library.code}"):
        assert f"library:{library.code}" in header.setSpecs
