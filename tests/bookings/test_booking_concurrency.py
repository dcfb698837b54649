"""Two libraries ask for the same dates of one resource at the same moment: exactly one gets
it, the other a clear refusal; two requests of one library race its quota: the quota holds.
Real threads on PostgreSQL (SQLite lets one writer in at a time, so the race cannot happen).

The first test shows the race is real: without the locks, both requests pass the checks
before either writes, and the resource ends up booked twice for the same days."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from maillon.bookings import services
from maillon.bookings.models import Booking, Resource, SeasonalLimit
from maillon.network.models import Library
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
    # Names the fixture so that the kinds and rules seeded by the migration come back after
    # each test's flush (see tests/conftest.py).
    pytest.mark.usefixtures("transactional_db"),
]


def soon(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def ask(username: str, library: Library, resource: Resource, start: int, end: int):
    return lambda: services.request_booking(
        user(username), library, Resource.objects.get(pk=resource.pk), soon(start), soon(end)
    )


def test_without_the_locks_both_libraries_get_the_same_days(people, network, expo, monkeypatch):
    past_checks = threading.Barrier(2)
    original = services._check_free

    def check_then_wait(*args):
        original(*args)
        past_checks.wait(TIMEOUT)  # both have read "free" before either writes

    monkeypatch.setattr(services, "_lock_library", lambda library: library)
    monkeypatch.setattr(services, "_lock_resource", lambda resource: resource)
    monkeypatch.setattr(services, "_check_free", check_then_wait)
    outcomes = in_parallel(
        ask("libr", network["a"], expo, 20, 40), ask("libb", network["b"], expo, 25, 45)
    )
    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert Booking.objects.filter(resource=expo).count() == 2  # booked twice: the race


def test_with_the_locks_exactly_one_library_gets_the_days(people, network, expo, monkeypatch):
    original = services._check_free

    def check_slowly(*args):
        original(*args)
        threading.Event().wait(0.3)  # widen the window between the check and the write

    monkeypatch.setattr(services, "_check_free", check_slowly)
    for _round in range(3):
        Booking.objects.all().delete()
        outcomes = in_parallel(
            ask("libr", network["a"], expo, 20, 40), ask("libb", network["b"], expo, 25, 45)
        )
        wins = [o for o in outcomes if isinstance(o, Booking)]
        errors = [o for o in outcomes if isinstance(o, services.BookingError)]
        assert len(wins) == 1 and len(errors) == 1, outcomes
        # The loser waited, then read the winner's booking: it says until when it is taken.
        assert errors[0].code == "taken" and wins[0].library.name in errors[0].message
        assert Booking.objects.filter(resource=expo).count() == 1


def test_one_library_racing_its_exhibition_quota(people, network, expo, expo2, monkeypatch):
    original = services._check_quota

    def check_slowly(*args):
        original(*args)
        threading.Event().wait(0.3)

    monkeypatch.setattr(services, "_check_quota", check_slowly)
    outcomes = in_parallel(
        ask("libr", network["a"], expo, 20, 40), ask("libr", network["a"], expo2, 20, 40)
    )
    errors = [o for o in outcomes if isinstance(o, services.BookingError)]
    assert len(errors) == 1 and errors[0].code == "kind_quota_reached", outcomes
    assert Booking.objects.filter(library=network["a"]).count() == 1


def december(resource: Resource, day: int):
    year = timezone.localdate().year + 1
    start, end = dt.date(year, 12, day), dt.date(year, 12, day + 9)
    return lambda: services.request_booking(
        user("libr"),
        Library.objects.get(code="AAA"),
        Resource.objects.get(pk=resource.pk),
        start,
        end,
    )


@pytest.fixture
def one_kit_in_december(kinds, people, network):
    SeasonalLimit.objects.create(kind=kinds["valise"], month_from=12, month_to=12)
    return [
        services.create_resource(
            people["md"], kind=kinds["valise"], title=title, owner=network["md"]
        )
        for title in ("Valise Noël", "Valise Hiver")
    ]


def test_without_the_locks_the_season_is_overrun(one_kit_in_december, monkeypatch):
    past_checks = threading.Barrier(2)
    original = services._check_seasons

    def check_then_wait(*args):
        original(*args)
        past_checks.wait(TIMEOUT)

    monkeypatch.setattr(services, "_lock_library", lambda library: library)
    monkeypatch.setattr(services, "_lock_resource", lambda resource: resource)
    monkeypatch.setattr(services, "_check_seasons", check_then_wait)
    first, second = one_kit_in_december
    outcomes = in_parallel(december(first, 1), december(second, 15))
    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert Booking.objects.count() == 2  # two kits in December: the race


def test_with_the_locks_the_season_holds(one_kit_in_december, monkeypatch):
    original = services._check_seasons

    def check_slowly(*args):
        original(*args)
        threading.Event().wait(0.3)

    monkeypatch.setattr(services, "_check_seasons", check_slowly)
    first, second = one_kit_in_december
    outcomes = in_parallel(december(first, 1), december(second, 15))
    errors = [o for o in outcomes if isinstance(o, services.BookingError)]
    assert len(errors) == 1 and errors[0].code == "season_quota_reached", outcomes
    assert Booking.objects.count() == 1


def test_two_desks_lending_overlapping_days_to_partners_record_one(
    people, network, expo, monkeypatch
):
    """Without the booking's lock both loans pass the overlap check; with it, one wins."""
    from maillon.bookings import subloans
    from maillon.bookings.models import SubLoan
    from maillon.network.models import Partner

    booking = services.request_booking(user("libr"), network["a"], expo, soon(20), soon(40))
    services.approve(user("mdstaff"), booking)
    school, ehpad = (
        Partner.objects.create(library=network["a"], name=name, kind=kind)
        for name, kind in (("École", "school"), ("EHPAD", "retirement_home"))
    )
    original = subloans._clash

    def clash_then_wait(*args):
        found = original(*args)
        threading.Event().wait(0.3)
        return found

    def lend(partner):
        return lambda: subloans.lend_on(
            user("libr"),
            Booking.objects.select_related("library").get(pk=booking.pk),
            Partner.objects.get(pk=partner.pk),
            soon(22),
            soon(30),
        )

    monkeypatch.setattr(subloans, "_clash", clash_then_wait)
    # The same read without FOR UPDATE.
    monkeypatch.setattr(
        subloans, "_lock_booking", lambda b: Booking.objects.select_related("library").get(pk=b.pk)
    )
    outcomes = in_parallel(lend(school), lend(ehpad))
    assert SubLoan.objects.count() == 2, outcomes  # the race: the kit at two partners at once
    monkeypatch.undo()
    monkeypatch.setattr(subloans, "_clash", clash_then_wait)
    SubLoan.objects.all().delete()
    outcomes = in_parallel(lend(school), lend(ehpad))
    assert SubLoan.objects.count() == 1, outcomes
    assert [o.code for o in outcomes if isinstance(o, services.BookingError)] == ["subloan_overlap"]
