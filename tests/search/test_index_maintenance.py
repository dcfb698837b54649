from maillon.catalogue.models import Item, ItemStatus, Record
from maillon.catalogue.search import (
    SearchQuery,
    index_records,
    rebuild_index,
    remove_records,
    search,
)

from .conftest import add_item, make_record


def ids(**query) -> set[int]:
    return set(search(SearchQuery(**query)).ids)


def test_bulk_created_records_are_searchable_after_one_call(network):
    records = Record.objects.bulk_create(
        [
            Record(
                title=f"Carnet de voyage {n}",
                marc=b"",
                sort_title=f"carnet {n}",
                match_key=f"carnet {n}",
            )
            for n in range(30)
        ]
    )
    assert ids(q="carnet") == set()
    index_records(r.id for r in records)
    assert search(SearchQuery(q="carnet voyage")).total == 30


def test_edited_record_is_found_by_its_new_title_only(db):
    record = make_record("Titre provisoire")
    record.title = "Titre définitif"
    record.save()
    index_records([record.id])
    assert ids(q="provisoire") == set()
    assert ids(q="definitif") == {record.id}


def test_item_changes_update_facets(network):
    record = make_record("Le grand voyage")
    item = add_item(record, network["a"])
    assert ids(available_now=True) == {record.id}
    Item.objects.filter(pk=item.pk).update(status=ItemStatus.ON_LOAN)
    index_records([record.id])
    assert ids(available_now=True) == set()
    assert ids(libraries=["AAA"]) == {record.id}
    Item.objects.filter(pk=item.pk).update(status=ItemStatus.WITHDRAWN)
    index_records([record.id])
    assert ids(libraries=["AAA"]) == set()  # a withdrawn copy is no longer held


def test_removed_and_deleted_records_leave_the_index(db):
    kept, removed, deleted = (make_record(f"Voyage {n}") for n in ("un", "deux", "trois"))
    remove_records([removed.id])
    deleted_id = deleted.id
    deleted.delete()
    index_records([deleted_id])  # a vanished id is simply dropped
    assert ids(q="voyage") == {kept.id}


def test_rebuild_index(db):
    records = [make_record(f"Roman {n}", index=False) for n in range(5)]
    assert ids(q="roman") == set()
    seen = []
    assert rebuild_index(progress=lambda done, total: seen.append((done, total)), chunk=2) == 5
    assert ids(q="roman") == {r.id for r in records}
    assert seen[-1] == (5, 5)
