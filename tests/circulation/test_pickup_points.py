"""Which libraries take holds for pickup is the network's choice, kept on the library."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillon.circulation import services
from maillon.circulation.errors import CirculationError
from maillon.circulation.hold_search import pickup_libraries
from maillon.circulation.models import Hold
from maillon.network.models import Library, LibraryKind
from tests.conftest import make_library

pytestmark = pytest.mark.django_db

DESK = reverse("circulation:desk")
PLACE = reverse("circulation:hold_place")


def not_a_pickup_point(library: Library) -> str:
    with translation.override("fr"):
        return gettext(
            "%(library)s is not a pickup point for reservations: choose another library."
        ) % {"library": library.name}


@pytest.mark.parametrize("kind", list(LibraryKind))
def test_a_new_library_takes_holds_unless_departmental(network, kind):
    library = make_library("NEW", kind)
    library.refresh_from_db()
    assert library.is_pickup_point is (kind != LibraryKind.DEPARTMENTAL)
    # Said explicitly, the network's choice wins over the default.
    assert make_library("NEW2", kind, is_pickup_point=False).is_pickup_point is False


def test_the_migration_sets_existing_libraries_by_kind(network):
    reading_point = make_library("PL", LibraryKind.READING_POINT)
    # Before the migration every row got the column's default.
    Library.objects.update(is_pickup_point=True)
    migration = importlib.import_module("maillon.network.migrations.0002_library_is_pickup_point")
    migration.set_by_kind(apps, None)
    assert dict(Library.objects.values_list("code", "is_pickup_point")) == {
        "HEAD": True,
        "AAA": True,
        "BBB": True,
        reading_point.code: True,
        "MD": False,
    }


def test_the_service_refuses_a_library_that_is_not_a_pickup_point(
    desk, network, make_patron, book, make_item, today
):
    make_item(book)
    patron = make_patron()
    for place in (
        lambda pickup: services.place_hold(
            desk["a"], network["a"], patron, book, pickup, today=today
        ),
        lambda pickup: services.place_own_hold(patron, book, pickup, today=today),
    ):
        with translation.override("fr"), pytest.raises(CirculationError) as refused:
            place(network["md"])
        assert refused.value.code == "not_a_pickup_point"
        assert refused.value.message == not_a_pickup_point(network["md"])
    assert not Hold.objects.exists()


def test_a_library_the_coordinator_takes_off_refuses_then_accepts_again(
    desk, network, make_patron, book, make_item, today
):
    make_item(book)
    patron = make_patron()
    Library.objects.filter(pk=network["b"].pk).update(is_pickup_point=False)
    with pytest.raises(CirculationError) as refused:
        services.place_own_hold(patron, book, network["b"].pk, today=today)
    assert refused.value.code == "not_a_pickup_point"
    Library.objects.filter(pk=network["b"].pk).update(is_pickup_point=True)
    hold = services.place_own_hold(patron, book, network["b"].pk, today=today)
    assert hold.pickup_library == network["b"]


def test_the_desk_offers_only_pickup_points(client, desk, network, make_patron, book, make_item):
    make_item(book)
    Library.objects.filter(pk=network["b"].pk).update(is_pickup_point=False)
    assert [lib.code for lib in pickup_libraries()] == ["AAA", "HEAD"]  # by name
    now = timezone.localdate()  # the desk works on the real date
    patron = make_patron(
        registered_on=now - dt.timedelta(days=30), expires_on=now + dt.timedelta(days=300)
    )
    client.force_login(desk["a"])
    page = client.get(DESK, {"carte": patron.card_number, "reserver": book.items.get().barcode})
    offered = {place.code for place in page.context["pickups"]}
    assert offered == {"HEAD", "AAA"}
    # A hand-made request for the MD is refused by the service, and nothing is placed.
    response = client.post(
        PLACE,
        {
            "library": network["a"].pk,
            "carte": patron.card_number,
            "record": book.pk,
            "pickup": network["md"].pk,
        },
        follow=True,
    )
    assert escape(not_a_pickup_point(network["md"])) in response.content.decode()
    assert not Hold.objects.exists()


def test_manual_sends_still_reach_libraries_that_are_not_pickup_points(client, desk, network):
    client.force_login(desk["a"])
    page = client.get(reverse("circulation:day"))
    assert "MD" in {other.code for other in page.context["destinations"]}
