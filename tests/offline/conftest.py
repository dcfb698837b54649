"""The offline desk's tests run on the circulation tests' fixed day: operations happen at
AT (TODAY, 10:00 in the network's time zone) and after."""

import datetime as dt

import pytest
from django.utils import timezone

from maillon.offline import services
from tests.circulation_fixtures import TODAY

DESK = "0f6a1c9e-5b1d-4c55-9a53-7d1a2b3c4d5e"


def at(hour: int = 10, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def op(seq: int, kind: str, barcode: str, card: str = "", when: dt.datetime | None = None):
    return services.Operation(seq, kind, barcode, when or at(10, seq), card=card)


@pytest.fixture
def today() -> dt.date:
    return TODAY
