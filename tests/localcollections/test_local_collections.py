"""A library's local collections: defined, items tagged (scan, range, search), protected from
weeding and lots, shown on the library's public page and as a facet of the public catalogue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue.models import Collection, CollectionKind, Item, SearchEntry
from maillon.catalogue.search import SearchQuery, index_records, search
from maillon.localcollections import services
from maillon.lots import services as lots
from maillon.weeding import services as weeding
from tests.weeding.conftest import TODAY, default_criteria, years_ago  # noqa: F401


@pytest.fixture
def shelf(network, make_item, record_of):
    a = network["a"]
    items = {
        "vasles": make_item(record_of("Histoire de Vasles", year=1950), a, call_number="944.6 HIS"),
        "moutons": make_item(
            record_of("Les moutons du Poitou", year=1960), a, call_number="944.61 MOU"
        ),
        "roman": make_item(
            record_of("Un roman", year=TODAY.year - 20),
            a,
            call_number="R DUR",
            last_loan_at=years_ago(6),
        ),
        "other": make_item(
            record_of("Histoire de Niort", year=1970), network["b"], call_number="944.6 NIO"
        ),
    }
    index_records([i.record_id for i in items.values()])
    return items


@pytest.fixture
def local(desk, network):
    return services.save(
        desk["a"],
        network["a"],
        name="Fonds local de Vasles",
        theme="histoire locale",
        description="Le pays des moutons.",
    )


def test_defined_by_the_library_only(desk, network):
    with pytest.raises(PermissionDenied):
        services.save(desk["volunteer"], network["a"], name="Essai")
    with pytest.raises(PermissionDenied):
        services.save(desk["a"], network["b"], name="Essai")
    with pytest.raises(services.LocalCollectionError) as empty:
        services.save(desk["a"], network["a"], name="  ")
    assert empty.value.code == "name_missing"
    made = services.save(desk["a"], network["a"], name="Vie associative", kind="heritage")
    assert made.library == network["a"] and made.kind == CollectionKind.HERITAGE
    assert made.code.startswith("AAA-")


def test_tagged_by_scan_range_and_search(desk, network, shelf, local):
    done = services.tag(desk["a"], local, [services.by_barcode(local, shelf["vasles"].barcode).pk])
    assert done.added == [shelf["vasles"].barcode]
    again = services.tag(desk["a"], local, [shelf["vasles"].pk, shelf["other"].pk])
    assert not again.added and len(again.refused) == 2  # already in; another library's
    by_range = services.by_call_numbers(local, "944.6", "944.69")
    assert by_range == [shelf["moutons"].pk]  # the one tagged already is left out
    services.tag(desk["a"], local, by_range)
    found = services.by_records(local, [shelf["roman"].record_id, shelf["other"].record_id])
    assert found == [shelf["roman"].pk]
    assert Item.objects.filter(collection=local).count() == 2
    entry = entries_for(shelf["moutons"]).get(action="put_in_local_collection")
    assert entry.details["collection_code"] == local.code
    with pytest.raises(services.LocalCollectionError):
        services.by_call_numbers(local, "944.7", "944.6")
    with pytest.raises(PermissionDenied):
        services.tag(desk["volunteer"], local, [shelf["roman"].pk])


def test_protected_from_weeding_and_lots(desk, network, shelf, local):
    services.tag(desk["a"], local, [shelf["roman"].pk])
    campaign = weeding.create_campaign(desk["a"], network["a"], "Printemps")
    assert not campaign.candidates.filter(item=shelf["roman"]).exists()
    with pytest.raises(weeding.WeedingError) as scanned:
        weeding.find_by_scan(desk["a"], campaign, shelf["roman"].barcode)
    assert scanned.value.code == "protected_collection"

    lot = lots.create(desk["a"], network["a"], "Caisse")
    with pytest.raises(lots.LotError) as refused:
        lots.add(desk["a"], lot, shelf["roman"].barcode)
    assert refused.value.code == "local_collection"
    assert "Fonds local de Vasles" in refused.value.message and "lot" in refused.value.message
    assert shelf["roman"].pk not in [i.pk for i in lots.selection(network["a"])]
    # Untagged, it may travel again.
    services.untag(desk["a"], local, shelf["roman"])
    lots.add(desk["a"], lot, shelf["roman"].barcode)


def test_an_item_in_a_lot_is_not_tagged(desk, network, shelf, local):
    lot = lots.create(desk["a"], network["a"], "Caisse")
    lots.add(desk["a"], lot, shelf["roman"].barcode)
    done = services.tag(desk["a"], local, [shelf["roman"].pk])
    assert not done.added and "lot" in done.refused[0]


def test_a_facet_of_the_catalogue_from_the_index(desk, network, shelf, local):
    general = Collection.objects.create(code="GENTEST", name="Fonds général")  # not local
    Item.objects.filter(pk=shelf["other"].pk).update(collection=general)
    index_records([shelf["other"].record_id])
    services.tag(desk["a"], local, [shelf["vasles"].pk, shelf["moutons"].pk])
    # The index knows, without reading the items.
    entry = SearchEntry.objects.get(record_id=shelf["vasles"].record_id)
    assert entry.collections == f" {local.pk} "

    result = search(SearchQuery(q="histoire"))
    assert [(v.value, v.label, v.count) for v in result.facets["collection"]] == [
        (local.code, local.name, 1)
    ]
    filtered = search(SearchQuery(collections=[local.code]))
    assert sorted(filtered.ids) == sorted([shelf["vasles"].record_id, shelf["moutons"].record_id])
    assert search(SearchQuery(q="moutons", collections=[local.code])).total == 1
    # Taken out, it no longer counts.
    services.untag(desk["a"], local, shelf["moutons"])
    assert search(SearchQuery(collections=[local.code])).ids == [shelf["vasles"].record_id]


def test_public_page_and_catalogue(client_fr, desk, network, shelf, local):
    services.tag(desk["a"], local, [shelf["vasles"].pk])
    page = client_fr.get(reverse("opac:library", args=[network["a"].code])).content.decode()
    assert "Fonds local de Vasles" in page and "Le pays des moutons." in page
    assert f"collection={local.code}" in page
    found = client_fr.get(reverse("opac:search") + f"?collection={local.code}").content.decode()
    assert "Histoire de Vasles" in found and "Histoire de Niort" not in found
    assert "Fonds local" in found  # the facet block names it
    bad = client_fr.get(reverse("opac:search") + "?collection=NOPE")
    assert bad.status_code == 200 and "NOPE" in bad.content.decode()


def test_staff_pages(client_fr, desk, network, shelf, local):
    client_fr.force_login(desk["a"])
    created = client_fr.post(
        reverse("localcollections:list"),
        {"name": "Vie associative", "kind": "local", "theme": "vie associative", "description": ""},
    )
    made = Collection.objects.get(name="Vie associative")
    assert created.url == reverse("localcollections:detail", args=[made.pk])
    url = reverse("localcollections:add", args=[local.pk])
    client_fr.post(url, {"barcode": shelf["vasles"].barcode})
    client_fr.post(url, {"start": "944.61", "end": ""})
    page = client_fr.get(reverse("localcollections:detail", args=[local.pk])).content.decode()
    assert shelf["vasles"].barcode in page and shelf["moutons"].barcode in page
    search_page = client_fr.get(
        reverse("localcollections:detail", args=[local.pk]) + "?q=roman"
    ).content.decode()
    assert shelf["roman"].barcode in search_page
    client_fr.post(url, {"record": [str(shelf["roman"].record_id)]})
    assert Item.objects.filter(collection=local).count() == 3
    unknown = client_fr.post(url, {"barcode": "INCONNU"}, follow=True).content.decode()
    assert "INCONNU" in unknown
    client_fr.force_login(desk["b"])
    assert client_fr.post(url, {"barcode": shelf["roman"].barcode}).status_code == 403
