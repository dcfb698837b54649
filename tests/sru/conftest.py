import datetime as dt

import pytest
from lxml import etree

from maillon.catalogue.demo import build_catalogue
from maillon.catalogue.models import Record
from maillon.catalogue.search import index_records
from maillon.network.demo import build_network
from tests.search.conftest import add_item, make_record

TODAY = dt.date(2026, 11, 25)
RECORDS = 120
NS = {
    "srw": "http://www.loc.gov/zing/srw/",
    "diag": "http://www.loc.gov/zing/srw/diagnostic/",
    "zr": "http://explain.z3950.org/dtd/2.0/",
    "marc": "http://www.loc.gov/MARC21/slim",
    "mxc": "info:lc/xmlns/marcxchange-v2",
    "srw_dc": "info:srw/schema/1/dc-schema",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.fixture
def demo_catalogue(settings, tmp_path):
    """The demo's network and a catalogue imported like the demo's (UNIMARC with 995)."""
    settings.VAR_DIR = tmp_path
    build_network("maillon-demo", TODAY)
    build_catalogue(records=RECORDS)


def sru(client, **params):
    """The endpoint's answer to ``params``, parsed."""
    response = client.get("/sru", params, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def search(client, query, **params):
    return sru(client, **{"operation": "searchRetrieve", "version": "1.2", "query": query} | params)


def diagnostic(document) -> tuple[int, str]:
    """The number and details of the one diagnostic of a document."""
    [uri] = document.xpath("//diag:diagnostic/diag:uri/text()", namespaces=NS)
    assert uri.startswith("info:srw/diagnostic/1/")
    details = document.xpath("string(//diag:diagnostic/diag:details)", namespaces=NS)
    return int(uri.rsplit("/", 1)[1]), details


def count(document) -> int:
    return int(
        document.xpath("string(/srw:searchRetrieveResponse/srw:numberOfRecords)", namespaces=NS)
    )


def isbn13(body: str) -> str:
    """A valid ISBN-13 from its first twelve digits."""
    check = (10 - sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


@pytest.fixture
def shelf(network) -> dict[str, Record]:
    """A few records chosen so that each index finds something the others do not: "prince"
    is in two titles and one author's name, "aviation" in two subjects."""
    library = network["a"]
    found = {
        "petit_prince": make_record(
            "Le Petit Prince",
            authors=["Saint-Exupéry, Antoine de"],
            isbn=isbn13("978207061275"),
            subjects=["Aviation", "Contes philosophiques"],
        ),
        "prince": make_record("Le Prince", authors=["Machiavel, Nicolas"], subjects=["Politique"]),
        "potter": make_record(
            "Harry Potter à l'école des sorciers",
            authors=["Rowling, J. K."],
            isbn=isbn13("978207054127"),
            subjects=["Sorcellerie"],
            series=[{"title": "Harry Potter", "number": "1"}],
        ),
        "poterie": make_record(
            "La poterie pour tous", authors=["Prince, Marie"], subjects=["Céramique"]
        ),
        "terre": make_record(
            "Terre des hommes", authors=["Saint-Exupéry, Antoine de"], subjects=["Aviation"]
        ),
    }
    for record in found.values():
        add_item(record, library)
    gone = make_record("Le Petit Prince, doublon", authors=["Saint-Exupéry, Antoine de"])
    Record.objects.filter(pk=gone.pk).update(merged_into=found["petit_prince"])
    index_records([gone.pk])
    return found


def ids(document) -> list[int]:
    """The record numbers of a searchRetrieve answer, in order."""
    identifiers = document.xpath("//srw:record/srw:recordIdentifier/text()", namespaces=NS)
    return [int(identifier.rsplit(":", 1)[1]) for identifier in identifiers]
