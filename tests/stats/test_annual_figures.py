"""Every figure of the 2025 report, per library and for the network, against the values worked
out by hand from the activity in conftest.py."""

import pytest

from maillon.circulation.models import Loan
from maillon.stats.report import build

EXPECTED = {
    "AAA": {
        "loans": 4,
        "loans.D1": 3,
        "loans.D2": 0,
        "loans.D4": 1,
        "loans.adult": 3,
        "loans.youth": 1,
        "loans.md": 1,
        "loans.other_medium": 0,
        "renewals": 2,
        "active": 3,
        "active.adult": 2,
        "active.child": 0,
        "active.collective": 1,
        "registered": 3,
        "registered.child": 0,
        "registered.collective": 1,
        "new": 1,
        "holdings": 4,
        "holdings.D1": 3,
        "holdings.D4": 1,
        "holdings_md": 1,
        "holdings_md.D1": 1,
        "holdings.D1.youth": 1,
        "added.D1": 1,
        "withdrawn.D1": 1,
        "holds": 0,
        "holds_satisfied": 0,
        "sent": 1,
        "received": 0,
        "loans.no_key": 0,
    },
    "BBB": {
        "loans": 3,
        "loans.D1": 2,
        "loans.D2": 1,
        "loans.D4": 0,
        "loans.adult": 3,
        "loans.youth": 0,
        "loans.md": 0,
        "loans.other_medium": 0,
        "renewals": 1,
        "active": 2,
        "active.adult": 1,
        "active.child": 1,
        "active.collective": 0,
        "registered": 1,
        "registered.child": 1,
        "registered.collective": 0,
        "new": 0,
        "holdings": 2,
        "holdings.D1": 1,
        "holdings.D2": 1,
        "holdings_md": 0,
        "added.D1": 0,
        "withdrawn.D1": 0,
        "holds": 1,
        "holds_satisfied": 1,
        "sent": 0,
        "received": 1,
    },
    None: {
        "loans": 7,
        "loans.D1": 5,
        "loans.D2": 1,
        "loans.D4": 1,
        "loans.adult": 6,
        "loans.youth": 1,
        "loans.md": 1,
        "renewals": 3,
        "active": 4,
        "active.adult": 2,
        "active.child": 1,
        "active.collective": 1,
        "active.age.25-39": 2,
        "active.age.6-11": 1,
        "registered": 4,
        "registered.child": 1,
        "registered.collective": 1,
        "new": 1,
        "holdings": 6,
        "holdings.D1": 4,
        "holdings.D2": 1,
        "holdings.D4": 1,
        "holdings_md": 1,
        "added.D1": 1,
        "withdrawn.D1": 1,
        "holds": 1,
        "holds_satisfied": 1,
        "sent": 1,
        "received": 1,
    },
}


@pytest.mark.parametrize("code", ["AAA", "BBB", None])
def test_every_figure_matches_the_hand_count(activity, network, code):
    library = {"AAA": network["a"], "BBB": network["b"], None: None}[code]
    values = build(2025, library).values
    assert {key: values.get(key) for key in EXPECTED[code]} == EXPECTED[code]


def test_the_network_counts_a_borrower_of_two_libraries_once(activity, network):
    by_library = sum(build(2025, network[k]).values["active"] for k in ("head", "a", "b", "md"))
    network_report = build(2025, None).values
    assert by_library == 5  # P1 borrowed at AAA and at BBB
    assert network_report["active"] == 4
    # What adds up does add up: loans and renewals are the libraries' sum.
    for key in ("loans", "renewals", "holdings", "registered"):
        total = sum(build(2025, network[k]).values[key] for k in ("head", "a", "b", "md"))
        assert network_report[key] == total, key


def test_anonymised_loans_keep_every_fact(activity):
    loans = Loan.objects.filter(checked_out_at__year=2025)
    assert loans.filter(patron__isnull=True).count() == 7  # all returned before the delay
    assert not loans.filter(patron_key="").exists()
    assert set(loans.values_list("patron_commune", flat=True)) == {"Parthenay", "Secondigny", ""}


def test_the_previous_year_is_apart(activity, network):
    assert build(2024, network["a"]).values["loans"] == 1
    assert build(2024, network["a"]).values["active"] == 1
    assert build(2024, network["b"]).values["loans"] == 0
