"""A checkout reads the loan rules, the network's policy and the desk's calendar in the one
statement it runs after its locks (read_after_lock): it lends by what stands at that moment, an
edit applying to the next checkout, and decides as each read on its own would."""

import datetime as dt

import pytest

from maillon.circulation.errors import CirculationError
from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.circulation.rules import rule_for
from maillon.circulation.services import checkout, due_date
from maillon.network.models import Closure, OpeningHours

from .conftest import TODAY


def test_the_due_date_follows_the_desks_hours_and_closures(
    desk, network, make_patron, make_item, book
):
    patron = make_patron()
    for weekday in (2, 3, 5):  # Tuesday, Wednesday, Friday
        OpeningHours.objects.create(
            library=network["a"], weekday=weekday, opens=dt.time(10), closes=dt.time(18)
        )
    # Begun before the loan, over after its 21 days: 3 March + 21 = Monday 24 March, closed
    # until Wednesday 26 → Friday 28. Another library's closure changes nothing here.
    Closure.objects.create(
        library=network["a"], start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 26)
    )
    Closure.objects.create(
        library=network["b"], start=dt.date(2025, 3, 27), end=dt.date(2025, 4, 30)
    )
    loan = checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert loan.due_on == dt.date(2025, 3, 28) == due_date(network["a"], TODAY, 21)


def test_a_rule_edited_between_two_checkouts_applies_to_the_second(
    desk, network, make_patron, make_item, book, types, categories, default_rule
):
    patron = make_patron()
    first = checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert first.loan_days == 21
    default_rule.loan_days = 14
    default_rule.save()
    narrow = LoanRule.objects.create(
        library=network["a"], item_type=types["LIVRE"], loan_days=7, renewals=0, max_loans=2
    )
    second = checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert rule_for(network["a"], patron.category, types["LIVRE"]) == narrow
    assert (second.loan_days, second.due_on) == (7, TODAY + dt.timedelta(days=7))
    # The narrow rule's own limit counts the two loans made here.
    with pytest.raises(CirculationError) as refused:
        checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert refused.value.code == "max_loans_rule"
    narrow.delete()
    third = checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert third.loan_days == 14


def test_the_network_limits_as_they_stand_and_without_a_policy_row(
    desk, network, make_patron, make_item, book
):
    patron = make_patron()
    NetworkPolicy.objects.all().delete()  # not created yet: the defaults (10 here, 20 in all)
    checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert NetworkPolicy.objects.get().max_loans_per_library == 10
    NetworkPolicy.objects.update(max_loans_per_library=1)
    with pytest.raises(CirculationError) as refused:
        checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    assert refused.value.code == "max_loans_library"
    NetworkPolicy.objects.update(max_loans_per_library=None, collective_exempt=False)
    checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
