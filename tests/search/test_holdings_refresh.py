"""Circulation refreshes only what a record's items decide in its search entry
(``refresh_holdings``): the entry must end up exactly as a full re-index would write it."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus, SearchEntry, SearchHolding
from maillon.catalogue.search import index_records, refresh_holdings
from maillon.catalogue.search.facets import LIBRARY_WORDS, word_columns
from maillon.catalogue.search.index import id_bits
from maillon.circulation.services import (
    checkin,
    checkout,
    create_transfer,
    receive_transfer,
)
from tests.circulation_fixtures import TODAY

FIELDS = [f.attname for f in SearchEntry._meta.concrete_fields]


def entry_of(record_id: int) -> dict:
    return SearchEntry.objects.filter(record_id=record_id).values(*FIELDS).get()


def pairs_of(record_id: int) -> set[tuple[int, bool]]:
    return set(
        SearchHolding.objects.filter(record_id=record_id).values_list("library_id", "available")
    )


def assert_as_full_reindex(record_id: int) -> dict:
    """A refresh leaves the entry and its (library, record) pairs as a full reindex would,
    and the pairs say what the entry's id lists say."""
    refreshed, pairs = entry_of(record_id), pairs_of(record_id)
    index_records([record_id])
    assert (entry_of(record_id), pairs_of(record_id)) == (refreshed, pairs)
    available = {int(pk) for pk in refreshed["available_libraries"].split()}
    assert pairs == {(int(pk), int(pk) in available) for pk in refreshed["libraries"].split()}
    return refreshed


def indexed_record(make_record, make_item, network):
    record = make_record("Le Petit Prince")
    items = [
        make_item(record, network["a"]),
        make_item(record, network["b"], item_type="DVD"),
        make_item(record, network["a"], item_type="NOUV"),
    ]
    index_records([record.pk])
    return record, items


def test_checkout_checkin_and_transfers_leave_the_entry_a_full_reindex_would_write(
    network, desk, make_patron, make_record, make_item
):
    record, (copy, dvd, _new) = indexed_record(make_record, make_item, network)
    patron = make_patron()

    checkout(desk["a"], network["a"], patron, copy, today=TODAY)
    assert assert_as_full_reindex(record.pk)["available_libraries"] == (
        f" {network['a'].pk} {network['b'].pk} "
    )
    checkout(desk["b"], network["b"], patron, dvd, today=TODAY)
    entry = assert_as_full_reindex(record.pk)
    available = [entry[name] for name in word_columns("available_bits", LIBRARY_WORDS)]
    assert available == id_bits([network["a"].pk], LIBRARY_WORDS)

    checkin(desk["b"], network["b"], copy, today=TODAY)  # returned elsewhere: travels home
    assert Item.objects.get(pk=copy.pk).status == ItemStatus.IN_TRANSIT
    assert_as_full_reindex(record.pk)
    receive_transfer(desk["a"], network["a"], copy, today=TODAY)
    assert_as_full_reindex(record.pk)

    checkin(desk["b"], network["b"], dvd, today=TODAY)
    create_transfer(desk["b"], network["b"], dvd, network["a"])
    assert assert_as_full_reindex(record.pk)["available_libraries"] == f" {network['a'].pk} "


def test_a_withdrawn_copy_is_no_longer_held_nor_the_newest(network, make_record, make_item):
    record, (_copy, dvd, _new) = indexed_record(make_record, make_item, network)
    Item.objects.filter(pk=dvd.pk).update(created_at=timezone.now() + dt.timedelta(days=1))
    index_records([record.pk])
    Item.objects.filter(pk=dvd.pk).update(status=ItemStatus.WITHDRAWN)
    refresh_holdings(record.pk)
    entry = assert_as_full_reindex(record.pk)
    assert entry["libraries"] == f" {network['a'].pk} "
    assert entry["new_at"] < Item.objects.get(pk=dvd.pk).created_at


def test_a_record_not_yet_indexed_gets_its_whole_entry(network, make_record, make_item):
    record = make_record("Vol de nuit")
    make_item(record, network["a"])
    refresh_holdings(record.pk)
    assert_as_full_reindex(record.pk)


def index_writes(statements: list[str]) -> list[str]:
    tables = ("catalogue_searchentry", "catalogue_searchholding", "catalogue_search_fts")
    return [
        sql
        for sql in statements
        if sql.split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")
        and any(table in sql.split("SET", 1)[0].split("WHERE", 1)[0] for table in tables)
    ]


def test_a_checkout_rewrites_the_entry_without_reading_the_record_again(
    network, desk, make_patron, make_record, make_item
):
    """The texts of the entry do not change with an item's status: neither the record nor the
    full-text rows are read or rewritten; of the pairs, only the one whose availability
    changed is written."""
    record, (copy, _dvd, new) = indexed_record(make_record, make_item, network)
    patron = make_patron()
    checkout(desk["a"], network["a"], patron, copy, today=TODAY)
    with CaptureQueriesContext(connection) as captured:
        checkout(desk["a"], network["a"], patron, new, today=TODAY)  # the last one at a
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith('SELECT "catalogue_record"')]
    writes = index_writes(statements)
    assert len(writes) == 2, writes
    assert writes[0].startswith('UPDATE "catalogue_searchentry"')
    assert writes[1].startswith("UPDATE catalogue_searchholding SET available")
    assert assert_as_full_reindex(record.pk)["available_libraries"] == f" {network['b'].pk} "


def test_a_loan_that_changes_nothing_search_shows_writes_nothing(
    network, desk, make_patron, make_record, make_item
):
    """Another copy stays on the shelf at the same library: where the record is held and
    available, its types and its newest copy read the same, so the index is left as it is."""
    record, (copy, _dvd, _new) = indexed_record(make_record, make_item, network)
    before = entry_of(record.pk), pairs_of(record.pk)
    with CaptureQueriesContext(connection) as captured:
        checkout(desk["a"], network["a"], make_patron(), copy, today=TODAY)
    assert index_writes([q["sql"] for q in captured.captured_queries]) == []
    assert (entry_of(record.pk), pairs_of(record.pk)) == before
    assert_as_full_reindex(record.pk)
    with CaptureQueriesContext(connection) as captured:
        checkin(desk["a"], network["a"], copy, today=TODAY)
    assert index_writes([q["sql"] for q in captured.captured_queries]) == []
    assert_as_full_reindex(record.pk)


def test_a_copy_changing_home_moves_its_pair(network, make_record, make_item):
    """Held no more at one library, held at another: that pair goes, the other comes, the
    rest stay as they were."""
    record, (copy, dvd, _new) = indexed_record(make_record, make_item, network)
    Item.objects.filter(pk=dvd.pk).update(home=network["head"], current=network["head"])
    refresh_holdings(record.pk)
    entry = assert_as_full_reindex(record.pk)
    held = sorted([network["a"].pk, network["head"].pk])
    assert entry["libraries"] == f" {held[0]} {held[1]} "
    Item.objects.filter(pk=dvd.pk).update(home=network["a"], current=network["a"])
    Item.objects.filter(pk=copy.pk).update(status=ItemStatus.ON_LOAN)
    refresh_holdings(record.pk)
    assert assert_as_full_reindex(record.pk)["libraries"] == f" {network['a'].pk} "
