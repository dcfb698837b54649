import datetime as dt
import importlib

import pytest
from django.utils import timezone

TODAY = timezone.localdate()


def years_ago(years: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(365.25 * years) + 1)


@pytest.fixture(autouse=True)
def default_criteria(db):
    """The network's default table, as its data migration writes it: a transactional test run
    earlier empties every table, migration data included."""
    from django.apps import apps

    seed = importlib.import_module("maillon.weeding.migrations.0002_default_criteria").seed
    seed(apps, None)
