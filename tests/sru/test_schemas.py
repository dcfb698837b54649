"""Each record schema's shape: MARCXML with the copies in 852, UNIMARC marcxchange with them
in 995, Dublin Core; the same records as the OAI-PMH provider writes, copies gone from the
collection left out; and the string packing."""

import pytest
from django.db.models import Count
from lxml import etree

from maillon.catalogue.marc import read_marc
from maillon.catalogue.models import GONE_STATUSES, Item, ItemStatus, Record
from maillon.oai.metadata import FORMATS
from maillon.oai.repository import copies_of

from .conftest import NS, diagnostic, search

pytestmark = pytest.mark.django_db


def records(document) -> list:
    return document.xpath("//srw:record/srw:recordData/*", namespaces=NS)


def canonical(element) -> bytes:
    """The element alone (not the namespaces of the document around it), canonical."""
    return etree.tostring(element, method="c14n", exclusive=True)


def marc(element):
    [result] = list(read_marc(etree.tostring(element), fmt="marcxml"))
    assert result.record is not None, result.error
    return result.record


@pytest.fixture
def withdrawn(demo_catalogue) -> Item:
    """One copy of a record that keeps another copy, withdrawn."""
    kept = (
        Item.objects.exclude(status__in=GONE_STATUSES)
        .values("record_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("record_id")
        .values_list("record_id", flat=True)
    )
    item = Item.objects.filter(record_id=kept[0]).exclude(status__in=GONE_STATUSES).first()
    Item.objects.filter(pk=item.pk).update(status=ItemStatus.WITHDRAWN)
    return item


def barcodes(record_id: int) -> set[str]:
    return {
        b
        for b in Item.objects.filter(record_id=record_id)
        .exclude(status__in=GONE_STATUSES)
        .values_list("barcode", flat=True)
    }


@pytest.mark.parametrize(
    ("schema", "tag", "code"),
    [
        ("marcxml", "852", "p"),
        ("info:srw/schema/1/marcxml-v1.1", "852", "p"),
        ("unimarcXchange", "995", "f"),
        ("unimarc", "995", "f"),
        ("marcxchange", "995", "f"),
    ],
)
def test_marc_schemas_carry_the_copies(client, withdrawn, schema, tag, code):
    pk = withdrawn.record_id
    document = search(client, f"rec.id = {pk}", recordSchema=schema)
    [element] = records(document)
    record = marc(element)
    assert {f.get(code) for f in record.get_fields(tag)} == barcodes(pk)
    assert withdrawn.barcode not in {f.get(code) for f in record.get_fields(tag)}
    name = document.xpath("string(//srw:record/srw:recordSchema)", namespaces=NS)
    assert name == ("marcxml" if tag == "852" else "unimarcXchange")


def test_marcxml_is_what_the_oai_provider_writes(client, demo_catalogue):
    record = Record.objects.order_by("pk").first()
    copies = copies_of([record.pk])[record.pk]
    for schema, prefix, root in (
        ("marcxml", "marc21", "{http://www.loc.gov/MARC21/slim}record"),
        ("unimarcXchange", "unimarc", "{info:lc/xmlns/marcxchange-v2}record"),
    ):
        [element] = records(search(client, f"rec.id = {record.pk}", recordSchema=schema))
        assert element.tag == root
        expected = etree.fromstring(FORMATS[prefix].write(record, copies))
        assert canonical(element) == canonical(expected)


def test_dublin_core(client, demo_catalogue):
    record = Record.objects.exclude(isbn="").order_by("pk").first()
    [element] = records(search(client, f"rec.id = {record.pk}", recordSchema="dc"))
    assert element.tag == "{info:srw/schema/1/dc-schema}dc"
    assert element.xpath("dc:title/text()", namespaces=NS)[0].startswith(record.title)
    assert element.xpath("dc:identifier/text()", namespaces=NS) == [f"urn:isbn:{record.isbn}"]


def test_marcxml_is_the_default(client, demo_catalogue):
    record = Record.objects.order_by("pk").first()
    [element] = records(search(client, f"rec.id = {record.pk}"))
    assert element.tag == "{http://www.loc.gov/MARC21/slim}record"


def test_string_packing_escapes_the_record(client, demo_catalogue):
    record = Record.objects.order_by("pk").first()
    document = search(client, f"rec.id = {record.pk}", recordPacking="string")
    [data] = document.xpath("//srw:recordData", namespaces=NS)
    assert len(data) == 0  # no element: the record is text
    assert etree.fromstring(data.text.encode()).tag == "{http://www.loc.gov/MARC21/slim}record"
    assert document.xpath("string(//srw:recordPacking)", namespaces=NS) == "string"


def test_an_unknown_schema_is_refused(client, demo_catalogue):
    assert diagnostic(search(client, "prince", recordSchema="mods")) == (66, "mods")
