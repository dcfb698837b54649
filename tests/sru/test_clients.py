"""Real SRU clients against a running server: sruthi (from PyPI) reads explain and pages
through a search; Maillon's own copy-cataloguing client (catalogue.sru, written for the BnF)
finds a record of another Maillon network by ISBN, title and author. The answers are what the
public catalogue answers."""

from collections import Counter

import pytest
import sruthi

from maillon.catalogue import sru as copy_cataloguing
from maillon.catalogue.models import Record
from maillon.catalogue.search import SearchQuery
from maillon.catalogue.search import search as catalogue_search

pytestmark = pytest.mark.django_db(transaction=True)


def catalogue_titles(words: str) -> Counter:
    """The titles the public catalogue finds for ``words``, every page."""
    titles: Counter = Counter()
    page = 1
    while True:
        # The trailing space: every word typed in full, none taken as a prefix.
        result = catalogue_search(SearchQuery(q=words + " ", page=page, per_page=100))
        for hit in result.hits:
            titles[f"{hit.title} : {hit.subtitle}" if hit.subtitle else hit.title] += 1
        if page >= result.pages:
            return titles
        page += 1


def test_sruthi_reads_explain(demo_catalogue, live_server):
    info = sruthi.Client(url=f"{live_server.url}/sru").explain()
    assert info.sru_version == "1.2"
    assert set(info.index["dc"]) == {"title", "creator", "subject"}
    assert set(info.index["bath"]) == {"isbn"} and set(info.index["rec"]) == {"id"}
    assert set(info.schema) == {"marcxml", "unimarcXchange", "dc"}
    assert info.config["maximumRecords"] == 100
    assert info.config["defaults"]["numberOfRecords"] == 10


def test_sruthi_pages_through_what_the_catalogue_finds(demo_catalogue, live_server):
    word = "roman"
    expected = catalogue_titles(word)
    assert sum(expected.values()) > 10  # several pages of 4
    client = sruthi.Client(url=f"{live_server.url}/sru", maximum_records=4, record_schema="dc")
    records = client.searchretrieve(query=f"cql.anywhere = {word}")
    assert records.count == sum(expected.values())
    got = Counter(record["title"] for record in records)
    assert got == expected


def test_sruthi_searches_by_isbn_in_marcxml(demo_catalogue, live_server):
    record = Record.objects.exclude(isbn="").order_by("pk").first()
    client = sruthi.Client(url=f"{live_server.url}/sru", record_schema="marcxml")
    records = client.searchretrieve(query=f"bath.isbn = {record.isbn}")
    assert records.count == 1
    [found] = list(records)
    assert found["schema"] == "marcxml"
    assert record.isbn in str(found)


def test_copy_cataloguing_from_another_maillon(demo_catalogue, live_server, settings):
    settings.MAILLON_SRU_URL = f"{live_server.url}/sru"
    record = Record.objects.exclude(isbn="").exclude(authors=[]).order_by("pk").first()
    [by_isbn] = copy_cataloguing.search("isbn", record.isbn)
    assert by_isbn.isbn == record.isbn
    assert by_isbn.title.startswith(record.title)
    by_title = copy_cataloguing.search("title", record.title)
    assert record.isbn in {candidate.isbn for candidate in by_title}
    surname = record.authors[0]["name"].split(",")[0]
    by_author = copy_cataloguing.search("author", surname, maximum=50)
    assert record.isbn in {candidate.isbn for candidate in by_author}
