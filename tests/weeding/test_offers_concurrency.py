"""Two libraries claim the same offered item at once: exactly one gets it, the other a clear
refusal naming the winner. Real threads on PostgreSQL (SQLite lets one writer in at a time)."""

import threading

import pytest
from django.db import IntegrityError, connection

from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item
from maillon.circulation.models import Transfer
from maillon.weeding import offers, services
from maillon.weeding.models import Offer
from tests.circulation.test_concurrency import TIMEOUT, in_parallel, user
from tests.weeding.conftest import TODAY, years_ago

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def offered(desk, network, make_item, record_of):
    def make(title: str) -> Offer:
        item = make_item(
            record_of(title, year=TODAY.year - 20), network["a"], last_loan_at=years_ago(6)
        )
        campaign = services.create_campaign(desk["a"], network["a"], title)
        services.decide(desk["a"], campaign.candidates.get(item=item), "offer")
        services.confirm(desk["a"], campaign)
        return Offer.objects.get(item=item)

    return make


def test_without_the_lock_both_pass_the_check(offered, network, monkeypatch):
    offer = offered("Sans verrou")
    past_checks = threading.Barrier(2)
    original = offers._claim_refusal

    def check_then_wait(*args):
        refusal = original(*args)
        past_checks.wait(TIMEOUT)  # both libraries have read "open" before either writes
        return refusal

    monkeypatch.setattr(item_service, "lock", lambda pk: Item.objects.get(pk=pk))
    monkeypatch.setattr(offers, "_locked_offer", lambda pk: Offer.objects.get(pk=pk))
    monkeypatch.setattr(offers, "_claim_refusal", check_then_wait)
    outcomes = in_parallel(
        lambda: offers.claim(user("libb"), offer.pk, network["b"]),
        lambda: offers.claim(user("coord"), offer.pk, network["head"]),
    )
    # Both passed the check; only the database's one-active-transfer index stopped the second,
    # with no message a librarian could read.
    assert sum(isinstance(o, Offer) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 1, outcomes
    assert Transfer.objects.filter(item_id=offer.item_id).count() == 1


def test_with_the_lock_exactly_one_library_gets_it(offered, network):
    for round_ in range(3):
        offer = offered(f"Course {round_}")
        outcomes = in_parallel(
            lambda o=offer: offers.claim(user("libb"), o.pk, network["b"]),
            lambda o=offer: offers.claim(user("coord"), o.pk, network["head"]),
        )
        wins = [o for o in outcomes if isinstance(o, Offer)]
        errors = [o for o in outcomes if isinstance(o, services.WeedingError)]
        assert len(wins) == 1 and len(errors) == 1, outcomes
        winner = wins[0].claimed_by
        assert errors[0].code == "claim_refused" and winner.name in errors[0].message
        offer.refresh_from_db()
        assert offer.claimed_by == winner
        assert Transfer.objects.filter(item_id=offer.item_id, to_library=winner).count() == 1
        assert Transfer.objects.filter(item_id=offer.item_id).count() == 1
