"""Our answers have the shape of a real repository's (DSpace at Erasmus University, captured by
pyoai's tests: ../shared/data/oai_pyoai_dspace_eur/): same envelope, same elements in the same
order, same namespaces and schema locations; ours only adds what the protocol allows (the
resumption token of a long list)."""

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from maillon.catalogue.models import Record

from .conftest import get

OAI = "{http://www.openarchives.org/OAI/2.0/}"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
# What the sample's repository adds that the protocol leaves optional.
OPTIONAL = {"Identify/compression", "Identify/description"}


def samples(shared_data: Path) -> dict[str, ET.Element]:
    """The sample responses by verb (the first of each), and the deleted record's."""
    found: dict[str, ET.Element] = {}
    for folder in sorted((shared_data / "oai_pyoai_dspace_eur").iterdir()):
        lines = (folder / "mapping.txt").read_text().split()
        for query, name in zip(lines[::2], lines[1::2], strict=True):
            root = ET.parse(folder / name).getroot()
            if root.tag != f"{OAI}OAI-PMH":
                continue  # a bare metadata document (pyoai's GetMetadata)
            verb = dict(parse_qsl(query))["verb"]
            if root.find(f".//{OAI}header[@status='deleted']") is not None:
                verb = "deleted"
            found.setdefault(verb, root)
    return found


def paths(elem: ET.Element, prefix: str = "") -> set[str]:
    """Element paths, without namespaces, down to the metadata's root element."""
    name = elem.tag.rsplit("}", 1)[-1]
    path = f"{prefix}/{name}" if prefix else name
    found = {path}
    if name != "metadata":
        for child in elem:
            found |= paths(child, path)
    else:
        found |= {f"{path}/{child.tag}" for child in elem}
    return found


def order(elem: ET.Element) -> list[str]:
    """Children's names in order, repeats collapsed."""
    names: list[str] = []
    for child in elem:
        name = child.tag.rsplit("}", 1)[-1]
        if not names or names[-1] != name:
            names.append(name)
    return names


@pytest.fixture
def records(db):
    from maillon.catalogue.models import Collection, Item, ItemType
    from tests.conftest import make_library

    library = make_library("AAA")
    kind, _new = ItemType.objects.get_or_create(code="LIVRE", defaults={"name": "Livre"})
    base, _new = Collection.objects.get_or_create(code="BASE", defaults={"name": "Fonds"})
    made = []
    for n in range(3):
        record = Record.objects.create(
            title=f"Titre {n}",
            sort_title=f"titre {n}",
            authors=[{"name": "Hugo, Victor", "role": "auteur"}],
            subjects=["Roman"],
            summary="Un résumé.",
            language="fre",
            year=1862,
            marc=b"",
        )
        Item.objects.create(
            record=record,
            barcode=f"B{n:05d}",
            owner=library,
            home=library,
            current=library,
            item_type=kind,
            collection=base,
        )
        made.append(record)
    Record.objects.filter(pk=made[2].pk).update(merged_into=made[0])
    return made


def ours(client, verb: str, records) -> ET.Element:
    params = {"verb": verb}
    if verb in ("ListIdentifiers", "ListRecords"):
        params["metadataPrefix"] = "oai_dc"
    if verb in ("GetRecord", "deleted"):
        params.update(
            verb="GetRecord",
            metadataPrefix="oai_dc",
            identifier=f"oai:maillon:{records[2 if verb == 'deleted' else 0].pk}",
        )
    return ET.fromstring(get(client, **params))


@pytest.mark.parametrize(
    "verb",
    [
        "Identify",
        "ListMetadataFormats",
        "ListSets",
        "ListIdentifiers",
        "ListRecords",
        "GetRecord",
        "deleted",
    ],
)
def test_shape_of_each_verb(client, records, shared_data, verb):
    sample = samples(shared_data)[verb]
    mine = ours(client, verb, records)
    assert mine.tag == sample.tag
    assert mine.get(XSI_LOCATION) == sample.get(XSI_LOCATION)
    theirs = {p for p in paths(sample) if not any(p.startswith(f"OAI-PMH/{o}") for o in OPTIONAL)}
    if verb == "deleted":  # ours has no copies left, so no set (setSpec is optional)
        theirs.discard("OAI-PMH/GetRecord/record/header/setSpec")
    assert paths(mine) == theirs
    assert order(mine) == order(sample)
    for element in ("header", "record", "set", "metadataFormat", "Identify"):
        their = sample.find(f".//{OAI}{element}")
        if their is not None:
            assert order(mine.find(f".//{OAI}{element}")) == [
                name
                for name in order(their)
                if f"Identify/{name}" not in OPTIONAL
                and not (verb == "deleted" and name == "setSpec")
            ]
    their_request = sample.find(f"{OAI}request")
    assert set(mine.find(f"{OAI}request").attrib) == set(their_request.attrib) - {"from"}


def test_dublin_core_as_the_sample_writes_it(client, records, shared_data):
    sample = samples(shared_data)["GetRecord"].find(f".//{OAI}metadata")[0]
    mine = ours(client, "GetRecord", records).find(f".//{OAI}metadata")[0]
    assert mine.tag == sample.tag
    assert mine.get(XSI_LOCATION) == sample.get(XSI_LOCATION)
    dc = "{http://purl.org/dc/elements/1.1/}"
    names = "title creator subject description publisher contributor date type format"
    names += " identifier source language relation coverage rights"
    assert {child.tag for child in mine} <= {f"{dc}{name}" for name in names.split()}
    assert mine.find(f"{dc}title").text == "Titre 0"
    assert mine.find(f"{dc}creator").text == "Hugo, Victor"


def test_deleted_record_has_no_metadata(client, records, shared_data):
    sample = samples(shared_data)["deleted"].find(f".//{OAI}record")
    mine = ours(client, "deleted", records).find(f".//{OAI}record")
    assert order(mine) == order(sample) == ["header"]
    assert mine.find(f"{OAI}header").get("status") == "deleted"
