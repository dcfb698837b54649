"""/admin/ shows Maillon's data but changes none of it: changes go through the services that
the staff pages call (a status written by hand would break the invariants)."""

import pytest
from django.contrib import admin

from maillon.catalogue.models import Item, ItemStatus


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-y-z-1234")


def test_no_maillon_model_can_be_added_changed_or_deleted_there(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"network", "catalogue", "patrons", "circulation"}
    ]
    assert len(ours) >= 10
    for model_admin in ours:
        assert not model_admin.has_add_permission(request), model_admin
        assert not model_admin.has_change_permission(request), model_admin
        assert not model_admin.has_delete_permission(request), model_admin
        assert model_admin.has_view_permission(request), model_admin


def test_an_item_status_posted_to_the_admin_is_refused(client, superuser, network, book, make_item):
    item = make_item(book)
    client.force_login(superuser)
    url = f"/admin/catalogue/item/{item.pk}/change/"
    assert client.get(url).status_code == 200  # it can be looked at
    response = client.post(url, {"barcode": item.barcode, "status": ItemStatus.ON_LOAN})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE
    assert Item.objects.filter(status=ItemStatus.ON_LOAN).count() == 0
