"""A library whose code changes keeps its set under the new code: a real harvester (sickle)
of the new setSpec gets the library's records and the records that left it, one of the old
setSpec is told the set does not exist (badArgument), and an incremental harvest fetches again
the records whose headers and holdings show the new code."""

import datetime as dt

import pytest
from sickle import Sickle
from sickle.oaiexceptions import BadArgument

from maillon.catalogue import items as item_service
from maillon.catalogue.models import Record
from maillon.network import services as network_services
from maillon.network.models import Role
from maillon.oai import sets
from maillon.oai.models import SetMembership
from maillon.oai.protocol import datestamp

pytestmark = pytest.mark.django_db(transaction=True)

LONG_AGO = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def shelf(network, make_record, make_item, desk):
    """Germinal at AAA and BBB, Nana at AAA, Thérèse Raquin's copy at AAA withdrawn, La Bête
    humaine at BBB alone; dated long ago."""
    made = {t: make_record(t) for t in ("Germinal", "Nana", "Thérèse Raquin", "La Bête humaine")}
    make_item(made["Germinal"])
    make_item(made["Germinal"], network["b"])
    make_item(made["Nana"])
    gone = make_item(made["Thérèse Raquin"])
    make_item(made["La Bête humaine"], network["b"])
    sets.rebuild()
    item_service.withdraw(desk["a"], gone, reason="worn", destination="discarded")
    Record.objects.update(updated_at=LONG_AGO)
    SetMembership.objects.update(joined_at=LONG_AGO)
    SetMembership.objects.exclude(left_at=None).update(left_at=LONG_AGO)
    return {title: record.pk for title, record in made.items()}


def _number(identifier: str) -> int:
    return int(identifier.rpartition(":")[2])


def test_a_renamed_library_keeps_its_set_under_the_new_code(shelf, network, staff, live_server):
    harvester = Sickle(f"{live_server.url}/oai", max_retries=0)
    before = {h.identifier: h for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    assert len(before) == 4
    renamed_at = LONG_AGO + dt.timedelta(days=1)

    network_services.update_library(staff[Role.COORDINATOR], network["a"], code="VILLAGE")

    specs = {s.setSpec for s in harvester.ListSets()}
    assert "library:VILLAGE" in specs and "library:AAA" not in specs
    headers = {
        _number(h.identifier): h
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="library:VILLAGE")
    }
    assert set(headers) == {shelf["Germinal"], shelf["Nana"], shelf["Thérèse Raquin"]}
    left = headers[shelf["Thérèse Raquin"]]
    assert left.deleted and left.setSpecs == ["library:VILLAGE"]
    assert left.datestamp == datestamp(LONG_AGO)  # it left then, not at the rename
    assert not headers[shelf["Germinal"]].deleted
    assert headers[shelf["Germinal"]].setSpecs == ["library:BBB", "library:VILLAGE"]
    with pytest.raises(BadArgument):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="library:AAA"))

    # The records the library holds show its new code: an incremental harvest fetches them.
    changed = {
        _number(r.header.identifier): r
        for r in harvester.ListRecords(metadataPrefix="marc21", **{"from": datestamp(renamed_at)})
    }
    assert set(changed) == {shelf["Germinal"], shelf["Nana"]}
    for record in changed.values():
        assert '<subfield code="b">VILLAGE</subfield>' in record.raw
        assert ">AAA<" not in record.raw
    assert not SetMembership.objects.filter(spec="library:AAA").exists()
    assert sets.rebuild() == sets.Changes(records=4)  # what the rows should be, already
