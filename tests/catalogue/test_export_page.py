"""The staff export page: a streamed MARC download, permission-checked, read back by pymarc."""

import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from pymarc import MARCReader, parse_xml_to_array

from maillon.catalogue import export
from maillon.catalogue.importer import import_marc
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD

URL = reverse("catalogue:export")


@pytest.fixture
def catalogue(tmp_path, network):
    write(
        tmp_path / "a.mrc",
        [
            marc(
                "Voyage au bout de la nuit",
                author="Céline, Louis-Ferdinand",
                year=1932,
                isbn="9782070360284",
                items=[item("A1", "AAA"), item("B1", "BBB")],
            ),
            marc("Madame Bovary", author="Flaubert, Gustave", year=1857, items=[item("B2", "BBB")]),
            marc("Les Misérables", author="Hugo, Victor", year=1862, items=[item("H1", "HEAD")]),
        ],
    )
    import_marc(tmp_path / "a.mrc", network["a"], reject_dir=tmp_path)


def login(client, make_staff, library, role, name="exporter"):
    make_staff(name, (library, role))
    assert client.login(username=name, password=PASSWORD)


def download(response) -> bytes:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # never built whole in memory
    return b"".join(response.streaming_content)


def test_librarian_exports_own_library_unimarc(client, network, make_staff, catalogue):
    login(client, make_staff, network["b"], Role.LIBRARIAN)
    response = client.post(
        URL, {"library": network["b"].pk, "flavour": "unimarc", "format": "iso2709"}
    )
    assert "maillon-bbb-unimarc-" in response["Content-Disposition"]
    records = list(MARCReader(download(response), to_unicode=True, force_utf8=True))
    assert sorted(r["200"]["a"] for r in records) == ["Madame Bovary", "Voyage au bout de la nuit"]
    barcodes = sorted(f["f"] for r in records for f in r.get_fields("995"))
    assert barcodes == ["B1", "B2"]  # the other libraries' copies stay out


def test_coordinator_exports_whole_network_marc21_xml(client, network, make_staff, catalogue):
    login(client, make_staff, network["head"], Role.COORDINATOR)
    response = client.post(URL, {"library": "", "flavour": "marc21", "format": "marcxml"})
    assert "maillon-reseau-marc21-" in response["Content-Disposition"]
    records = parse_xml_to_array(io.BytesIO(download(response)))
    assert len(records) == 3
    assert sorted(f["p"] for r in records for f in r.get_fields("952")) == ["A1", "B1", "B2", "H1"]
    assert "Misérables" in " ".join(r["245"]["a"] for r in records)


def test_md_staff_may_export_the_network(client, network, make_staff, catalogue):
    login(client, make_staff, network["md"], Role.MD_STAFF)
    response = client.post(URL, {"library": "", "flavour": "unimarc", "format": "iso2709"})
    assert len(list(MARCReader(download(response), to_unicode=True, force_utf8=True))) == 3


def test_librarian_may_not_export_network_or_other_library(client, network, make_staff, catalogue):
    login(client, make_staff, network["a"], Role.LIBRARIAN)
    page = client.get(URL)
    assert page.status_code == 200
    assert network["b"].name not in page.content.decode()  # only their own library is offered
    for library in ("", network["b"].pk):
        response = client.post(URL, {"library": library, "flavour": "unimarc", "format": "iso2709"})
        assert response.status_code == 400
        assert not isinstance(response, StreamingHttpResponse)


def test_volunteer_exports_own_library(client, network, make_staff, catalogue):
    login(client, make_staff, network["a"], Role.VOLUNTEER)
    response = client.post(
        URL, {"library": network["a"].pk, "flavour": "unimarc", "format": "iso2709"}
    )
    records = list(MARCReader(download(response), to_unicode=True, force_utf8=True))
    assert [r["200"]["a"] for r in records] == ["Voyage au bout de la nuit"]


def test_stream_sends_chunks(network, catalogue, monkeypatch):
    monkeypatch.setattr(export, "FLUSH_RECORDS", 1)
    chunks = list(export.stream(None, "unimarc", "iso2709"))
    assert len(chunks) == 3  # one record per chunk: the response starts before the end


def test_search_page_links_to_export(client, network, make_staff):
    login(client, make_staff, network["a"], Role.VOLUNTEER)
    assert URL in client.get(reverse("catalogue:search")).content.decode()


def test_anonymous_cannot_export(client, network, catalogue):
    response = client.post(URL, {"library": "", "flavour": "unimarc", "format": "iso2709"})
    assert response.status_code in (302, 403)
