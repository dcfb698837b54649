import datetime as dt

import pytest
from django.utils import timezone

from maillon.programme.models import EventKind, Room

ZONE = timezone.get_current_timezone()
SOON = timezone.localdate() + dt.timedelta(days=10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def kinds(db) -> dict[str, EventKind]:
    return {
        code: EventKind.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("story-time", "Heure du conte"), ("screening", "Projection")]
    }


@pytest.fixture
def room(network) -> Room:
    return Room.objects.create(library=network["a"], name="Salle d'animation", capacity=30)
