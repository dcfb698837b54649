import datetime as dt
import itertools

import pytest
from django.utils import timezone

from maillon.catalogue.models import Record

TODAY = timezone.localdate()


def years_ago(years: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(365.25 * years) + 1)


@pytest.fixture
def record_of(db):
    numbers = itertools.count(1)

    def make(title=None, *, year=None, dewey="", doc_type="text", author=""):
        title = title or f"Titre {next(numbers)}"
        return Record.objects.create(
            title=title,
            year=year,
            classification=dewey,
            doc_type=doc_type,
            authors=[{"name": author, "role": "auteur"}] if author else [],
            marc=b"",
            sort_title=title.lower(),
            match_key=title.lower(),
        )

    return make
