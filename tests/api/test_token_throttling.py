"""Wrong API tokens are throttled per client address, as wrong passwords are."""

import datetime as dt

from django.utils import timezone

from maillon.api.models import ApiToken
from maillon.throttling.models import Counter
from maillon.throttling.services import ADDRESS_FACTOR

KIOSK, ELSEWHERE = "10.1.1.7", "10.2.2.9"


def _get(client, key: str, address: str):
    return client.get(
        "/api/v1/items/B1001", headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR=address
    )


def test_trying_keys_from_one_address_locks_that_address_out(client, desk, settings, check_schema):
    settings.LOGIN_FAILURE_LIMIT = 2
    limit = settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR
    _token, key = ApiToken.issue(desk["a"], "borne")

    answers = [_get(client, f"guess-{n}", KIOSK).status_code for n in range(limit + 3)]
    assert answers == [401] * limit + [429] * 3

    # Locked out, the right key gains nothing from that address: trying keys cannot find one.
    refused = _get(client, key, KIOSK)
    assert refused.status_code == 429
    assert check_schema(refused.json(), "Error")["error"]["code"] == "too_many_attempts"
    assert "minutes" in refused.json()["error"]["message"]  # how long is left
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW
    # Another address is not concerned.
    assert _get(client, key, ELSEWHERE).status_code != 429

    # When the lock ends, the right key works again.
    past = timezone.now() - dt.timedelta(seconds=1)
    Counter.objects.update(locked_until=past, window_ends=past)
    assert _get(client, key, KIOSK).status_code not in (401, 429)


def test_a_right_key_costs_no_write_to_the_counters(client, desk):
    _token, key = ApiToken.issue(desk["a"], "borne")
    for _n in range(3):
        assert _get(client, key, KIOSK).status_code not in (401, 429)
    assert not Counter.objects.exists()
    assert _get(client, "wrong", KIOSK).status_code == 401
    assert Counter.objects.get().count == 1


def test_the_document_says_a_token_may_be_throttled(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "429" in document["paths"]["/items/{barcode}"]["get"]["responses"]
