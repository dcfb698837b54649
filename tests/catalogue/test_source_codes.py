from django.urls import reverse

from maillon.catalogue.importer import import_marc
from maillon.catalogue.models import Item, SourceCode
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD


def test_coordinator_maps_codes_and_the_next_import_uses_them(
    client, network, make_staff, tmp_path
):
    make_staff("coord", (network["head"], Role.COORDINATOR))
    client.login(username="coord", password=PASSWORD)
    url = reverse("catalogue:source_codes")
    assert client.post(url, {"kind": "library", "code": "cpl", "target": "AAA"}).status_code == 302
    bad = client.post(url, {"kind": "item_type", "code": "BK", "target": "NOPE"})
    assert bad.status_code == 400 and "NOPE" in bad.content.decode()
    assert 'value="BK"' in bad.content.decode()
    assert list(SourceCode.objects.values_list("kind", "code", "target")) == [
        ("library", "CPL", "AAA")
    ]
    write(tmp_path / "k.mrc", [marc("Book", items=[item("K1", "CPL")])])
    import_marc(tmp_path / "k.mrc", network["b"], reject_dir=tmp_path)
    assert Item.objects.get(barcode="K1").home.code == "AAA"


def test_librarian_reads_but_cannot_change_mappings(client, network, make_staff):
    make_staff("libr", (network["a"], Role.LIBRARIAN))
    client.login(username="libr", password=PASSWORD)
    url = reverse("catalogue:source_codes")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "library", "code": "X", "target": "AAA"})
    assert response.status_code == 403 and not SourceCode.objects.exists()
