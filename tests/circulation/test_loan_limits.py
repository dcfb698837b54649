"""Loan limits: per library and network-wide (policy), per rule scope; collective exemption."""

import pytest

from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.circulation.services import CirculationError, checkout

from .conftest import TODAY


@pytest.fixture
def small_limits(policy):
    NetworkPolicy.objects.filter(pk=1).update(max_loans_per_library=2, max_loans_network=3)


def lend(actor, library, patron, item):
    return checkout(actor, library, patron, item, today=TODAY)


def code_of(actor, library, patron, item, **kwargs):
    with pytest.raises(CirculationError) as caught:
        checkout(actor, library, patron, item, today=TODAY, **kwargs)
    return caught.value


def test_per_library_then_network(small_limits, desk, network, make_patron, make_item, make_record):
    patron = make_patron()
    items_a = [make_item(make_record(f"A{i}")) for i in range(3)]
    items_b = [make_item(make_record(f"B{i}"), network["b"]) for i in range(2)]
    lend(desk["a"], network["a"], patron, items_a[0])
    lend(desk["a"], network["a"], patron, items_a[1])
    error = code_of(desk["a"], network["a"], patron, items_a[2])
    assert error.code == "max_loans_library" and "2" in error.message
    lend(desk["b"], network["b"], patron, items_b[0])  # another library: its own count
    error = code_of(desk["b"], network["b"], patron, items_b[1])
    assert error.code == "max_loans_network"
    assert [r["code"] for r in error.details["refusals"]] == ["max_loans_network"]
    lend_override = checkout(
        desk["b"], network["b"], patron, items_b[1], today=TODAY, override_reason="Vacances"
    )
    assert lend_override.override_codes == ["max_loans_network"]


def test_rule_limit_counts_its_item_type_here(
    desk, network, make_patron, make_item, make_record, types
):
    LoanRule.objects.create(item_type=types["DVD"], max_loans=1, loan_days=7)
    patron = make_patron()
    dvd1 = make_item(make_record("Film 1"), item_type="DVD")
    dvd2 = make_item(make_record("Film 2"), item_type="DVD")
    dvd_b = make_item(make_record("Film 3"), network["b"], item_type="DVD")
    livre = make_item(make_record("Roman"))
    assert lend(desk["a"], network["a"], patron, dvd1).due_on.isoformat() == "2025-03-10"
    assert code_of(desk["a"], network["a"], patron, dvd2).code == "max_loans_rule"
    lend(desk["a"], network["a"], patron, livre)  # another type: not counted
    lend(desk["b"], network["b"], patron, dvd_b)  # another library: not counted


def test_collective_borrowers_are_exempt_from_network_limits(
    small_limits, desk, network, make_patron, make_item, make_record
):
    school = make_patron("École des Tilleuls", "", category="collective")
    for i in range(4):
        lend(desk["a"], network["a"], school, make_item(make_record(f"Album {i}")))
    assert school.loans.count() == 4
    NetworkPolicy.objects.filter(pk=1).update(collective_exempt=False)
    error = code_of(desk["a"], network["a"], school, make_item(make_record("Album 5")))
    assert error.code == "max_loans_library"
    assert [r["code"] for r in error.details["refusals"]] == [
        "max_loans_library",
        "max_loans_network",
    ]


def test_returned_loans_do_not_count(
    small_limits, desk, network, make_patron, make_item, make_record
):
    from maillon.circulation.services import checkin

    patron = make_patron()
    first, second, third = (make_item(make_record(t)) for t in "XYZ")
    lend(desk["a"], network["a"], patron, first)
    lend(desk["a"], network["a"], patron, second)
    checkin(desk["a"], network["a"], first, today=TODAY)
    lend(desk["a"], network["a"], patron, third)
