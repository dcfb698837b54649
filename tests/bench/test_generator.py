import re

from maillon.bench.generate import generate, id_chunks
from maillon.catalogue.models import GONE_STATUSES, Item, Record
from maillon.catalogue.search import SearchQuery, index_records, search
from maillon.network.models import Library
from maillon.oai.models import SetMembership
from maillon.oai.sets import Changes, rebuild


def test_generated_catalogue_is_realistic_and_searchable(db):
    ids = generate(400, items_per_record=2.0, libraries=6, seed=3)
    assert Record.objects.count() == 400 and Library.objects.count() == 6
    items = Item.objects.count()
    assert 500 <= items <= 1400  # about two copies a record, long tail
    copies = sorted((r.items.count() for r in Record.objects.all()), reverse=True)
    assert copies[-1] >= 1 and copies[0] >= 5  # most have one or two, a few many
    assert Item.objects.values("barcode").distinct().count() == items
    assert Item.objects.values("home").distinct().count() > 1

    for chunk in id_chunks(ids, 150):
        index_records(chunk)
    record = Record.objects.order_by("id")[7]
    word = max(re.findall(r"\w+", record.title), key=len)
    result = search(SearchQuery(q=word + " ", per_page=100))
    assert record.id in result.ids or result.total > 100


def test_same_seed_same_titles(db):
    generate(50, libraries=3, seed=9)
    first = list(Record.objects.order_by("id").values_list("title", flat=True))
    Item.objects.all().delete()
    Record.objects.all().delete()
    generate(50, libraries=3, seed=9)
    assert list(Record.objects.order_by("id").values_list("title", flat=True)) == first


def test_generated_records_have_their_oai_sets(db):
    """Written in bulk with the records, the OAI-PMH sets are those a rebuild finds."""
    generate(120, libraries=4, seed=5)
    assert SetMembership.objects.filter(spec="library").count() == len(
        set(Item.objects.exclude(status__in=GONE_STATUSES).values_list("record_id", flat=True))
    )
    assert rebuild() == Changes(records=120)
