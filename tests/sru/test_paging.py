"""startRecord, maximumRecords, numberOfRecords and nextRecordPosition: a client paging
through gets every match once, in the same order, whether the matches are few (ranked) or
many (in record order)."""

import pytest

from maillon.catalogue.search import fielded
from tests.search.conftest import make_record

from .conftest import NS, count, diagnostic, ids, search

pytestmark = pytest.mark.django_db

MATCHES = 25


@pytest.fixture
def collection(db) -> list[int]:
    made = [make_record(f"Recueil de contes numéro {n}").pk for n in range(MATCHES)]
    make_record("Un autre livre")
    return made


def next_position(document) -> int | None:
    found = document.xpath("string(//srw:nextRecordPosition)", namespaces=NS)
    return int(found) if found else None


def positions(document) -> list[int]:
    return [int(p) for p in document.xpath("//srw:recordPosition/text()", namespaces=NS)]


def walk(client, query: str, maximum: int) -> list[int]:
    """Every record of the answer, page after page, as a client follows nextRecordPosition."""
    seen: list[int] = []
    start: int | None = 1
    while start is not None:
        document = search(client, query, startRecord=str(start), maximumRecords=str(maximum))
        assert count(document) == MATCHES
        assert positions(document) == list(range(start, start + len(ids(document))))
        seen += ids(document)
        start = next_position(document)
    return seen


def test_pages_follow_each_other(client, collection):
    first = search(client, "dc.title = recueil", maximumRecords="10")
    assert count(first) == MATCHES
    assert len(ids(first)) == 10 and next_position(first) == 11
    last = search(client, "dc.title = recueil", startRecord="21", maximumRecords="10")
    assert len(ids(last)) == 5 and next_position(last) is None
    seen = walk(client, "dc.title = recueil", 10)
    assert sorted(seen) == sorted(collection)


def test_ten_records_by_default(client, collection):
    document = search(client, "dc.title = recueil")
    assert len(ids(document)) == 10 and next_position(document) == 11


def test_many_matches_are_paged_in_record_order(client, collection, monkeypatch):
    """Beyond EXACT_LIMIT matches, no ranking: the record order, counted exactly."""
    monkeypatch.setattr(fielded, "EXACT_LIMIT", 5)
    seen = walk(client, "dc.title = recueil", 7)
    assert seen == sorted(collection)


def test_zero_records_asked_gives_the_count_only(client, collection):
    document = search(client, "dc.title = recueil", maximumRecords="0")
    assert count(document) == MATCHES
    assert ids(document) == [] and next_position(document) is None


def test_no_match_is_no_record_and_no_diagnostic(client, collection):
    document = search(client, "dc.title = introuvable")
    assert count(document) == 0 and ids(document) == []
    assert not document.xpath("//*[local-name()='diagnostic']")


def test_a_first_position_beyond_the_matches_is_out_of_range(client, collection):
    document = search(client, "dc.title = recueil", startRecord=str(MATCHES + 1))
    assert diagnostic(document) == (61, str(MATCHES + 1))
    assert ids(document) == []
