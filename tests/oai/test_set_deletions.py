"""A record that leaves a set — its last copy at a library withdrawn, lost, sent home
elsewhere, taken out of a collection — is listed as deleted to that set's harvesters, dated
when it left, while it stays live in the other sets and in the whole repository; one that
comes back is live again."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from maillon.catalogue import items as item_service
from maillon.catalogue import services as catalogue
from maillon.catalogue.models import GONE_STATUSES, Collection, Item, ItemStatus, Record
from maillon.oai import sets
from maillon.oai.models import SetMembership
from maillon.oai.protocol import datestamp

from .conftest import get

OAI = "{http://www.openarchives.org/OAI/2.0/}"
LONG_AGO = timezone.now() - dt.timedelta(days=30)
SINCE = LONG_AGO + dt.timedelta(days=1)


def harvest(
    client, since: dt.datetime | None = SINCE, token: str = "", **params
) -> dict[int, ET.Element]:
    """The headers ListIdentifiers gives (from ``since``, or from a resumption ``token``), by
    record id, every page."""
    if since is not None:
        params["from"] = datestamp(since)
    found: dict[int, ET.Element] = {}
    query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **params}
    if token:
        query = {"verb": "ListIdentifiers", "resumptionToken": token}
    while True:
        root = ET.fromstring(get(client, **query))
        error = root.find(f"{OAI}error")
        if error is not None:
            assert error.get("code") == "noRecordsMatch"
            return found
        for header in root.iter(f"{OAI}header"):
            number = int(header.find(f"{OAI}identifier").text.rpartition(":")[2])
            assert number not in found, "listed twice"
            found[number] = header
        token = root.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            return found
        query = {"verb": "ListIdentifiers", "resumptionToken": token.text}


def deleted(header: ET.Element) -> bool:
    return header.get("status") == "deleted"


def stamp_of(header: ET.Element) -> str:
    return header.find(f"{OAI}datestamp").text


def specs_of(header: ET.Element) -> set[str]:
    return {s.text for s in header.findall(f"{OAI}setSpec")}


@pytest.fixture
def shelf(network, make_record, make_item):
    """Germinal with a copy at AAA and one at BBB, Nana with a copy at AAA; dated long ago,
    their sets filled as the migration fills them (the fixture writes rows directly)."""
    both, nana = make_record("Germinal"), make_record("Nana")
    copies = {
        "both_a": make_item(both),
        "both_b": make_item(both, network["b"]),
        "nana": make_item(nana),
    }
    sets.rebuild()
    Record.objects.update(updated_at=LONG_AGO)
    SetMembership.objects.update(joined_at=LONG_AGO)
    return both, nana, copies


def test_the_fixture_starts_with_every_set_and_nothing_changed(client, shelf):
    both, nana, _copies = shelf
    rows = set(SetMembership.objects.values_list("record_id", "spec", "left_at"))
    assert rows == {
        (both.pk, "library", None),
        (both.pk, "library:AAA", None),
        (both.pk, "library:BBB", None),
        (nana.pk, "library", None),
        (nana.pk, "library:AAA", None),
    }
    assert harvest(client, set="library:AAA") == {}
    assert set(harvest(client, since=None, set="library:AAA")) == {both.pk, nana.pk}


def test_the_last_copy_withdrawn_at_a_library_deletes_it_there_only(client, shelf, desk):
    both, nana, copies = shelf
    item_service.withdraw(desk["a"], copies["both_a"], reason="worn", destination="discarded")
    changed = Record.objects.get(pk=both.pk).updated_at

    at_a = harvest(client, set="library:AAA")
    assert set(at_a) == {both.pk} and deleted(at_a[both.pk])
    assert stamp_of(at_a[both.pk]) == datestamp(changed)
    assert specs_of(at_a[both.pk]) == {"library:AAA"}  # the set it was deleted from
    # A full harvest of the set lists it as deleted too, beside Nana (live).
    full = harvest(client, since=None, set="library:AAA")
    assert deleted(full[both.pk]) and not deleted(full[nana.pk])

    # Still at BBB, in the parent set and in the whole repository: live, with its new date.
    for where in ({"set": "library:BBB"}, {"set": "library"}, {}):
        header = harvest(client, **where)[both.pk]
        assert not deleted(header) and stamp_of(header) == datestamp(changed)
        assert specs_of(header) == {"library:BBB"}
    record = ET.fromstring(
        get(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:maillon:{both.pk}")
    )
    assert record.find(f".//{OAI}header").get("status") is None


def test_a_copy_sent_home_elsewhere_leaves_and_comes_back(client, shelf, desk, network):
    _both, nana, copies = shelf
    item_service.change_home(desk["head"], copies["nana"].pk, network["b"])
    assert deleted(harvest(client, set="library:AAA")[nana.pk])
    assert not deleted(harvest(client, set="library:BBB")[nana.pk])

    back_since = timezone.now()
    item_service.change_home(desk["head"], copies["nana"].pk, network["a"])
    assert not deleted(harvest(client, back_since, set="library:AAA")[nana.pk])
    assert deleted(harvest(client, back_since, set="library:BBB")[nana.pk])
    # One row per record and set: AAA's reopened, BBB's closed.
    rows = dict(
        SetMembership.objects.filter(record=nana, spec__startswith="library:").values_list(
            "spec", "left_at"
        )
    )
    assert rows["library:AAA"] is None and rows["library:BBB"] is not None


def test_bulk_moves_of_homes_move_the_sets(client, shelf, network):
    """A lot of copies given a new home at once (catalogue.items.move_items)."""
    both, nana, copies = shelf
    with transaction.atomic():
        moving = [item_service.lock(copies[name].pk) for name in ("both_a", "nana")]
        item_service.move_items(moving, ItemStatus.IN_TRANSIT, network["b"], home=network["b"])
    at_a = harvest(client, set="library:AAA")
    assert set(at_a) == {both.pk, nana.pk} and all(deleted(h) for h in at_a.values())
    at_b = harvest(client, set="library:BBB")
    assert set(at_b) == {both.pk, nana.pk} and not any(deleted(h) for h in at_b.values())


def test_missing_then_found_deletes_then_restores_it(client, shelf, desk, network):
    _both, nana, copies = shelf
    item_service.mark_missing(desk["a"], copies["nana"].pk)
    # Its only copy: it leaves every set, the parent too, and stays live in the repository.
    for spec in ("library:AAA", "library"):
        assert deleted(harvest(client, set=spec)[nana.pk]), spec
    # Each deletion names the set harvested; the parent's, the library it left as well.
    assert specs_of(harvest(client, set="library:AAA")[nana.pk]) == {"library:AAA"}
    assert specs_of(harvest(client, set="library")[nana.pk]) == {"library", "library:AAA"}
    assert specs_of(harvest(client)[nana.pk]) == set()
    found_since = timezone.now()
    item_service.mark_found(desk["a"], copies["nana"].pk, network["a"])
    for spec in ("library:AAA", "library"):
        assert not deleted(harvest(client, found_since, set=spec)[nana.pk]), spec


def test_a_collection_set_follows_the_copies_collection(client, shelf, desk):
    _both, nana, copies = shelf
    local = Collection.objects.create(code="GRENIER", name="Fonds du grenier")
    catalogue.update_item(desk["a"], copies["nana"], collection=local)
    for spec in ("collection:GRENIER", "collection"):
        assert not deleted(harvest(client, set=spec)[nana.pk])
    out_since = timezone.now()
    catalogue.update_item(desk["a"], copies["nana"], collection=None)
    for spec in ("collection:GRENIER", "collection"):
        assert deleted(harvest(client, out_since, set=spec)[nana.pk])
    assert not deleted(harvest(client, out_since, set="library:AAA")[nana.pk])


def test_until_bounds_the_departures_too(client, shelf, desk):
    both, nana, copies = shelf
    item_service.withdraw(desk["a"], copies["both_a"], reason="worn", destination="discarded")
    left = SetMembership.objects.get(record=both, spec="library:AAA").left_at
    before = datestamp(left - dt.timedelta(seconds=1))
    # Nana, unchanged since long ago, is the set's only record until then.
    assert set(harvest(client, since=None, set="library:AAA", until=before)) == {nana.pk}
    assert deleted(harvest(client, since=None, set="library:AAA", until=datestamp(left))[both.pk])


def test_the_command_fills_the_sets_once(network, make_record, make_item, capsys):
    record = make_record("Au Bonheur des Dames")
    make_item(record)
    make_item(record, network["b"])
    assert not SetMembership.objects.exists()  # rows written without the services
    with translation.override("fr"):
        call_command("oai_sets", verbosity=0)
        assert "ajoutées : 3, rouvertes : 0" in capsys.readouterr().out
        assert set(SetMembership.objects.values_list("spec", flat=True)) == {
            "library",
            "library:AAA",
            "library:BBB",
        }
        call_command("oai_sets", verbosity=0)
        assert "ajoutées : 0, rouvertes : 0, fermées : 0." in capsys.readouterr().out


def _expected_sets() -> set[tuple[int, str]]:
    """Each record's sets, read from its copies here (not by the code under test)."""
    found = set()
    for record_id, home, collection in Item.objects.exclude(status__in=GONE_STATUSES).values_list(
        "record_id", "home__code", "collection__code"
    ):
        found |= {(record_id, "library"), (record_id, f"library:{home}")}
        if collection:
            found |= {(record_id, "collection"), (record_id, f"collection:{collection}")}
    return found


def _open_sets() -> set[tuple[int, str]]:
    return set(SetMembership.objects.filter(left_at=None).values_list("record_id", "spec"))


def _withdraw_all_at(library_id: int, record_ids: list[int]) -> None:
    with transaction.atomic():
        for item in Item.objects.filter(
            record_id__in=record_ids, home_id=library_id, status=ItemStatus.AVAILABLE
        ).order_by("pk"):
            item_service.move_item(item_service.lock(item.pk), ItemStatus.WITHDRAWN)


def test_the_demo_import_and_the_services_keep_the_sets(client, db, demo_catalogue):
    """The demo's catalogue (imported) has its sets; after copies leave through the services,
    the rows are what a rebuild would make, and a set's harvest over several pages lists each
    record once: the members live, those that left deleted."""
    assert _open_sets() == _expected_sets() and _open_sets()
    library_id, code = (
        Item.objects.filter(home__code__regex=r"^[A-Za-z0-9]+$", status=ItemStatus.AVAILABLE)
        .values_list("home_id", "home__code")
        .order_by("home__code")
        .first()
    )
    there = sorted(
        set(
            Item.objects.filter(home_id=library_id, status=ItemStatus.AVAILABLE).values_list(
                "record_id", flat=True
            )
        )
    )
    leaving = there[::3]
    since = timezone.now()
    _withdraw_all_at(library_id, leaving)
    assert _open_sets() == _expected_sets()
    assert sets.rebuild() == sets.Changes(records=Record.objects.count())

    members = {pk for pk, spec in _expected_sets() if spec == f"library:{code}"}
    gone = {
        pk
        for pk in SetMembership.objects.filter(
            spec=f"library:{code}", left_at__isnull=False
        ).values_list("record_id", flat=True)
    }
    assert gone and gone <= set(leaving) and not gone & members
    headers = harvest(client, since=None, set=f"library:{code}")
    assert {pk for pk, h in headers.items() if deleted(h)} == gone
    assert {pk for pk, h in headers.items() if not deleted(h)} == members
    assert list(headers) == sorted(headers)  # one id order across pages
    changed = harvest(client, since, set=f"library:{code}")
    assert {pk for pk, h in changed.items() if deleted(h)} == gone


def _all_available(record_ids) -> list[int]:
    """Those of these records whose copies in the collection are all on the shelf."""
    busy = set(
        Item.objects.exclude(status__in={*GONE_STATUSES, ItemStatus.AVAILABLE}).values_list(
            "record_id", flat=True
        )
    )
    with_copies = set(
        Item.objects.exclude(status__in=GONE_STATUSES).values_list("record_id", flat=True)
    )
    return sorted(pk for pk in record_ids if pk in with_copies and pk not in busy)


def test_a_record_leaving_during_a_harvest_keeps_the_pages_in_order(client, db, demo_catalogue):
    """Pages follow record ids for members and departures alike: a record that leaves the set
    after its page was sent is not listed again; one further on is listed as deleted."""
    first = ET.fromstring(
        get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="library")
    )
    sent = [int(i.text.rpartition(":")[2]) for i in first.iter(f"{OAI}identifier")]
    token = first.find(f".//{OAI}resumptionToken")
    size = int(token.get("completeListSize"))
    assert len(sent) == 100 and size > 200
    early = _all_available(sent)[0]
    later = _all_available(
        Record.objects.filter(pk__gt=sent[-1] + 50).values_list("pk", flat=True)
    )[0]
    for record_id in (early, later):
        with transaction.atomic():
            live = Item.objects.filter(record_id=record_id).exclude(status__in=GONE_STATUSES)
            for item in live.order_by("pk"):
                item_service.move_item(item_service.lock(item.pk), ItemStatus.LOST)
    rest = harvest(client, since=None, token=token.text)
    seen = sent + list(rest)
    assert len(seen) == len(set(seen)) == size and seen == sorted(seen)
    assert deleted(rest[later]) and early not in rest


def test_a_deleted_header_names_the_sets_left_at_that_moment(client, shelf, desk, network):
    """Germinal leaves AAA, later BBB: each set's deletion names that set only."""
    both, _nana, copies = shelf
    local = Collection.objects.create(code="GRENIER", name="Fonds du grenier")
    catalogue.update_item(desk["a"], copies["both_a"], collection=local)
    item_service.withdraw(desk["a"], copies["both_a"], reason="worn", destination="discarded")
    item_service.withdraw(desk["b"], copies["both_b"], reason="worn", destination="discarded")
    expected = {
        "library:AAA": {"library:AAA", "collection:GRENIER"},  # its only copy in GRENIER
        "collection:GRENIER": {"library:AAA", "collection:GRENIER"},
        "library:BBB": {"library:BBB"},
        "library": {"library", "library:BBB"},
    }
    for spec, names in expected.items():
        header = harvest(client, since=None, set=spec)[both.pk]
        assert deleted(header) and specs_of(header) == names, spec


def test_a_record_deleted_everywhere_names_the_sets_it_was_in(client, shelf, desk):
    """A tombstone (merged away) names the sets it was in when deleted: not those it had
    left before."""
    both, nana, copies = shelf
    item_service.withdraw(desk["a"], copies["both_a"], reason="worn", destination="discarded")
    # What a merge does to the duplicate (the catalogue has no merge service yet).
    Record.objects.filter(pk=both.pk).update(
        merged_into=nana, updated_at=timezone.now() + dt.timedelta(seconds=1)
    )
    header = harvest(client)[both.pk]
    assert deleted(header) and specs_of(header) == {"library:BBB"}
    record = ET.fromstring(
        get(client, verb="GetRecord", metadataPrefix="marc21", identifier=f"oai:maillon:{both.pk}")
    )
    header = record.find(f".//{OAI}header")
    assert deleted(header) and specs_of(header) == {"library:BBB"}
