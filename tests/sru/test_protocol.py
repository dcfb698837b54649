"""The request's parameters and their diagnostics, and the explain document."""

import pytest

from .conftest import NS, count, diagnostic, search, sru

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "code", "details"),
    [
        ({"version": "1.1"}, 5, "1.2"),
        ({"version": "2.0"}, 5, "1.2"),
        ({"startRecord": "0"}, 6, "startRecord"),
        ({"startRecord": "-3"}, 6, "startRecord"),
        ({"startRecord": "un"}, 6, "startRecord"),
        ({"maximumRecords": "-1"}, 6, "maximumRecords"),
        ({"maximumRecords": "dix"}, 6, "maximumRecords"),
        ({"recordPacking": "json"}, 71, "json"),
        ({"recordSchema": "mods"}, 66, "mods"),
        ({"sortKeys": "title,,1"}, 80, "sortKeys"),
        ({"stylesheet": "/style.xsl"}, 110, "stylesheet"),
        ({"recordXPath": "/record"}, 72, "recordXPath"),
        ({"colour": "blue"}, 8, "colour"),
    ],
)
def test_bad_parameters(client, params, code, details):
    document = search(client, "prince", **params)
    assert document.tag == "{http://www.loc.gov/zing/srw/}searchRetrieveResponse"
    assert diagnostic(document) == (code, details)
    assert count(document) == 0


def test_too_many_records_asked(client):
    assert search(client, "prince", maximumRecords="100").xpath(
        "not(//diag:diagnostic)", namespaces=NS
    )
    code, details = diagnostic(search(client, "prince", maximumRecords="101"))
    assert code == 6 and details.startswith("maximumRecords") and "100" in details


def test_a_query_is_mandatory(client):
    document = sru(client, operation="searchRetrieve", version="1.2")
    assert diagnostic(document) == (7, "query")


def test_unknown_operations(client):
    for operation in ("scan", "update"):
        document = sru(client, operation=operation, version="1.2")
        assert document.tag == "{http://www.loc.gov/zing/srw/}explainResponse"
        assert diagnostic(document) == (4, operation)


def test_a_syntax_error_is_echoed_with_its_diagnostic(client):
    document = search(client, "dc.title = (prince")
    assert diagnostic(document)[0] == 10
    echoed = document.xpath("string(//srw:echoedSearchRetrieveRequest/srw:query)", namespaces=NS)
    assert echoed == "dc.title = (prince"


def test_extension_parameters_are_ignored(client):
    assert count(search(client, "prince", **{"x-info-5-restrictions": "1"})) == 0
    document = search(client, "prince", **{"x-info-5-restrictions": "1"})
    assert not document.xpath("//diag:diagnostic", namespaces=NS)


def test_messages_speak_french_by_default(client):
    document = search(client, "dc.publisher = gallimard")
    message = document.xpath("string(//diag:message)", namespaces=NS)
    assert message == "Index non pris en charge"


def test_explain_lists_indexes_schemas_and_limits(client):
    for document in (sru(client), sru(client, operation="explain", version="1.2")):
        assert document.tag == "{http://www.loc.gov/zing/srw/}explainResponse"
        assert document.xpath("string(srw:version)", namespaces=NS) == "1.2"
        names = {
            f"{name.get('set')}.{name.text}"
            for name in document.xpath("//zr:indexInfo/zr:index/zr:map/zr:name", namespaces=NS)
        }
        assert names == {
            "cql.anywhere",
            "dc.title",
            "dc.creator",
            "dc.subject",
            "bath.isbn",
            "rec.id",
        }
        sets = {s.get("name") for s in document.xpath("//zr:indexInfo/zr:set", namespaces=NS)}
        assert sets == {"cql", "dc", "bath", "rec"}
        schemas = {s.get("name") for s in document.xpath("//zr:schema", namespaces=NS)}
        assert schemas == {"marcxml", "unimarcXchange", "dc"}
        limit = document.xpath("string(//zr:setting[@type='maximumRecords'])", namespaces=NS)
        assert limit == "100"
        assert document.xpath("string(//zr:serverInfo/zr:database)", namespaces=NS) == "sru"


def test_post_is_answered_like_get(client):
    from lxml import etree

    response = client.post(
        "/sru", {"operation": "searchRetrieve", "version": "1.2", "query": "dc.title <> x"}
    )
    assert response.status_code == 200
    assert diagnostic(etree.fromstring(response.content)) == (19, "<>")
