import datetime as dt

import pytest
from lxml import etree

from maillon.catalogue.demo import build_catalogue
from maillon.network.demo import build_network

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
    return sru(client, operation="searchRetrieve", version="1.2", query=query, **params)


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
