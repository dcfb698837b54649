"""The public catalogue offers, and names, only the libraries the network made pickup points."""

import pytest
from django.core.cache import cache

from maillon.circulation.models import Hold
from maillon.network.models import Library
from tests.opac.conftest import fr, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_reserve_offers_only_pickup_points(client, reader, make_record, make_item, network):
    record = make_record()
    make_item(record, network["b"])
    Library.objects.filter(code="BBB").update(is_pickup_point=False)
    Library.objects.filter(code="MD").update(is_pickup_point=True)
    log_in(client, reader.card_number)
    page = client.get(f"/notice/{record.pk}/reserver/?retrait=BBB")
    assert {lib.code for lib in page.context["libraries"]} == {"AAA", "HEAD", "MD"}
    # BBB asked for but not offered: the patron's home library is proposed instead.
    assert page.context["pickup"] == network["a"]
    assert 'value="BBB"' not in page.content.decode()


def test_confirming_at_a_library_that_is_not_a_pickup_point_places_nothing(
    client, reader, make_record, make_item, network
):
    record = make_record()
    make_item(record, network["b"])
    Library.objects.filter(code="BBB").update(is_pickup_point=False)
    log_in(client, reader.card_number)
    response = client.post(f"/notice/{record.pk}/reserver/", {"retrait": "BBB"})
    assert response.status_code == 400
    assert not Hold.objects.exists()


def test_library_page_says_whether_reservations_can_be_picked_up(client, network):
    Library.objects.filter(code="BBB").update(is_pickup_point=False)
    yes = client.get("/bibliotheques/AAA/").content.decode()
    assert fr("Reservations can be picked up here.") in yes
    assert fr("Reservations cannot be picked up here.") not in yes
    no = client.get("/bibliotheques/BBB/").content.decode()
    assert fr("Reservations cannot be picked up here.") in no
    assert fr("Reservations can be picked up here.") not in no
