"""Item types and collections, set by the network coordinator from the staff pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import ngettext

from maillon.catalogue import services
from maillon.catalogue.models import Collection, Item, ItemType, SourceCode
from maillon.catalogue.services import CatalogueError
from maillon.circulation.models import LoanRule
from maillon.circulation.routing import Action as Routing
from maillon.circulation.services import checkin, checkout
from maillon.network.models import Role
from tests.circulation.helpers import fr
from tests.circulation_fixtures import TODAY

PAGE = "/pro/catalogue/types/"
NEW_TYPE, NEW_COLLECTION = "/pro/catalogue/types/nouveau/", "/pro/catalogue/fonds/nouveau/"


def type_url(item_type: ItemType, action: str = "") -> str:
    return f"/pro/catalogue/types/{item_type.pk}/{action}"


def collection_url(collection: Collection, action: str = "") -> str:
    return f"/pro/catalogue/fonds/{collection.pk}/{action}"


@pytest.fixture
def coordinator(client_fr, staff):
    client_fr.force_login(staff[Role.COORDINATOR])
    return client_fr


def test_every_staff_member_reads_types_and_collections(client_fr, staff, types, book, make_item):
    make_item(book)
    make_item(book, floating=True)
    client_fr.force_login(staff[Role.VOLUNTEER])
    assert f'href="{PAGE}"' in client_fr.get("/pro/catalogue/").content.decode()
    response = client_fr.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<code>LIVRE</code>" in page and "<code>FLOT</code>" in page
    livre = page.split("<code>LIVRE</code>")[1].split("</tr>")[0]
    assert "<td>2</td>" in livre  # two items of that type
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert NEW_TYPE not in page and type_url(types["LIVRE"]) not in page


def test_coordinator_creates_and_edits_a_type_and_a_collection(coordinator, network):
    assert coordinator.get(NEW_TYPE).status_code == 200
    response = coordinator.post(NEW_TYPE, {"code": "LIVGC", "name": "Livre en gros caractères"})
    assert response.status_code == 302 and response.url == PAGE
    large_print = ItemType.objects.get(code="LIVGC")
    assert (
        coordinator.post(
            type_url(large_print), {"code": "LIVGC", "name": "Gros caractères"}
        ).status_code
        == 302
    )
    large_print.refresh_from_db()
    assert large_print.name == "Gros caractères"

    response = coordinator.post(
        NEW_COLLECTION,
        {"code": "GATINE", "name": "Fonds Gâtine", "kind": "local", "theme": "Histoire locale"},
    )
    assert response.status_code == 302
    gatine = Collection.objects.get(code="GATINE")
    assert (gatine.kind, gatine.theme, gatine.floating) == ("local", "Histoire locale", False)
    page = coordinator.get(PAGE).content.decode()
    assert "Gros caractères" in page and "Fonds Gâtine" in page


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.VOLUNTEER, Role.MD_STAFF])
def test_only_a_coordinator_changes_types_and_collections(client_fr, staff, types, role):
    livre, base = types["LIVRE"], Collection.objects.get(code="BASE")
    client_fr.force_login(staff[role])
    for url in (NEW_TYPE, type_url(livre), NEW_COLLECTION, collection_url(base)):
        assert client_fr.get(url).status_code == 403
    assert client_fr.post(NEW_TYPE, {"code": "CDROM", "name": "Cédérom"}).status_code == 403
    assert client_fr.post(type_url(livre), {"code": "LIVRE", "name": "Bouquin"}).status_code == 403
    assert (
        client_fr.post(NEW_COLLECTION, {"code": "NEUF", "name": "Neuf", "kind": "base"}).status_code
        == 403
    )
    assert (
        client_fr.post(
            collection_url(base), {"code": "BASE", "name": "Base", "kind": "base", "floating": "on"}
        ).status_code
        == 403
    )
    assert client_fr.post(type_url(livre, "supprimer/")).status_code == 403
    assert client_fr.post(collection_url(base, "supprimer/")).status_code == 403
    livre.refresh_from_db()
    base.refresh_from_db()
    assert livre.name == "Livre" and base.name == "Fonds de base" and not base.floating
    assert not ItemType.objects.filter(code="CDROM").exists()
    assert not Collection.objects.filter(code="NEUF").exists()
    with pytest.raises(PermissionDenied):
        services.save_item_type(staff[role], ItemType(code="CDROM", name="Cédérom"))
    with pytest.raises(PermissionDenied):
        services.delete_collection(staff[role], base)


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            NEW_TYPE,
            {"code": "DVD", "name": "Vidéo"},
            ("The code %(code)s is already used by another item type.", {"code": "DVD"}),
        ),
        (NEW_TYPE, {"code": "cd rom", "name": "Cédérom"}, None),
        (
            NEW_COLLECTION,
            {"code": "BASE", "name": "Fonds neuf", "kind": "base", "theme": "Romans"},
            ("The code %(code)s is already used by another collection.", {"code": "BASE"}),
        ),
        (
            NEW_COLLECTION,
            {"code": "x", "name": "Fonds neuf", "kind": "local", "theme": "Romans"},
            None,
        ),
    ],
)
def test_bad_codes_are_refused_in_french_and_kept(coordinator, types, url, data, message):
    before = (ItemType.objects.count(), Collection.objects.count())
    response = coordinator.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in page
    if message is None:  # the network's code rule, translated long ago
        assert "Utilisez de 2 à 20 lettres capitales" in page
    else:
        assert fr(message[0], **message[1]) in page
    assert f'value="{data["code"]}"' in page and f'value="{data["name"]}"' in page
    assert (ItemType.objects.count(), Collection.objects.count()) == before


def test_the_code_of_a_used_type_does_not_change(coordinator, staff, types, book, make_item):
    livre, dvd = types["LIVRE"], types["DVD"]
    make_item(book)  # a LIVRE
    response = coordinator.post(type_url(livre), {"code": "LIV", "name": "Livres"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_code_error"' in page
    with translation.override("fr"):
        uses = ngettext("%(count)d item", "%(count)d items", 1) % {"count": 1}
    assert (
        fr(
            "The code %(code)s cannot change: it is used by %(uses)s, and files to "
            "import may carry it too. Change the name instead.",
            code="LIVRE",
            uses=uses,
        )
        in page
    )
    livre.refresh_from_db()
    assert (livre.code, livre.name) == ("LIVRE", "Livre")
    # A code the import mappings point to is in use too.
    SourceCode.objects.create(kind=SourceCode.Kind.ITEM_TYPE, code="VID", target="DVD")
    with pytest.raises(CatalogueError) as refused:
        dvd.code = "VIDEO"
        services.save_item_type(staff[Role.COORDINATOR], dvd)
    assert refused.value.code == "code_in_use"
    # An unused type may take a new code.
    nouv = types["NOUV"]
    assert (
        coordinator.post(type_url(nouv), {"code": "NOUVEAU", "name": "Nouveauté"}).status_code
        == 302
    )
    nouv.refresh_from_db()
    assert nouv.code == "NOUVEAU"


def test_deleting_a_used_type_is_refused_an_unused_one_works(
    coordinator, staff, types, book, make_item
):
    livre = types["LIVRE"]
    make_item(book)
    page = coordinator.get(type_url(livre)).content.decode()
    assert type_url(livre, "supprimer/") not in page  # no button for a used type
    response = coordinator.post(type_url(livre, "supprimer/"), follow=True)
    page = response.content.decode()
    with translation.override("fr"):
        uses = ngettext("%(count)d item", "%(count)d items", 1) % {"count": 1}
    assert (
        fr(
            "The item type %(name)s cannot be deleted: it is used by %(uses)s. "
            "Nothing was changed.",
            name="Livre",
            uses=uses,
        )
        in page
    )
    assert ItemType.objects.filter(pk=livre.pk).exists() and Item.objects.count() == 1

    # A loan rule for the type would disappear with it: refused too.
    dvd = types["DVD"]
    LoanRule.objects.create(item_type=dvd, loan_days=7)
    with pytest.raises(CatalogueError) as refused:
        services.delete_item_type(staff[Role.COORDINATOR], dvd)
    assert refused.value.code == "in_use"
    assert LoanRule.objects.filter(item_type=dvd).exists()

    unused = ItemType.objects.create(code="CDROM", name="Cédérom")
    assert type_url(unused, "supprimer/") in coordinator.get(type_url(unused)).content.decode()
    response = coordinator.post(type_url(unused, "supprimer/"))
    assert response.status_code == 302 and response.url == PAGE
    assert not ItemType.objects.filter(pk=unused.pk).exists()


def test_deleting_a_used_collection_is_refused_an_unused_one_works(
    coordinator, types, book, make_item
):
    make_item(book, floating=True)
    used = Collection.objects.get(code="FLOT")
    response = coordinator.post(collection_url(used, "supprimer/"))
    assert response.status_code == 302 and response.url == collection_url(used)
    assert Collection.objects.filter(pk=used.pk).exists()
    unused = Collection.objects.create(code="VIDE", name="Fonds vide")
    assert coordinator.post(collection_url(unused, "supprimer/")).status_code == 302
    assert not Collection.objects.filter(pk=unused.pk).exists()


def test_a_collection_set_floating_keeps_returned_items_where_they_are(
    coordinator, network, desk, make_patron, book, make_item
):
    response = coordinator.post(
        NEW_COLLECTION, {"code": "ROMANS", "name": "Romans", "kind": "base"}
    )
    assert response.status_code == 302
    novels = Collection.objects.get(code="ROMANS")
    patron = make_patron()
    copy, other = make_item(book, network["a"]), make_item(book, network["a"])
    Item.objects.filter(pk__in=[copy.pk, other.pk]).update(collection=novels)

    # Not floating yet: returned at BBB, the item travels home to AAA.
    checkout(desk["a"], network["a"], patron, copy, today=TODAY)
    result = checkin(desk["b"], network["b"], copy, today=TODAY)
    assert result.action == Routing.TRANSFER and result.destination == network["a"]

    response = coordinator.post(
        collection_url(novels),
        {"code": "ROMANS", "name": "Romans", "kind": "base", "floating": "on"},
    )
    assert response.status_code == 302
    novels.refresh_from_db()
    assert novels.floating

    checkout(desk["a"], network["a"], patron, other, today=TODAY)
    result = checkin(desk["b"], network["b"], other, today=TODAY)
    assert result.action == Routing.SHELVE
    other.refresh_from_db()
    assert other.home == network["b"] and other.current == network["b"]
    assert other.owner == network["a"]  # who paid for it does not change
