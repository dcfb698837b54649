"""Reserving from the record page: login first, pickup library, expected delay, confirm."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from maillon.catalogue.models import ItemStatus
from maillon.circulation import services
from maillon.circulation.models import Hold
from tests.opac.conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_reserve_button_leads_to_login_then_back(client, reader, make_record, make_item, network):
    record = make_record("Le Petit Prince")
    make_item(record, network["b"])
    page = client.get(f"/notice/{record.pk}/").content.decode()
    assert f'href="/notice/{record.pk}/reserver/"' in page
    response = client.get(f"/notice/{record.pk}/reserver/")
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert login_page.context["next"] == f"/notice/{record.pk}/reserver/"
    back = client.post(
        "/compte/connexion/",
        {
            "card": reader.card_number,
            "password": "lire-au-jardin-2024",
            "suivant": login_page.context["next"],
        },
    )
    assert back["Location"] == f"/notice/{record.pk}/reserver/"


def test_pickup_defaults_to_home_and_lists_only_pickup_points(
    client, reader, make_record, make_item, network
):
    record = make_record()
    make_item(record, network["a"])
    log_in(client, reader.card_number)
    page = client.get(f"/notice/{record.pk}/reserver/")
    assert page.context["pickup"] == network["a"]
    codes = [lib.code for lib in page.context["libraries"]]
    assert "MD" not in codes and {"AAA", "BBB", "HEAD"} <= set(codes)
    assert page.context["estimate"].kind == "ready_soon"


def test_estimate_by_shuttle_then_queue(
    client, reader, make_reader, make_record, make_item, network
):
    record = make_record()
    copy = make_item(record, network["b"])
    log_in(client, reader.card_number)
    guess = client.get(f"/notice/{record.pk}/reserver/?retrait=AAA").context["estimate"]
    assert guess.kind == "shuttle" and guess.source == network["b"]
    assert guess.arrival > timezone.localdate()
    assert guess.arrival.isoweekday() in (2, 5)  # AAA's shuttle days
    # Someone else reserves first: the only copy goes to them, we would be second in line.
    services.place_own_hold(make_reader("10000021"), record, network["b"])
    guess = client.get(f"/notice/{record.pk}/reserver/?retrait=AAA").context["estimate"]
    assert guess.kind == "queue" and guess.position == 2
    assert copy.pk


def test_confirm_places_one_hold_even_when_submitted_twice(
    client, reader, make_record, make_item, network
):
    record = make_record()
    make_item(record, network["b"], status=ItemStatus.ON_LOAN)
    log_in(client, reader.card_number)
    first = client.post(f"/notice/{record.pk}/reserver/", {"retrait": "BBB"})
    assert first.status_code == 302 and first["Location"].startswith("/compte/#reservation-")
    second = client.post(f"/notice/{record.pk}/reserver/", {"retrait": "BBB"})
    assert second.status_code == 400
    assert second.context["error"]  # the service's reason: already held
    hold = Hold.objects.get(patron=reader)
    assert hold.pickup_library == network["b"]


def test_refusal_shows_the_service_reason_and_creates_nothing(
    client, make_reader, make_record, make_item, network
):
    today = timezone.localdate()
    expired = make_reader(
        "10000022",
        registered_on=today - dt.timedelta(days=500),
        expires_on=today - dt.timedelta(days=1),
    )
    record = make_record()
    make_item(record, network["b"])
    log_in(client, expired.card_number)
    response = client.post(f"/notice/{record.pk}/reserver/", {"retrait": "BBB"})
    assert response.status_code == 400
    assert expired.card_number in response.context["error"]  # "The card of … expired on …"
    assert not Hold.objects.exists()


def test_unknown_pickup_code_is_not_placed(client, reader, make_record, make_item, network):
    record = make_record()
    make_item(record, network["b"])
    log_in(client, reader.card_number)
    response = client.post(f"/notice/{record.pk}/reserver/", {"retrait": "MD"})
    assert response.status_code == 400
    assert not Hold.objects.exists()


def test_unknown_record_is_a_404(client, reader):
    log_in(client, reader.card_number)
    assert client.get("/notice/987654/reserver/").status_code == 404


def test_a_record_already_reserved_is_said_before_the_choice(
    client, reader, make_record, make_item, network
):
    record = make_record()
    make_item(record, network["b"], status=ItemStatus.ON_LOAN)
    hold = services.place_own_hold(reader, record, network["b"])
    log_in(client, reader.card_number)
    page = client.get(f"/notice/{record.pk}/reserver/")
    html = page.content.decode()
    assert page.status_code == 200 and "Vous avez déjà réservé ce document" in html
    assert f"/compte/#reservation-{hold.pk}" in html
    assert "Confirmer la réservation" not in html and 'name="retrait"' not in html
