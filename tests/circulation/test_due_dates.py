"""Due dates skip the days the library is closed: no hours that weekday, or a closure."""

import datetime as dt

from maillon.circulation.services import due_date, is_open_day
from maillon.network.models import Closure, OpeningHours

from .conftest import TODAY


def open_on(library, *weekdays):
    for day in weekdays:
        OpeningHours.objects.create(
            library=library, weekday=day, opens=dt.time(10), closes=dt.time(18)
        )


def test_open_day_is_kept(network):
    open_on(network["a"], 1, 2, 3, 4, 5, 6)
    assert due_date(network["a"], TODAY, 21) == TODAY + dt.timedelta(days=21)  # a Monday


def test_weekday_without_hours_moves_to_next_open_day(network):
    open_on(network["a"], 2, 3, 5)  # Tuesday, Wednesday, Friday
    # 3 March + 20 days = Sunday 23 March → Tuesday 25 March
    assert due_date(network["a"], TODAY, 20) == dt.date(2025, 3, 25)


def test_closure_moves_past_its_last_day(network):
    open_on(network["a"], 1, 2, 3, 4, 5, 6)
    Closure.objects.create(
        library=network["a"],
        start=dt.date(2025, 3, 24),
        end=dt.date(2025, 3, 27),
        reason="Inventaire",
    )
    assert due_date(network["a"], TODAY, 21) == dt.date(2025, 3, 28)


def test_library_without_any_hours_is_open_but_for_closures(network):
    assert is_open_day(network["b"], dt.date(2025, 3, 23))  # a Sunday
    Closure.objects.create(
        library=network["b"], start=dt.date(2025, 3, 24), end=dt.date(2025, 3, 24)
    )
    assert due_date(network["b"], TODAY, 21) == dt.date(2025, 3, 25)


def test_closure_begun_before_the_loan_still_counts(network):
    # Only closures not over by the due date are read: this one started weeks before.
    Closure.objects.create(
        library=network["a"], start=dt.date(2025, 2, 1), end=dt.date(2025, 3, 25), reason="Travaux"
    )
    Closure.objects.create(
        library=network["a"], start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31), reason="Passée"
    )
    assert due_date(network["a"], TODAY, 21) == dt.date(2025, 3, 26)
    assert not is_open_day(network["a"], dt.date(2025, 3, 10))
    assert not is_open_day(network["a"], dt.date(2025, 1, 10))
    assert is_open_day(network["a"], dt.date(2025, 3, 26))
